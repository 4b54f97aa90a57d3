import { AppError } from '@otklik/service-kit';

export class OrganizationException extends AppError {
  static badInput(message: string): OrganizationException {
    return new OrganizationException('BAD_USER_INPUT', message);
  }
}
