import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { Viewer } from '@otklik/auth';
import { CaseOpened, MessageAcceptedV1 } from '@otklik/contracts';
import { EventOutbox } from '@otklik/messaging';
import { UnitOfWork } from '@otklik/persistence';
import { DeadlineService } from '../deadlines/deadline.service';
import { isUuid } from '../graphql/uuid';
import { OrganizationService } from '../organizations/organization.service';
import { OrganizationTree } from '../organizations/organization.tree';
import { MAX_NOTE_LENGTH } from './case-workflow.service';
import type { CaseEntity } from './case.entity';
import { CaseException } from './case.exception';
import { CaseRepository } from './case.repository';
import { newCaseOf } from './message-case.mapper';
import { UncasedMessageRepository, UncasedMessageRow } from './uncased-message.repository';
import {
  decodeUncasedCursor,
  keptWithoutCase,
  UNCASED_DEFAULT_PAGE_SIZE,
  UNCASED_MAX_PAGE_SIZE,
  UNCASED_ROLES,
} from './uncased-message.rules';

export interface UncasedPage {
  messages: UncasedMessageRow[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  totalCount: number;
}

/**
 * Messages that open no case (cl. 1): not critical by criticality's verdict, not flagged by
 * screening, about no case already there. They are kept, listed for officials, and a case can be
 * opened from one by hand — the regulation's clock then starts at that moment.
 */
@Injectable()
export class UncasedMessageService {
  private readonly logger = new Logger(UncasedMessageService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly uncased: UncasedMessageRepository,
    private readonly cases: CaseRepository,
    private readonly organizations: OrganizationService,
    private readonly deadlines: DeadlineService,
    private readonly tree: OrganizationTree,
    private readonly outbox: EventOutbox,
  ) {}

  /**
   * Keeps the message without a case when it is not critical and not flagged (keptWithoutCase);
   * true when it is kept (now or by an earlier delivery of the same event), false when a case is
   * to be opened. Runs in the caller's transaction (CaseService.openForMessage).
   */
  async keepIfNotCritical(organizationId: string, message: MessageAcceptedV1): Promise<boolean> {
    if (!keptWithoutCase(message)) return false;
    const kept = await this.uncased.insertIfNew(organizationId, message, new Date());
    this.logger.log(
      kept
        ? `message ${message.messageId} is not critical (cl. 1): kept without a case`
        : `message ${message.messageId} is kept without a case already`,
    );
    return true;
  }

  /** One page of the messages still without a case in the organisations where the viewer may open one, newest first. */
  async list(viewer: Viewer, first: number | undefined, after: string | undefined): Promise<UncasedPage> {
    const size = first ?? UNCASED_DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(size) || size < 0 || size > UNCASED_MAX_PAGE_SIZE) {
      throw CaseException.badInput(`first must be between 0 and ${UNCASED_MAX_PAGE_SIZE}; got ${first}`);
    }
    const cursor = after === undefined ? undefined : decodeUncasedCursor(after);
    if (cursor === null) {
      throw CaseException.badInput('after is not a cursor of this list; pass the endCursor of the page you have');
    }
    const organizationIds = [...(await this.openerOrganizations(viewer))];
    if (organizationIds.length === 0) {
      return { messages: [], hasNextPage: false, hasPreviousPage: cursor !== undefined, totalCount: 0 };
    }
    return this.uow.run(async () => {
      const rows = await this.uncased.findWaiting(organizationIds, cursor, size + 1);
      return {
        messages: rows.slice(0, size),
        hasNextPage: rows.length > size,
        hasPreviousPage: cursor !== undefined,
        totalCount: await this.uncased.countWaiting(organizationIds),
      };
    });
  }

  /**
   * openCase: a DETECTED case for a message kept without a case, its ROUTE deadline (cl. 5)
   * started now — when an official found it critical — and the first line of its history saying
   * who and why, announced as CaseOpened; all in one transaction. NOT_FOUND when the message is not
   * among those kept that the viewer may see, FORBIDDEN without an opener's role over its
   * organisation, CONFLICT when it has a case already.
   */
  async openCase(viewer: Viewer, input: { messageId: string; reason: string }): Promise<CaseEntity> {
    if (!isUuid(input.messageId)) {
      throw CaseException.badInput(`"${input.messageId}" is not a message id; message ids are UUIDs`);
    }
    const reason = input.reason?.trim() ?? '';
    if (reason === '') throw CaseException.badInput('reason is required: say why the message needs an answer');
    if (reason.length > MAX_NOTE_LENGTH) {
      throw CaseException.badInput(`reason is ${reason.length} characters; at most ${MAX_NOTE_LENGTH}`);
    }
    const tree = await this.tree.current();
    return this.uow.run(async () => {
      const kept = await this.uncased.lockById(input.messageId);
      if (!kept) {
        throw CaseException.notFound(
          `message ${input.messageId} is not among the messages kept without a case that you may see`,
        );
      }
      const path = tree.pathOf(kept.organizationId);
      if (!viewer.roles.some((r) => UNCASED_ROLES.includes(r.role) && path.includes(r.organizationId))) {
        const where = tree.get(kept.organizationId)?.code ?? kept.organizationId;
        throw CaseException.forbidden(
          `openCase needs the role ${UNCASED_ROLES.join(', ')} in ${where} or an organisation above it`,
        );
      }
      if (kept.caseId) {
        throw CaseException.conflict(
          `message ${kept.messageId} has a case already: ${kept.caseId}, opened by ${kept.openedBy} at ${kept.openedAt?.toISOString()}`,
        );
      }
      const organization = await this.organizations.byId(kept.organizationId);
      if (!organization) throw new Error(`organisation ${kept.organizationId} of message ${kept.messageId} is unknown`);
      const now = new Date();
      // Detected when an official found it critical; no repeat looked for (it was about no case when it arrived).
      const entity = newCaseOf(kept.organizationId, kept.message, { detectedAt: now, createdAt: now });
      if (!(await this.cases.insertIfNew(entity))) {
        throw CaseException.conflict(`message ${kept.messageId} has a case already`);
      }
      const route = await this.deadlines.startRoute({
        caseId: entity.id,
        organizationId: entity.organizationId,
        detectedAt: now,
        timeZone: organization.timeZone,
      });
      await this.cases.appendTransition({
        id: randomUUID(),
        caseId: entity.id,
        organizationId: entity.organizationId,
        action: 'OPEN',
        fromStatus: null,
        toStatus: 'DETECTED',
        actor: viewer.login,
        reason: `opened by hand from a message kept as not critical (cl. 1): ${reason}`,
        at: now,
      });
      await this.uncased.markOpened(kept.messageId, { caseId: entity.id, by: viewer.login, at: now, reason });
      await this.outbox.add(CaseOpened, entity.organizationId, {
        caseId: entity.id,
        messageId: entity.messageId,
        status: entity.status,
        openedAt: now.toISOString(),
        routeDueAt: route.dueAt.toISOString(),
      });
      this.logger.log(`case ${entity.id} opened by ${viewer.login} for kept message ${kept.messageId}`);
      return entity;
    });
  }

  /** The organisations where the viewer holds an opener's role, and every one below them. */
  private async openerOrganizations(viewer: Viewer): Promise<Set<string>> {
    const held = viewer.roles.filter((r) => UNCASED_ROLES.includes(r.role)).map((r) => r.organizationId);
    return held.length === 0 ? new Set() : (await this.tree.current()).subtreesOf(held);
  }
}
