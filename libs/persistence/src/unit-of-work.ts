import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager } from 'typeorm';
import { callContext, OrgScope } from '@otklik/observability';

const activeManager = new AsyncLocalStorage<EntityManager>();

/**
 * Every database access runs in a transaction that carries the caller's organisation scope
 * (from the call context) into PostgreSQL, where row-level security enforces it. Nested
 * calls join the open transaction, so a service can compose repository calls and outbox
 * writes into one commit.
 */
export class UnitOfWork {
  constructor(private readonly dataSource: DataSource) {}

  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const open = activeManager.getStore();
    if (open) return work(open);
    const { orgScope } = callContext.require();
    return this.dataSource.transaction(async (manager) => {
      await applyOrgScope(manager, orgScope);
      return activeManager.run(manager, () => work(manager));
    });
  }

  /** The manager of the open transaction; repositories call this inside `run`. */
  get manager(): EntityManager {
    const open = activeManager.getStore();
    if (!open) throw new Error('no open transaction: call repositories inside UnitOfWork.run(...)');
    return open;
  }
}

export async function applyOrgScope(manager: EntityManager, scope: OrgScope): Promise<void> {
  const all = scope.kind === 'all' ? 'on' : 'off';
  const ids = scope.kind === 'orgs' ? scope.ids.join(',') : '';
  await manager.query("select set_config('app.all_orgs', $1, true), set_config('app.org_ids', $2, true)", [all, ids]);
}
