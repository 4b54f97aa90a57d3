import { AppError } from '@otklik/service-kit';

/** What the case workflow refuses, with a message the person can act on. */
export class CaseException extends AppError {
  static badInput(message: string): CaseException {
    return new CaseException('BAD_USER_INPUT', message);
  }

  /** The case (or another thing named) is not among those the viewer may see. */
  static notFound(message: string): CaseException {
    return new CaseException('NOT_FOUND', message);
  }

  /** The viewer's role does not allow it. */
  static forbidden(message: string): CaseException {
    return new CaseException('FORBIDDEN', message);
  }

  /** Not allowed from the case's current status, or out of date. */
  static conflict(message: string): CaseException {
    return new CaseException('CONFLICT', message);
  }
}
