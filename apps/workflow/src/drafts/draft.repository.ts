import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { UnitOfWork } from '@otklik/persistence';
import { DraftEntity } from './draft.entity';

/** Drafts of cases, every version kept. */
@Injectable()
export class DraftRepository {
  constructor(private readonly uow: UnitOfWork) {}

  async insert(draft: DraftEntity): Promise<void> {
    await this.uow.manager.insert(DraftEntity, draft);
  }

  /** The next version number of a case's drafts (1 for the first). */
  async nextVersion(caseId: string): Promise<number> {
    const row = await this.uow.manager
      .createQueryBuilder(DraftEntity, 'd')
      .select('coalesce(max(d.version), 0) + 1', 'next')
      .where('d.caseId = :caseId', { caseId })
      .getRawOne<{ next: number }>();
    return Number(row?.next ?? 1);
  }

  /** The case's draft awaiting the official's decision, if any. */
  findSubmitted(caseId: string): Promise<DraftEntity | null> {
    return this.uow.manager.findOne(DraftEntity, {
      where: { caseId, status: 'SUBMITTED' },
      order: { version: 'DESC' },
    });
  }

  async decide(
    id: string,
    decision: Pick<DraftEntity, 'status' | 'decidedBy' | 'decidedAt' | 'decisionComment'>,
  ): Promise<void> {
    await this.uow.manager.update(DraftEntity, { id }, decision);
  }

  /** Every version of these cases' drafts, oldest first. */
  ofCases(caseIds: readonly string[]): Promise<DraftEntity[]> {
    return this.uow.manager.find(DraftEntity, {
      where: { caseId: In([...caseIds]) },
      order: { version: 'ASC' },
    });
  }
}
