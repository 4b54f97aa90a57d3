import { AppError } from '@otklik/service-kit';

export class CaseException extends AppError {
  static badInput(message: string): CaseException {
    return new CaseException('BAD_USER_INPUT', message);
  }
}
