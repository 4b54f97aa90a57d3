import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { CaseOpened, MessageAcceptedV1 } from '@otklik/contracts';
import { EventOutbox } from '@otklik/messaging';
import { UnitOfWork } from '@otklik/persistence';
import { DeadlineService } from '../deadlines/deadline.service';
import { isUuid } from '../graphql/uuid';
import { OrganizationService } from '../organizations/organization.service';
import { decodeCaseCursor } from './case.cursor';
import { CaseEntity } from './case.entity';
import { CaseException } from './case.exception';
import { CaseListFilter, CaseRepository } from './case.repository';
import { CaseTransitionEntity } from './case-transition.entity';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface CasePage {
  cases: CaseEntity[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  totalCount: number;
}

/** Actor of transitions nobody made by hand. */
export const SYSTEM_ACTOR = 'system';

@Injectable()
export class CaseService {
  private readonly logger = new Logger(CaseService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly cases: CaseRepository,
    private readonly organizations: OrganizationService,
    private readonly deadlines: DeadlineService,
    private readonly outbox: EventOutbox,
  ) {}

  /**
   * Opens a case (DETECTED) for an accepted message of `organizationId`, with its ROUTE deadline
   * (cl. 5) and the first line of its history, and announces it (CaseOpened) — all in one
   * transaction. A message that already has a case opens nothing; returns the new case or null.
   */
  openForMessage(organizationId: string, message: MessageAcceptedV1): Promise<CaseEntity | null> {
    return this.uow.run(async () => {
      const organization = await this.organizations.byId(organizationId);
      if (!organization) {
        // Retried, then dead-lettered: the event is fine, workflow is missing the organisation.
        throw new Error(
          `message ${message.messageId} belongs to organisation ${organizationId}, which workflow does not know`,
        );
      }
      const now = new Date();
      const entity = Object.assign(new CaseEntity(), {
        id: randomUUID(),
        organizationId,
        messageId: message.messageId,
        sourceId: message.sourceId,
        platform: message.platform,
        status: 'DETECTED',
        detectedAt: new Date(message.receivedAt),
        createdAt: now,
        updatedAt: now,
        version: 1,
      } satisfies CaseEntity);
      if (!(await this.cases.insertIfNew(entity))) {
        this.logger.log(`message ${message.messageId} already has a case; nothing opened`);
        return null;
      }
      const route = await this.deadlines.startRoute({
        caseId: entity.id,
        organizationId,
        detectedAt: entity.detectedAt,
        timeZone: organization.timeZone,
      });
      await this.cases.appendTransition({
        id: randomUUID(),
        caseId: entity.id,
        organizationId,
        fromStatus: null,
        toStatus: 'DETECTED',
        actor: SYSTEM_ACTOR,
        reason: `detected by ${message.platform} source ${message.sourceId}`,
        at: now,
      });
      await this.outbox.add(CaseOpened, organizationId, {
        caseId: entity.id,
        messageId: entity.messageId,
        status: entity.status,
        openedAt: now.toISOString(),
        routeDueAt: route.dueAt.toISOString(),
      });
      this.logger.log(
        `case ${entity.id} opened for message ${message.messageId}; ROUTE due ${route.dueAt.toISOString()}`,
      );
      return entity;
    });
  }

  /** A case the caller may see, or null (another organisation's case is simply not there). */
  assertCaseId(id: string): void {
    if (!isUuid(id)) throw CaseException.badInput(`"${id}" is not a case id; case ids are UUIDs`);
  }

  /** Cases by id as far as the caller may see them; ids that are not UUIDs find nothing. */
  byIds(ids: readonly string[]): Promise<CaseEntity[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return Promise.resolve([]);
    return this.uow.run(() => this.cases.findByIds(valid));
  }

  /** One page of the cases the caller may see, newest first (Relay forward pagination). */
  list(filter: CaseListFilter, first: number | undefined, after: string | undefined): Promise<CasePage> {
    const size = first ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
      throw CaseException.badInput(`first must be between 0 and ${MAX_PAGE_SIZE}; got ${first}`);
    }
    const cursor = after === undefined ? undefined : decodeCaseCursor(after);
    if (cursor === null) {
      throw CaseException.badInput('after is not a cursor of this list; pass the endCursor of the page you have');
    }
    if (filter.organizationId !== undefined && !isUuid(filter.organizationId)) {
      throw CaseException.badInput(
        `filter.organizationId "${filter.organizationId}" is not an organisation id (a UUID)`,
      );
    }
    return this.uow.run(async () => {
      const rows = await this.cases.findPage(filter, cursor, size + 1);
      const totalCount = await this.cases.count(filter);
      return {
        cases: rows.slice(0, size),
        hasNextPage: rows.length > size,
        hasPreviousPage: cursor !== undefined,
        totalCount,
      };
    });
  }

  /** The history of these cases, each oldest first. */
  historyOf(caseIds: readonly string[]): Promise<CaseTransitionEntity[]> {
    return this.uow.run(() => this.cases.transitionsOf(caseIds));
  }
}
