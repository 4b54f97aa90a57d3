import type { DataSource, EntityManager } from 'typeorm';
import { ALL_ORGS, callContext, OrgScope, orgsScope } from '@otklik/observability';
import { orgScopeStatement, UnitOfWork } from './unit-of-work';

const ORG_A = '0b6f4a5e-0000-4000-8000-000000000001';
const ORG_B = '7D2C9E14-5B3A-4F6E-8C1D-2A9B8E7F6A50';

describe('orgScopeStatement: the scope handed to row-level security for one transaction', () => {
  it('"all" turns app.all_orgs on and leaves app.org_ids empty', () => {
    expect(orgScopeStatement(ALL_ORGS)).toBe(
      "select set_config('app.all_orgs', 'on', true), set_config('app.org_ids', '', true)",
    );
  });

  it('a list of organisations turns app.all_orgs off and joins the ids with commas', () => {
    expect(orgScopeStatement(orgsScope([ORG_A, ORG_B]))).toBe(
      `select set_config('app.all_orgs', 'off', true), set_config('app.org_ids', '${ORG_A},${ORG_B}', true)`,
    );
  });

  it('an empty list turns app.all_orgs off with no ids, so nothing is visible', () => {
    expect(orgScopeStatement(orgsScope([]))).toBe(
      "select set_config('app.all_orgs', 'off', true), set_config('app.org_ids', '', true)",
    );
  });

  it('sets both settings transaction-locally (is_local = true), so a pooled connection keeps no scope', () => {
    const statement = orgScopeStatement(orgsScope([ORG_A]));
    expect(statement.match(/, true\)/g)).toHaveLength(2);
    expect(statement).not.toMatch(/, false\)/);
  });

  it.each([
    ['an SQL injection', "x', true); set role postgres; --"],
    ['a quote', "0b6f4a5e-0000-4000-8000-00000000000'"],
    ['a comma-joined pair', `${ORG_A},${ORG_A}`],
    ['a trailing newline', `${ORG_A}\n`],
    ['surrounding spaces', ` ${ORG_A} `],
    ['a slug', 'kalmansky'],
    ['the empty string', ''],
    ['a UUID without dashes', '0b6f4a5e000040008000000000000001'],
  ])('an id that is not a UUID (%s) is refused — only UUIDs are ever inlined into the SQL', (_why, id) => {
    expect(() => orgScopeStatement(orgsScope([ORG_A, id]))).toThrow(
      `organisation id in a scope is not a UUID: "${id}"`,
    );
  });
});

interface FakeRunner {
  queries: string[];
  released: number;
  manager: EntityManager;
  isTransactionActive: boolean;
  activeDuringWork?: boolean;
}

/** A DataSource whose query runners record their SQL; `fail` makes the matching statement reject. */
function fakeDataSource(fail: (sql: string) => Error | undefined = () => undefined) {
  const runners: FakeRunner[] = [];
  const dataSource = {
    createQueryRunner: () => {
      const runner: FakeRunner = {
        queries: [],
        released: 0,
        manager: { name: `manager-${runners.length + 1}` } as unknown as EntityManager,
        isTransactionActive: false,
      };
      // Statements sent through the manager land in the same log as the runner's own.
      (runner.manager as unknown as { query: (sql: string) => Promise<unknown[]> }).query = (sql) => {
        runner.queries.push(sql);
        return Promise.resolve([]);
      };
      const queryRunner = {
        get manager() {
          return runner.manager;
        },
        get isTransactionActive() {
          return runner.isTransactionActive;
        },
        set isTransactionActive(active: boolean) {
          runner.isTransactionActive = active;
        },
        query: (sql: string) => {
          runner.queries.push(sql);
          const error = fail(sql);
          return error ? Promise.reject(error) : Promise.resolve([]);
        },
        release: () => {
          runner.released++;
          return Promise.resolve();
        },
      };
      runners.push(runner);
      return queryRunner;
    },
  };
  return { dataSource: dataSource as unknown as DataSource, runners };
}

const as = <T>(scope: OrgScope, fn: () => Promise<T>) =>
  callContext.run({ correlationId: 'test', orgScope: scope }, fn);

describe('UnitOfWork: every database access in one scoped transaction', () => {
  it('begins the transaction and sets the scope in one round trip, commits, releases, and returns the result', async () => {
    const { dataSource, runners } = fakeDataSource();
    const uow = new UnitOfWork(dataSource);
    const result = await as(orgsScope([ORG_A]), () => uow.run(() => Promise.resolve(42)));
    expect(result).toBe(42);
    expect(runners).toHaveLength(1);
    expect(runners[0].queries).toEqual([`start transaction; ${orgScopeStatement(orgsScope([ORG_A]))}`, 'commit']);
    expect(runners[0].released).toBe(1);
  });

  it('the work gets the transaction’s manager, also through uow.manager, and TypeORM sees the transaction as open', async () => {
    const { dataSource, runners } = fakeDataSource();
    const uow = new UnitOfWork(dataSource);
    await as(ALL_ORGS, () =>
      uow.run((manager) => {
        expect(manager).toBe(runners[0].manager);
        expect(uow.manager).toBe(manager);
        runners[0].activeDuringWork = runners[0].isTransactionActive;
        return Promise.resolve();
      }),
    );
    expect(runners[0].activeDuringWork).toBe(true);
    expect(runners[0].isTransactionActive).toBe(false);
  });

  it('uow.manager outside run() is a programming error', () => {
    const uow = new UnitOfWork(fakeDataSource().dataSource);
    expect(() => uow.manager).toThrow('no open transaction: call repositories inside UnitOfWork.run(...)');
  });

  it('work outside a call context is refused before a connection is taken', async () => {
    const { dataSource, runners } = fakeDataSource();
    await expect(new UnitOfWork(dataSource).run(() => Promise.resolve())).rejects.toThrow(/no call context/);
    expect(runners).toHaveLength(0);
  });

  it('a scope with a non-UUID id is refused before a connection is taken', async () => {
    const { dataSource, runners } = fakeDataSource();
    const uow = new UnitOfWork(dataSource);
    await expect(as(orgsScope(['kalmansky']), () => uow.run(() => Promise.resolve()))).rejects.toThrow(/not a UUID/);
    expect(runners).toHaveLength(0);
  });

  it('when the work throws, the transaction is rolled back (not committed), the connection released, the error rethrown', async () => {
    const { dataSource, runners } = fakeDataSource();
    const failure = new Error('domain rule broken');
    const uow = new UnitOfWork(dataSource);
    await expect(as(ALL_ORGS, () => uow.run(() => Promise.reject(failure)))).rejects.toBe(failure);
    expect(runners[0].queries.slice(1)).toEqual(['rollback']);
    expect(runners[0].released).toBe(1);
    expect(runners[0].isTransactionActive).toBe(false);
  });

  it('a failing rollback does not hide the error that caused it', async () => {
    const { dataSource, runners } = fakeDataSource((sql) => (sql === 'rollback' ? new Error('gone') : undefined));
    const failure = new Error('the real cause');
    await expect(as(ALL_ORGS, () => new UnitOfWork(dataSource).run(() => Promise.reject(failure)))).rejects.toBe(
      failure,
    );
    expect(runners[0].released).toBe(1);
  });

  it('when the transaction cannot even begin, nothing is rolled back and the connection is still released', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const { dataSource, runners } = fakeDataSource((sql) =>
      sql.startsWith('start transaction') ? refused : undefined,
    );
    const work = jest.fn(() => Promise.resolve());
    await expect(as(ALL_ORGS, () => new UnitOfWork(dataSource).run(work))).rejects.toBe(refused);
    expect(work).not.toHaveBeenCalled();
    expect(runners[0].queries).toHaveLength(1);
    expect(runners[0].released).toBe(1);
  });

  it('a failed commit is reported and the connection released', async () => {
    const conflict = Object.assign(new Error('could not serialize access'), { code: '40001' });
    const { dataSource, runners } = fakeDataSource((sql) => (sql === 'commit' ? conflict : undefined));
    await expect(as(ALL_ORGS, () => new UnitOfWork(dataSource).run(() => Promise.resolve()))).rejects.toBe(conflict);
    expect(runners[0].released).toBe(1);
  });

  it('a nested run() joins the open transaction: one connection, one begin, one commit', async () => {
    const { dataSource, runners } = fakeDataSource();
    const uow = new UnitOfWork(dataSource);
    const managers = await as(ALL_ORGS, () =>
      uow.run(async (outer) => [outer, await uow.run((inner) => Promise.resolve(inner))]),
    );
    expect(managers[0]).toBe(managers[1]);
    expect(runners).toHaveLength(1);
    expect(runners[0].queries.filter((q) => q === 'commit')).toHaveLength(1);
  });

  it('runIsolated() inside an open transaction gets a transaction of its own, in the scope of its call context', async () => {
    const { dataSource, runners } = fakeDataSource();
    const uow = new UnitOfWork(dataSource);
    const managers = await as(orgsScope([ORG_A]), () =>
      uow.run(async (outer) => [
        outer,
        await as(ALL_ORGS, () => uow.runIsolated((inner) => Promise.resolve(inner))),
        uow.manager,
      ]),
    );
    expect(managers[1]).not.toBe(managers[0]);
    expect(managers[2]).toBe(managers[0]);
    expect(runners.map((r) => r.queries[0])).toEqual([
      `start transaction; ${orgScopeStatement(orgsScope([ORG_A]))}`,
      `start transaction; ${orgScopeStatement(ALL_ORGS)}`,
    ]);
    expect(runners.map((r) => r.queries.filter((q) => q === 'commit').length)).toEqual([1, 1]);
  });

  it('withinScope() re-sets the scope inside the open transaction and puts the caller’s back after the work', async () => {
    const { dataSource, runners } = fakeDataSource();
    const uow = new UnitOfWork(dataSource);
    const seen = await as(orgsScope([ORG_A]), () =>
      uow.run(() =>
        uow.withinScope(orgsScope([ORG_A, ORG_B]), () => {
          runners[0].queries.push('-- work');
          return Promise.resolve(callContext.require().orgScope);
        }),
      ),
    );
    expect(seen).toEqual(orgsScope([ORG_A, ORG_B]));
    expect(runners).toHaveLength(1);
    expect(runners[0].queries).toEqual([
      `start transaction; ${orgScopeStatement(orgsScope([ORG_A]))}`,
      orgScopeStatement(orgsScope([ORG_A, ORG_B])),
      '-- work',
      orgScopeStatement(orgsScope([ORG_A])),
      'commit',
    ]);
  });

  it('concurrent runs in different calls get a transaction each, with their own scope', async () => {
    const { dataSource, runners } = fakeDataSource();
    const uow = new UnitOfWork(dataSource);
    const seen = await Promise.all([
      as(orgsScope([ORG_A]), () => uow.run((m) => Promise.resolve(m))),
      as(orgsScope([ORG_B]), () => uow.run((m) => Promise.resolve(m))),
    ]);
    expect(seen[0]).not.toBe(seen[1]);
    expect(runners.map((r) => r.queries[0])).toEqual([
      `start transaction; ${orgScopeStatement(orgsScope([ORG_A]))}`,
      `start transaction; ${orgScopeStatement(orgsScope([ORG_B]))}`,
    ]);
  });
});
