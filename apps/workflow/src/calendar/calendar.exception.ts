import { AppError } from '@otklik/service-kit';

export class CalendarException extends AppError {
  static badInput(message: string): CalendarException {
    return new CalendarException('BAD_USER_INPUT', message);
  }

  static organizationNotFound(organizationId: string): CalendarException {
    return new CalendarException('NOT_FOUND', `organisation ${organizationId} does not exist or is not yours to see`);
  }

  static notCoordinatorOfAll(): CalendarException {
    return new CalendarException(
      'FORBIDDEN',
      'the production calendar governs every organisation: only a COORDINATOR of each organisation at the top of the tree may load it',
    );
  }
}
