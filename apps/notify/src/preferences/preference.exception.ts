import { AppError } from '@otklik/service-kit';

/** A preference that cannot be set; the message says what can. */
export class PreferenceException extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('BAD_USER_INPUT', message, details);
  }
}
