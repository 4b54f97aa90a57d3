import { AppError } from '@otklik/service-kit';

/** What the source registry refuses, with a message an official can act on (never a secret's value). */
export class SourceException extends AppError {
  /** `field` is named in the message and in extensions.field, for forms. */
  static badInput(field: string, problem: string): SourceException {
    return new SourceException('BAD_USER_INPUT', `${field} ${problem}`, { field });
  }

  static sourceNotFound(id: string): SourceException {
    return new SourceException('NOT_FOUND', `source ${id.slice(0, 100)} does not exist or is not yours to see`);
  }

  static organizationNotFound(organizationId: string): SourceException {
    return new SourceException('NOT_FOUND', `organisation ${organizationId} is not among those you may see`);
  }

  static notManager(organizationId: string): SourceException {
    return new SourceException(
      'FORBIDDEN',
      `managing sources of organisation ${organizationId} needs the role OFFICIAL or COORDINATOR there or in an organisation above it`,
    );
  }

  static idTaken(id: string): SourceException {
    return new SourceException('CONFLICT', `a source with id ${id} exists already; choose another id`, { field: 'id' });
  }
}
