import { Injectable } from '@nestjs/common';
import { In, SelectQueryBuilder } from 'typeorm';
import { UnitOfWork } from '@otklik/persistence';
import type { CaseCursor } from './case.cursor';
import { CaseEntity } from './case.entity';
import type { CaseStatus } from './case.status';
import { CaseTransitionEntity } from './case-transition.entity';

export interface CaseListFilter {
  statuses?: readonly CaseStatus[];
  organizationId?: string;
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

  findByIds(ids: readonly string[]): Promise<CaseEntity[]> {
    return this.uow.manager.findBy(CaseEntity, { id: In([...ids]) });
  }

  /** Up to `limit` cases after `after`, newest first by (detected_at, id). */
  findPage(filter: CaseListFilter, after: CaseCursor | undefined, limit: number): Promise<CaseEntity[]> {
    const query = this.filtered(filter);
    if (after) {
      query.andWhere('(c.detectedAt, c.id) < (:afterAt, :afterId)', { afterAt: after.detectedAt, afterId: after.id });
    }
    return query.orderBy('c.detectedAt', 'DESC').addOrderBy('c.id', 'DESC').limit(limit).getMany();
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
    return query;
  }

  async appendTransition(transition: Omit<CaseTransitionEntity, 'seq'>): Promise<void> {
    await this.uow.manager.insert(CaseTransitionEntity, transition);
  }

  /** The history of these cases, each in the order it was written. */
  transitionsOf(caseIds: readonly string[]): Promise<CaseTransitionEntity[]> {
    return this.uow.manager.find(CaseTransitionEntity, {
      where: { caseId: In([...caseIds]) },
      order: { seq: 'ASC' },
    });
  }
}
