import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@otklik/persistence';
import { CasePathEntity } from './case-path.entity';

/** Where each case stands (its organisation path); runs inside the caller's UnitOfWork and scope. */
@Injectable()
export class CasePathRepository {
  constructor(private readonly uow: UnitOfWork) {}

  /** Keeps the path a move announced; an older move (replayed, or delivered late) never overwrites a newer one. */
  async remember(caseId: string, path: readonly string[], at: Date): Promise<void> {
    await this.uow.manager.query(
      `insert into notify.case_paths as p (case_id, organization_id, path, updated_at) values ($1, $2, $3::uuid[], $4)
       on conflict (case_id) do update
         set organization_id = excluded.organization_id, path = excluded.path, updated_at = excluded.updated_at
         where p.updated_at <= excluded.updated_at`,
      [caseId, path[0], [...path], at],
    );
  }

  /** The case's last known path, when it is visible in the transaction's scope. */
  async pathOf(caseId: string): Promise<string[] | undefined> {
    return (await this.uow.manager.findOneBy(CasePathEntity, { caseId }))?.path;
  }
}
