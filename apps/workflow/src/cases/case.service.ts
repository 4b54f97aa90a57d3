import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { Viewer } from '@otklik/auth';
import { orgsScope } from '@otklik/observability';
import type { Role } from '@otklik/contracts';
import { StaffService } from '../staff/staff.service';
import { CaseOpened, MessageAcceptedV1 } from '@otklik/contracts';
import { EventOutbox } from '@otklik/messaging';
import { UnitOfWork } from '@otklik/persistence';
import { DeadlineService } from '../deadlines/deadline.service';
import { isUuid } from '../graphql/uuid';
import { OrganizationService } from '../organizations/organization.service';
import { OrganizationTree } from '../organizations/organization.tree';
import { readerOf } from './case.access';
import { CaseOrder, decodeCaseCursor } from './case.cursor';
import { OPEN_STATUSES } from './case.transitions';
import { CaseEntity } from './case.entity';
import { CaseException } from './case.exception';
import { CaseListFilter, CaseRepository } from './case.repository';
import { DraftEntity } from '../drafts/draft.entity';
import { DraftRepository } from '../drafts/draft.repository';
import { PublicationEntity } from '../publications/publication.entity';
import { PublicationRepository } from '../publications/publication.repository';
import { AuthorErasureService } from '../personal-data/author-erasure.service';
import { CaseCommentEntity } from './case-comment.entity';
import { CaseLinkEntity } from './case-link.entity';
import { CaseMessageEntity } from './case-message.entity';
import { CaseTransitionEntity } from './case-transition.entity';
import { CaseWorkflowService, SYSTEM_ACTOR } from './case-workflow.service';
import { CaseRepeatService, describeMatch } from './case-repeat.service';
import { UncasedMessageService } from './uncased-message.service';
import { newCaseOf } from './message-case.mapper';
import type { CaseStatus } from './case.status';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface CasePage {
  cases: Array<{ entity: CaseEntity; sortKey: Date }>;
  order: CaseOrder;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  totalCount: number;
}

/** Screening against the officials' decisions (CaseService.screeningReview). */
export interface ScreeningReview {
  flagged: number;
  confirmed: number;
  overruled: number;
  pending: number;
  missed: number;
  precision: number | null;
  recall: number | null;
}

/** The list's query as clients give it: the repository's filter with logins instead of ids. */
export interface CaseListQuery extends Omit<CaseListFilter, 'reader' | 'executorUserId'> {
  executorLogin?: string;
  mine?: boolean;
}

/** A user id nobody has. */
const NOBODY = '00000000-0000-0000-0000-000000000000';

/**
 * "My work" (CaseFilter.mine): the statuses in which a case waits for each role — the official
 * routes new cases and decides on drafts, the reception registers and assigns, the executor
 * drafts the cases assigned to them; HEAD and COORDINATOR follow everything still open.
 */
export const MINE_BY_ROLE: Readonly<Record<Role, readonly CaseStatus[]>> = {
  OFFICIAL: ['DETECTED', 'DRAFT_SUBMITTED'],
  RECEPTION: ['ROUTED', 'REGISTERED'],
  EXECUTOR: ['ASSIGNED', 'AWAITING_FINAL'],
  HEAD: OPEN_STATUSES,
  COORDINATOR: OPEN_STATUSES,
};

/** The statuses of the viewer's work (within `asked` when given); executor-only when EXECUTOR is all they hold. */
export function mineFor(
  viewer: Viewer,
  asked: readonly CaseStatus[] | undefined,
): { statuses: CaseStatus[]; executorOnly: boolean } {
  const roles = new Set(viewer.roles.map((r) => r.role));
  const statuses = new Set([...roles].flatMap((role) => MINE_BY_ROLE[role]));
  return {
    statuses: asked && asked.length > 0 ? asked.filter((s) => statuses.has(s)) : [...statuses],
    executorOnly: roles.size === 1 && roles.has('EXECUTOR'),
  };
}

@Injectable()
export class CaseService {
  private readonly logger = new Logger(CaseService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly cases: CaseRepository,
    private readonly organizations: OrganizationService,
    private readonly deadlines: DeadlineService,
    private readonly outbox: EventOutbox,
    private readonly workflow: CaseWorkflowService,
    private readonly tree: OrganizationTree,
    private readonly staff: StaffService,
    private readonly drafts: DraftRepository,
    private readonly publications: PublicationRepository,
    private readonly repeats: CaseRepeatService,
    private readonly uncased: UncasedMessageService,
    private readonly erasures: AuthorErasureService,
  ) {}

  /**
   * Opens a case (DETECTED) for an accepted message of `organizationId`, with its ROUTE deadline
   * (cl. 5) and the first line of its history, and announces it (CaseOpened) — all in one
   * transaction. A reply of an author whose case awaits their clarification joins that case
   * instead (cl. 7); a message about an issue already considered — an answered case of the same
   * author or thread, with similar text (CaseRepeatService) — opens a repeat, linked to it and
   * pre-assigned to its executor (cl. 9); one about an issue still in progress opens a case linked
   * to that one. A message that already has a case opens nothing; returns the new case or null.
   */
  async openForMessage(organizationId: string, accepted: MessageAcceptedV1): Promise<CaseEntity | null> {
    // Its author erased before it got here (152-FZ): kept, as every copy of it is, anonymised.
    const message = await this.erasures.unlessErased(accepted);
    const tree = await this.tree.current(organizationId);
    // The author's earlier cases may have been routed below the organisation (a subdivision, a
    // sel'sovet): replies and repeats are looked for there too, in this same transaction.
    const below = orgsScope([...new Set([organizationId, ...tree.subtreesOf([organizationId])])]);
    return this.uow.withinScope(below, async () => {
      if (await this.workflow.joinReply(organizationId, message)) return null;
      const organization = await this.organizations.byId(organizationId);
      if (!organization) {
        // Retried, then dead-lettered: the event is fine, workflow is missing the organisation.
        throw new Error(
          `message ${message.messageId} belongs to organisation ${organizationId}, which workflow does not know`,
        );
      }
      const now = new Date();
      const entity = newCaseOf(organizationId, message, { detectedAt: new Date(message.receivedAt), createdAt: now });
      // A repeat (cl. 9): linked to the earlier case and pre-assigned to its executor.
      const { repeatOf, inProgress } = await this.repeats.find(message);
      // Not critical (cl. 1), not flagged, about no case: kept for officials to open one by hand.
      if (!repeatOf && !inProgress && (await this.uncased.keepIfNotCritical(organizationId, message))) return null;
      const earlier = repeatOf?.entity;
      if (earlier) Object.assign(entity, { repeatOfId: earlier.id, executorUserId: earlier.executorUserId });
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
      for (const match of [repeatOf, inProgress]) {
        if (match) await this.cases.link(entity, match.entity, SYSTEM_ACTOR, now);
      }
      await this.cases.appendTransition({
        id: randomUUID(),
        caseId: entity.id,
        organizationId,
        action: 'OPEN',
        fromStatus: null,
        toStatus: 'DETECTED',
        actor: SYSTEM_ACTOR,
        reason:
          `detected by ${message.platform} source ${message.sourceId}` +
          (repeatOf ? `; repeats case ${repeatOf.entity.id} (cl. 9: ${describeMatch(repeatOf)})` : '') +
          (inProgress
            ? `; same issue as case ${inProgress.entity.id}, not answered yet (${describeMatch(inProgress)})`
            : ''),
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

  /** Cases by id as far as the viewer may see them; ids that are not UUIDs find nothing. */
  async byIds(ids: readonly string[], viewer: Viewer): Promise<CaseEntity[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    const reader = readerOf(viewer, await this.tree.current());
    return this.uow.run(() => this.cases.findByIds(valid, reader));
  }

  /**
   * One page of the cases the viewer may see (Relay forward pagination), newest first or soonest
   * due first; `mine` narrows to what waits for the viewer's roles (MINE_BY_ROLE).
   */
  async list(
    viewer: Viewer,
    query: CaseListQuery,
    first: number | undefined,
    after: string | undefined,
  ): Promise<CasePage> {
    const size = first ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
      throw CaseException.badInput(`first must be between 0 and ${MAX_PAGE_SIZE}; got ${first}`);
    }
    const order = query.order ?? 'NEWEST';
    const cursor = after === undefined ? undefined : decodeCaseCursor(after);
    if (cursor === null || (cursor && cursor.order !== order)) {
      throw CaseException.badInput(
        'after is not a cursor of this list (same filter and sort); pass the endCursor of the page you have',
      );
    }
    if (query.organizationId !== undefined && !isUuid(query.organizationId)) {
      throw CaseException.badInput(
        `filter.organizationId "${query.organizationId}" is not an organisation id (a UUID)`,
      );
    }
    if (query.text !== undefined && query.text.trim().length < 2) {
      throw CaseException.badInput('filter.text needs at least 2 characters');
    }
    if (query.detectedFrom && query.detectedTo && query.detectedFrom >= query.detectedTo) {
      throw CaseException.badInput('filter.detectedFrom must be before filter.detectedTo');
    }
    const tree = await this.tree.current();
    const filter: CaseListFilter = { ...query, text: query.text?.trim(), reader: readerOf(viewer, tree) };
    return this.uow.run(async () => {
      if (query.executorLogin !== undefined) {
        const executor = await this.staff.memberByLogin(query.executorLogin);
        // Nobody of that login among those the viewer may see: no case can match.
        filter.executorUserId = executor?.user.id ?? NOBODY;
      }
      if (query.mine) {
        const mine = mineFor(viewer, query.statuses);
        if (mine.statuses.length === 0) {
          return { cases: [], order, hasNextPage: false, hasPreviousPage: cursor !== undefined, totalCount: 0 };
        }
        if (mine.executorOnly) filter.executorUserId = viewer.userId;
        filter.statuses = mine.statuses;
      }
      const rows = await this.cases.findPage(filter, cursor, size + 1);
      const totalCount = await this.cases.count(filter);
      return {
        cases: rows.slice(0, size),
        order,
        hasNextPage: rows.length > size,
        hasPreviousPage: cursor !== undefined,
        totalCount,
      };
    });
  }

  /**
   * How screening's proposals (cl. 11) fared with the officials, over the cases the viewer may
   * see (of one organisation, detected in a date range, when given): precision is the share of
   * flagged cases the officials excluded; recall the share of excluded cases screening flagged.
   */
  async screeningReview(
    viewer: Viewer,
    query: Pick<CaseListFilter, 'organizationId' | 'detectedFrom' | 'detectedTo'>,
  ): Promise<ScreeningReview> {
    if (query.organizationId !== undefined && !isUuid(query.organizationId)) {
      throw CaseException.badInput(`organizationId "${query.organizationId}" is not an organisation id (a UUID)`);
    }
    const reader = readerOf(viewer, await this.tree.current());
    const counts = await this.uow.run(() => this.cases.screeningCounts({ ...query, reader }));
    const excluded = counts.confirmed + counts.missed;
    return {
      ...counts,
      overruled: counts.flagged - counts.confirmed,
      precision: counts.flagged > 0 ? counts.confirmed / counts.flagged : null,
      recall: excluded > 0 ? counts.confirmed / excluded : null,
    };
  }

  /** The history of these cases, each oldest first. */
  historyOf(caseIds: readonly string[]): Promise<CaseTransitionEntity[]> {
    return this.uow.run(() => this.cases.transitionsOf(caseIds));
  }

  /** Every draft version of these cases, oldest first. */
  draftsOf(caseIds: readonly string[]): Promise<DraftEntity[]> {
    return this.uow.run(() => this.drafts.ofCases(caseIds));
  }

  publicationsOf(caseIds: readonly string[]): Promise<PublicationEntity[]> {
    return this.uow.run(() => this.publications.ofCases(caseIds));
  }

  commentsOf(caseIds: readonly string[]): Promise<CaseCommentEntity[]> {
    return this.uow.run(() => this.cases.commentsOf(caseIds));
  }

  /** The links of these cases (each to a related case's id). */
  linksOf(caseIds: readonly string[]): Promise<CaseLinkEntity[]> {
    return this.uow.run(() => this.cases.linksOf(caseIds));
  }

  /** The author's later messages that joined these cases, oldest first. */
  repliesOf(caseIds: readonly string[]): Promise<CaseMessageEntity[]> {
    return this.uow.run(() => this.cases.messagesOf(caseIds));
  }
}
