import { AppError, ErrorCode } from '@otklik/service-kit';

/** What a delivery or Telegram-link call can get wrong; the message says what would be right. */
export class DeliveryException extends AppError {
  constructor(
    code: Extract<ErrorCode, 'BAD_USER_INPUT' | 'CONFLICT'>,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(code, message, details);
  }
}
