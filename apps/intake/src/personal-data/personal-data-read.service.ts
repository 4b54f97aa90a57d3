import { Injectable } from '@nestjs/common';
import { PLATFORMS } from '@otklik/contracts';
import type { Viewer } from '@otklik/auth';
import { UnitOfWork } from '@otklik/persistence';
import type { PersonalDataReadEntity } from './personal-data-read.entity';
import { PersonalDataReadRepository, ReadsFilter } from './personal-data-read.repository';
import { PersonalDataException } from './personal-data.exception';
import {
  auditedOrganizations,
  decodeReadsCursor,
  isUuid,
  READS_DEFAULT_PAGE_SIZE,
  READS_MAX_PAGE_SIZE,
} from './personal-data.rules';

/** What personalDataReads asks for, as GraphQL hands it over. */
export interface PersonalDataReadsQuery {
  messageId?: string | null;
  authorId?: string | null;
  platform?: string | null;
  first?: number | null;
  after?: string | null;
}

export interface PersonalDataReadsPage {
  reads: PersonalDataReadEntity[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

const MAX_AUTHOR_ID = 500;

/** The read log of authors' personal data, for the coordinators of the organisations it concerns. */
@Injectable()
export class PersonalDataReadService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly reads: PersonalDataReadRepository,
  ) {}

  /**
   * One page of the reads of a message's author, or of an author's messages on a platform, newest
   * first, in the organisations where the viewer is COORDINATOR (and below). Another organisation's
   * reads are not there to be found: the page is empty, as for a message nobody read.
   */
  async list(viewer: Viewer, query: PersonalDataReadsQuery): Promise<PersonalDataReadsPage> {
    const filter = filterOf(query);
    const size = query.first ?? READS_DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(size) || size < 0 || size > READS_MAX_PAGE_SIZE) {
      throw PersonalDataException.badInput(`first must be between 0 and ${READS_MAX_PAGE_SIZE}; got ${query.first}`);
    }
    const cursor = query.after == null ? undefined : decodeReadsCursor(query.after);
    if (cursor === null) {
      throw PersonalDataException.badInput(
        'after is not a cursor of this list; pass the endCursor of the page you have',
      );
    }
    const organizationIds = auditedOrganizations(viewer);
    if (organizationIds.length === 0 || size === 0) {
      return { reads: [], hasNextPage: false, hasPreviousPage: cursor !== undefined };
    }
    const rows = await this.uow.run(() => this.reads.list(organizationIds, filter, cursor, size + 1));
    return { reads: rows.slice(0, size), hasNextPage: rows.length > size, hasPreviousPage: cursor !== undefined };
  }
}

function filterOf(query: PersonalDataReadsQuery): ReadsFilter {
  const { messageId, authorId, platform } = query;
  if (messageId != null && authorId != null) {
    throw PersonalDataException.badInput('give messageId or authorId (with platform), not both');
  }
  if (messageId != null) {
    if (!isUuid(messageId)) throw PersonalDataException.badInput(`"${messageId.slice(0, 100)}" is not a message id`);
    return { messageId };
  }
  if (authorId != null) {
    const id = authorId.trim();
    if (id === '' || id.length > MAX_AUTHOR_ID) {
      throw PersonalDataException.badInput(`authorId must be 1–${MAX_AUTHOR_ID} characters`);
    }
    if (platform == null || !(PLATFORMS as readonly string[]).includes(platform)) {
      throw PersonalDataException.badInput(
        "authorId needs the platform it is an id on (an author's id is per platform)",
      );
    }
    return { authorId: id, platform };
  }
  throw PersonalDataException.badInput('give messageId, or authorId with platform');
}
