import { AppError, ErrorCode } from '@otklik/service-kit';

/** What a notifications call can get wrong; the message tells the caller what would be right. */
export class NotificationException extends AppError {
  constructor(
    code: Extract<ErrorCode, 'BAD_USER_INPUT' | 'NOT_FOUND'>,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(code, message, details);
  }
}
