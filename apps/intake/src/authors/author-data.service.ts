import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Viewer } from '@otklik/auth';
import { AuthorErased, ERASED_TEXT, MAX_ERASED_MESSAGES_PER_EVENT } from '@otklik/contracts';
import { EventOutbox } from '@otklik/messaging';
import { UnitOfWork } from '@otklik/persistence';
import { APP_LOGGER } from '../app.logger';
import type { MessageEntity } from '../messages/message.entity';
import { PersonalDataReadRecorder } from '../personal-data/personal-data-read.recorder';
import { AuthorDataException } from './author-data.exception';
import { AuthorDataRepository, MessageErasure } from './author-data.repository';
import {
  AuthorKey,
  checkAuthorKey,
  checkErasureGrounds,
  coordinatedOrganizations,
  exportedReads,
  recordingOrganization,
} from './author-data.rules';
import { toAuthorExportDocument } from './author-export.mapper';
import { ErasureRequestEntity } from './erasure-request.entity';

export interface AuthorRequest {
  platform: string;
  authorId: string;
}

export interface ErasureRequest extends AuthorRequest {
  reason: string;
  requestReference: string;
}

export interface AuthorDataExport {
  platform: AuthorKey['platform'];
  exportedAt: Date;
  messages: number;
  document: Record<string, unknown>;
}

/** The author's marker after erasure: random per message, so that erased messages cannot be grouped again. */
const erasedMarker = (): string => `erased-${randomBytes(8).toString('hex')}`;

/**
 * A data subject's requests (152-FZ): a COORDINATOR exports everything intake holds of one author,
 * or erases it. Only messages of the organisations the coordinator coordinates are reached (and
 * row-level security holds them to what the coordinator sees). Erasure keeps the messages and
 * their ids — the cases about them stay — but replaces what tells of the author or what they
 * wrote; it is recorded (intake.erasure_requests) and announced (author.erased), all in one
 * transaction, so workflow and notify anonymise their copies exactly when intake's are gone.
 */
@Injectable()
export class AuthorDataService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly authors: AuthorDataRepository,
    private readonly outbox: EventOutbox,
    private readonly recorder: PersonalDataReadRecorder,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * `graphqlRequest` keys the read log's batch (PersonalDataReadRecorder): the export is logged as
   * the coordinator's read of each message, all in one insert, before it is returned — an export
   * whose log cannot be written fails.
   */
  async export(viewer: Viewer, request: AuthorRequest, graphqlRequest: object): Promise<AuthorDataExport> {
    const author = checkAuthorKey(request);
    const organizationIds = this.scopeOf(viewer);
    const exportedAt = new Date();
    const document = await this.uow.run(async () => {
      const messages = await this.authors.findMessages(author, organizationIds, false);
      if (messages.length === 0) throw AuthorDataException.noMessages(author.platform);
      const ids = messages.map((m) => m.id);
      return {
        messages,
        body: toAuthorExportDocument({
          author,
          exportedAt,
          exportedBy: viewer.login,
          organizationIds: organizationsOf(messages),
          messages,
          versions: await this.authors.findVersions(ids),
          importRows: await this.authors.importRowsOf(ids),
        }),
      };
    });
    await Promise.all(
      exportedReads(document.messages).map((read) => this.recorder.record(graphqlRequest, viewer, read)),
    );
    // Who took whose data out, without the author: the log is no place for their id.
    this.logger.info(
      { actor: viewer.login, platform: author.platform, messages: document.messages.length },
      'author data exported (152-FZ request)',
    );
    return { platform: author.platform, exportedAt, messages: document.messages.length, document: document.body };
  }

  async erase(viewer: Viewer, request: ErasureRequest): Promise<ErasureRequestEntity> {
    const author = checkAuthorKey(request);
    const grounds = checkErasureGrounds(request);
    const organizationIds = this.scopeOf(viewer);
    const recordedUnder = recordingOrganization(viewer);
    const record = await this.uow.run(async () => {
      const messages = await this.authors.findMessages(author, organizationIds, true);
      if (messages.length === 0) throw AuthorDataException.noMessages(author.platform);
      const ids = messages.map((m) => m.id);
      const erasures: MessageErasure[] = messages.map((m) => ({
        id: m.id,
        authorMarker: erasedMarker(),
        externalId: `erased-${randomUUID()}`,
      }));
      const erasedMessages = await this.authors.eraseMessages(erasures, ERASED_TEXT);
      const versions = await this.authors.eraseVersions(ids, ERASED_TEXT);
      const entity = Object.assign(new ErasureRequestEntity(), {
        id: randomUUID(),
        organizationId: recordedUnder,
        platform: author.platform,
        requestedBy: viewer.login,
        requestedByUserId: viewer.userId,
        requestedAt: new Date(),
        reason: grounds.reason,
        requestReference: grounds.requestReference,
        messageIds: ids,
        messages: erasedMessages,
        versions,
        // null: purged before by the retention of raw payloads.
        rawPayloads: messages.filter((m) => m.raw !== null && m.raw !== undefined).length,
      } satisfies ErasureRequestEntity);
      await this.authors.insertErasure(entity);
      await this.outbox.addMany(AuthorErased, announcementsOf(entity, messages));
      return entity;
    });
    this.logger.info(
      {
        actor: viewer.login,
        erasureId: record.id,
        organizationId: record.organizationId,
        platform: record.platform,
        messages: record.messages,
        versions: record.versions,
        rawPayloads: record.rawPayloads,
      },
      'author data erased (152-FZ request)',
    );
    return record;
  }

  private scopeOf(viewer: Viewer): string[] {
    const organizations = coordinatedOrganizations(viewer);
    if (organizations.length === 0) throw AuthorDataException.notCoordinator();
    return organizations;
  }
}

function organizationsOf(messages: readonly MessageEntity[]): string[] {
  return [...new Set(messages.map((m) => m.organizationId))];
}

/**
 * One author.erased per organisation of the messages (its subject: workflow finds the message's
 * case in that organisation's scope), in parts of at most MAX_ERASED_MESSAGES_PER_EVENT ids.
 */
function announcementsOf(
  record: ErasureRequestEntity,
  messages: readonly MessageEntity[],
): Array<{ organizationId: string; data: { erasureId: string; messageIds: string[]; erasedAt: string } }> {
  const announcements: ReturnType<typeof announcementsOf> = [];
  for (const organizationId of organizationsOf(messages)) {
    const ids = messages.filter((m) => m.organizationId === organizationId).map((m) => m.id);
    for (let start = 0; start < ids.length; start += MAX_ERASED_MESSAGES_PER_EVENT) {
      announcements.push({
        organizationId,
        data: {
          erasureId: record.id,
          messageIds: ids.slice(start, start + MAX_ERASED_MESSAGES_PER_EVENT),
          erasedAt: record.requestedAt.toISOString(),
        },
      });
    }
  }
  return announcements;
}
