import { AppError } from '@otklik/service-kit';

export class DeadlineException extends AppError {
  static badInput(message: string): DeadlineException {
    return new DeadlineException('BAD_USER_INPUT', message);
  }

  static organizationNotFound(organizationId: string): DeadlineException {
    return new DeadlineException('NOT_FOUND', `organisation ${organizationId} does not exist or is not yours to see`);
  }

  static notCoordinatorOf(organizationId: string): DeadlineException {
    return new DeadlineException(
      'FORBIDDEN',
      `only a COORDINATOR of organisation ${organizationId} or of one above it may set its deadline policy`,
    );
  }
}
