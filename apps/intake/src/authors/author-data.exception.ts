import { AppError } from '@otklik/service-kit';

/** What a request for an author's data is refused with; messages never repeat the author's id. */
export class AuthorDataException extends AppError {
  /** `field` is named in the message and in extensions.field, for forms. */
  static badInput(field: string, problem: string): AuthorDataException {
    return new AuthorDataException('BAD_USER_INPUT', `${field} ${problem}`, { field });
  }

  static noMessages(platform: string): AuthorDataException {
    return new AuthorDataException(
      'NOT_FOUND',
      `no message of this ${platform} author among the organisations you coordinate (or its data was erased already)`,
    );
  }

  static notCoordinator(): AuthorDataException {
    return new AuthorDataException(
      'FORBIDDEN',
      'an author’s data is exported and erased by a COORDINATOR of the organisation the messages came to',
    );
  }
}
