import { Injectable } from '@nestjs/common';
import { Brackets, In, SelectQueryBuilder } from 'typeorm';
import { UnitOfWork } from '@otklik/persistence';
import type { CaseCursor, CaseOrder } from './case.cursor';
import { CaseEntity } from './case.entity';
import type { CaseStatus } from './case.status';
import { CaseCommentEntity } from './case-comment.entity';
import { CaseLinkEntity } from './case-link.entity';
import { CaseMessageEntity } from './case-message.entity';
import { CaseTransitionEntity } from './case-transition.entity';

/** Open deadlines' states as the list filters them (the clock's view, as the timers store it). */
export type OpenDeadlineState = 'ON_TRACK' | 'AT_RISK' | 'OVERDUE';

export interface CaseListFilter {
  statuses?: readonly CaseStatus[];
  organizationId?: string;
  /** Cases with an open deadline in any of these states. */
  deadlineStates?: readonly OpenDeadlineState[];
  executorUserId?: string;
  platforms?: readonly string[];
  /** Words of the message, matched case-insensitively. */
  text?: string;
  detectedFrom?: Date;
  detectedTo?: Date;
  order?: CaseOrder;
  /**
   * Who reads (beyond row-level security): the organisations whose every case they may see; in
   * the others they see only the cases assigned to them (an executor's view).
   */
  reader?: CaseReader;
}

/** What a viewer may read of the cases row-level security lets through. */
export interface CaseReader {
  userId: string;
  /** Organisations in which the viewer holds a role other than EXECUTOR, and all below them. */
  fullOrganizationIds: readonly string[];
}

/** Sort key of cases without an open deadline in the soonest-due order: after every real one. */
const NO_DUE = new Date('9999-12-31T00:00:00.000Z');

/** An open deadline's state by the clock, from its stored moments (as the timers fire them). */
const DEADLINE_STATE_SQL: Record<OpenDeadlineState, string> = {
  OVERDUE: 'd.due_at < now()',
  AT_RISK: 'd.due_at >= now() and d.at_risk_at <= now()',
  ON_TRACK: 'd.due_at >= now() and (d.at_risk_at is null or d.at_risk_at > now())',
};

function readableBy(query: SelectQueryBuilder<CaseEntity>, reader: CaseReader): void {
  query.andWhere(
    new Brackets((q) =>
      q
        .where('c.organizationId = any(:fullOrgs)', { fullOrgs: [...reader.fullOrganizationIds] })
        .orWhere('c.executorUserId = :readerId', { readerId: reader.userId }),
    ),
  );
}

/**
 * Cases and their history. No method filters by the caller's organisations: row-level
 * security does, for every query here (docs/architecture.md, "Tenancy in PostgreSQL").
 */
@Injectable()
export class CaseRepository {
  constructor(private readonly uow: UnitOfWork) {}

  /** Inserts the case unless its message already has one; true when inserted. */
  async insertIfNew(entity: CaseEntity): Promise<boolean> {
    const result = await this.uow.manager
      .createQueryBuilder()
      .insert()
      .into(CaseEntity)
      .values(entity)
      .orIgnore()
      .returning(['id'])
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  findByIds(ids: readonly string[], reader?: CaseReader): Promise<CaseEntity[]> {
    const query = this.uow.manager.createQueryBuilder(CaseEntity, 'c').where('c.id = any(:ids)', { ids: [...ids] });
    if (reader) readableBy(query, reader);
    return query.getMany();
  }

  /** The case, locked until the transaction ends (transitions of one case queue up), or null. */
  lockById(id: string): Promise<CaseEntity | null> {
    return this.uow.manager
      .createQueryBuilder(CaseEntity, 'c')
      .where('c.id = :id', { id })
      .setLock('pessimistic_write')
      .getOne();
  }

  /** Writes the case's changed fields and bumps its version. */
  async save(entity: CaseEntity): Promise<void> {
    entity.version += 1;
    entity.updatedAt = new Date();
    await this.uow.manager.update(CaseEntity, { id: entity.id }, { ...entity });
  }

  /**
   * The newest case on the same source written by the same author, or in the same thread,
   * among these statuses: the case a reply joins (cl. 7). Repeats are found by CaseRepeatRepository.
   */
  findLatestOfAuthorOrThread(
    probe: { sourceId: string; authorId?: string; threadId?: string; excludeId?: string },
    statuses: readonly CaseStatus[],
    by: 'thread' | 'author',
  ): Promise<CaseEntity | null> {
    const key = by === 'thread' ? probe.threadId : probe.authorId;
    if (!key) return Promise.resolve(null);
    const query = this.uow.manager
      .createQueryBuilder(CaseEntity, 'c')
      .where('c.sourceId = :sourceId', { sourceId: probe.sourceId })
      .andWhere(by === 'thread' ? 'c.threadId = :key' : 'c.authorId = :key', { key })
      .andWhere('c.status = any(:statuses)', { statuses: [...statuses] });
    if (probe.excludeId) query.andWhere('c.id <> :excludeId', { excludeId: probe.excludeId });
    return query.orderBy('c.detectedAt', 'DESC').limit(1).getOne();
  }

  /**
   * Up to `limit` cases after `after`: newest first by (detected_at, id), or soonest due first by
   * (next open due moment, id), cases without an open deadline last. Each with its sort key.
   */
  async findPage(
    filter: CaseListFilter,
    after: CaseCursor | undefined,
    limit: number,
  ): Promise<Array<{ entity: CaseEntity; sortKey: Date }>> {
    const query = this.filtered(filter);
    if ((filter.order ?? 'NEWEST') === 'NEWEST') {
      if (after) {
        query.andWhere('(c.detectedAt, c.id) < (:afterAt, :afterId)', { afterAt: after.at, afterId: after.id });
      }
      const rows = await query.orderBy('c.detectedAt', 'DESC').addOrderBy('c.id', 'DESC').limit(limit).getMany();
      return rows.map((entity) => ({ entity, sortKey: entity.detectedAt }));
    }
    const nextDue = `coalesce((select min(d.due_at) from workflow.deadlines d
        where d.case_id = c.id and d.state = 'ON_TRACK'), '${NO_DUE.toISOString()}'::timestamptz)`;
    query.addSelect(nextDue, 'next_due');
    if (after) query.andWhere(`(${nextDue}, c.id) > (:afterAt, :afterId)`, { afterAt: after.at, afterId: after.id });
    const { entities, raw } = await query
      .orderBy('next_due', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .limit(limit)
      .getRawAndEntities();
    const keys = new Map((raw as Array<{ c_id: string; next_due: Date }>).map((r) => [r.c_id, r.next_due]));
    return entities.map((entity) => ({ entity, sortKey: new Date(keys.get(entity.id) as Date) }));
  }

  /**
   * Screening's proposals against the decisions taken, over the screened cases the filter
   * selects: flagged and decided, of those excluded (confirmed), flagged awaiting a first
   * decision, and excluded though screening found nothing (missed).
   */
  async screeningCounts(
    filter: CaseListFilter,
  ): Promise<{ flagged: number; confirmed: number; pending: number; missed: number }> {
    const flagged = 'cardinality(c.screening_reasons) > 0';
    const row = await this.filtered(filter)
      .select(`count(*) filter (where ${flagged} and c.status <> 'DETECTED')::int`, 'flagged')
      .addSelect(`count(*) filter (where ${flagged} and c.status = 'EXCLUDED')::int`, 'confirmed')
      .addSelect(`count(*) filter (where ${flagged} and c.status = 'DETECTED')::int`, 'pending')
      .addSelect(`count(*) filter (where not ${flagged} and c.status = 'EXCLUDED')::int`, 'missed')
      .andWhere('c.screening_reasons is not null')
      .getRawOne<{ flagged: number; confirmed: number; pending: number; missed: number }>();
    return row ?? { flagged: 0, confirmed: 0, pending: 0, missed: 0 };
  }

  count(filter: CaseListFilter): Promise<number> {
    return this.filtered(filter).getCount();
  }

  private filtered(filter: CaseListFilter): SelectQueryBuilder<CaseEntity> {
    const query = this.uow.manager.createQueryBuilder(CaseEntity, 'c');
    if (filter.statuses && filter.statuses.length > 0) {
      query.andWhere('c.status = any(:statuses)', { statuses: [...filter.statuses] });
    }
    if (filter.organizationId)
      query.andWhere('c.organizationId = :organizationId', { organizationId: filter.organizationId });
    if (filter.reader) readableBy(query, filter.reader);
    if (filter.executorUserId)
      query.andWhere('c.executorUserId = :executorUserId', { executorUserId: filter.executorUserId });
    if (filter.platforms && filter.platforms.length > 0) {
      query.andWhere('c.platform = any(:platforms)', { platforms: [...filter.platforms] });
    }
    if (filter.text) {
      const escaped = filter.text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
      query.andWhere('c.messageText ilike :text', { text: `%${escaped}%` });
    }
    if (filter.detectedFrom) query.andWhere('c.detectedAt >= :detectedFrom', { detectedFrom: filter.detectedFrom });
    if (filter.detectedTo) query.andWhere('c.detectedAt < :detectedTo', { detectedTo: filter.detectedTo });
    if (filter.deadlineStates && filter.deadlineStates.length > 0) {
      const states = filter.deadlineStates.map((state) => DEADLINE_STATE_SQL[state]);
      query.andWhere(
        `exists (select 1 from workflow.deadlines d where d.case_id = c.id and d.state = 'ON_TRACK'
           and (${states.join(' or ')}))`,
      );
    }
    return query;
  }

  async appendTransition(transition: Omit<CaseTransitionEntity, 'seq'>): Promise<void> {
    await this.uow.manager.insert(CaseTransitionEntity, transition);
  }

  async appendComment(comment: Omit<CaseCommentEntity, 'seq'>): Promise<void> {
    await this.uow.manager.insert(CaseCommentEntity, comment);
  }

  commentsOf(caseIds: readonly string[]): Promise<CaseCommentEntity[]> {
    return this.uow.manager.find(CaseCommentEntity, { where: { caseId: In([...caseIds]) }, order: { seq: 'ASC' } });
  }

  /** Links the two cases both ways; false when they were linked already. */
  async link(a: CaseEntity, b: CaseEntity, createdBy: string, at: Date): Promise<boolean> {
    const result = await this.uow.manager
      .createQueryBuilder()
      .insert()
      .into(CaseLinkEntity)
      .values([
        { caseId: a.id, relatedCaseId: b.id, organizationId: a.organizationId, createdBy, createdAt: at },
        { caseId: b.id, relatedCaseId: a.id, organizationId: b.organizationId, createdBy, createdAt: at },
      ])
      .orIgnore()
      .returning('case_id')
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  /** Unlinks the two cases; false when they were not linked. */
  async unlink(a: string, b: string): Promise<boolean> {
    const result = await this.uow.manager
      .createQueryBuilder()
      .delete()
      .from(CaseLinkEntity)
      .where('(case_id = :a and related_case_id = :b) or (case_id = :b and related_case_id = :a)', { a, b })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** The ids of the cases linked to each of these, as far as the caller sees them. */
  linksOf(caseIds: readonly string[]): Promise<CaseLinkEntity[]> {
    return this.uow.manager.find(CaseLinkEntity, {
      where: { caseId: In([...caseIds]) },
      order: { createdAt: 'ASC' },
    });
  }

  /** Adds a later message to a case; false when that message has joined one already. */
  async joinMessage(message: CaseMessageEntity): Promise<boolean> {
    const result = await this.uow.manager
      .createQueryBuilder()
      .insert()
      .into(CaseMessageEntity)
      .values(message)
      .orIgnore()
      .returning('message_id')
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  messagesOf(caseIds: readonly string[]): Promise<CaseMessageEntity[]> {
    return this.uow.manager.find(CaseMessageEntity, {
      where: { caseId: In([...caseIds]) },
      order: { joinedAt: 'ASC' },
    });
  }

  /** The history of these cases, each in the order it was written. */
  transitionsOf(caseIds: readonly string[]): Promise<CaseTransitionEntity[]> {
    return this.uow.manager.find(CaseTransitionEntity, {
      where: { caseId: In([...caseIds]) },
      order: { seq: 'ASC' },
    });
  }
}
