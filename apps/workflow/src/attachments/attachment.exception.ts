import { AppError, ErrorCode } from '@otklik/service-kit';

const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
};

/**
 * What the attachments refuse, with a message the person can act on. Over GraphQL the code is
 * `extensions.code` (with `reason` beside it for an upload the limits refuse); on the upload
 * route it is an HTTP status.
 */
export class AttachmentException extends AppError {
  constructor(
    code: ErrorCode,
    message: string,
    details?: Record<string, unknown>,
    /** The HTTP status when it is more precise than the code's (413, 415, 416). */
    private readonly status?: number,
  ) {
    super(code, message, details);
  }

  get httpStatus(): number {
    return this.status ?? HTTP_STATUS[this.code];
  }

  static badInput(message: string, details?: Record<string, unknown>, status?: number): AttachmentException {
    return new AttachmentException('BAD_USER_INPUT', message, details, status);
  }

  static notFound(message: string): AttachmentException {
    return new AttachmentException('NOT_FOUND', message);
  }

  static forbidden(message: string): AttachmentException {
    return new AttachmentException('FORBIDDEN', message);
  }

  static conflict(message: string): AttachmentException {
    return new AttachmentException('CONFLICT', message);
  }
}
