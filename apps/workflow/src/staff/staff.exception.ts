import { AppError } from '@otklik/service-kit';

export class StaffException extends AppError {
  /** A role names an organisation outside the caller's scope (a viewer token older than a change). */
  static organizationNotVisible(organizationId: string): StaffException {
    return new StaffException(
      'NOT_FOUND',
      `organisation ${organizationId} of this role is not visible to you; sign in again to refresh your roles`,
    );
  }
}
