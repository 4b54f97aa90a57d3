import { AppError } from '@otklik/service-kit';

export class StaffException extends AppError {
  /** A role names an organisation outside the caller's scope (a viewer token older than a change). */
  static organizationNotVisible(organizationId: string): StaffException {
    return new StaffException(
      'NOT_FOUND',
      `organisation ${organizationId} of this role is not visible to you; sign in again to refresh your roles`,
    );
  }

  static badInput(message: string): StaffException {
    return new StaffException('BAD_USER_INPUT', message);
  }

  static organizationNotFound(organizationId: string): StaffException {
    return new StaffException('NOT_FOUND', `organisation ${organizationId} does not exist or is not yours to see`);
  }

  static notCoordinatorOf(organizationId: string): StaffException {
    return new StaffException(
      'FORBIDDEN',
      `only a COORDINATOR of organisation ${organizationId} or of one above it may change who holds roles in it`,
    );
  }

  /** Unknown, or holding roles only outside the organisations the caller coordinates: the same answer. */
  static personNotFound(login: string): StaffException {
    return new StaffException('NOT_FOUND', `no member of staff "${login}" in the organisations you coordinate`);
  }
}
