import { randomUUID } from 'node:crypto';
import { Column, Entity, MigrationInterface, PrimaryColumn, QueryRunner } from 'typeorm';
import { ALL_ORGS, callContext, createLogger, orgsScope, OrgScope } from '@otklik/observability';
import { createTestDatabase } from '@otklik/testing';
import { createAppDataSource, migrateServiceDatabase } from './service-database';
import { enableTenantIsolation, grantToAppRole } from './tenant-policy';
import { UnitOfWork } from './unit-of-work';

@Entity({ name: 'note' })
class NoteEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'organization_id' }) organizationId: string;
  @Column('text') body: string;
}

class CreateNote1700000000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      'create table rlstest.note (id uuid primary key, organization_id uuid not null, body text not null)',
    );
    await enableTenantIsolation(runner, 'rlstest', 'note');
    await grantToAppRole(runner, 'rlstest', 'note');
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table rlstest.note');
  }
}

describe('row-level security: a forgotten WHERE cannot leak another organisation’s rows', () => {
  const orgA = randomUUID();
  const orgB = randomUUID();
  let drop: () => Promise<void>;
  let uow: UnitOfWork;
  let close: () => Promise<void>;
  const options = (url: string) => ({
    schema: 'rlstest',
    databaseUrl: url,
    entities: [NoteEntity],
    migrations: [CreateNote1700000000000],
    logger: createLogger('test', 'silent'),
  });
  const as = <T>(scope: OrgScope, fn: () => Promise<T>) =>
    callContext.run({ correlationId: 'test', orgScope: scope }, fn);
  const allNotes = () => uow.run((m) => m.find(NoteEntity));

  beforeAll(async () => {
    const db = await createTestDatabase('rls');
    drop = db.drop;
    // Two replicas migrating at once: the advisory lock makes the migration run once.
    const applied = await Promise.all([
      migrateServiceDatabase(options(db.url)),
      migrateServiceDatabase(options(db.url)),
    ]);
    expect(applied.map((a) => a.length).sort()).toEqual([0, 1]);
    const dataSource = createAppDataSource(options(db.url));
    await dataSource.initialize();
    close = () => dataSource.destroy();
    uow = new UnitOfWork(dataSource);
    await as(ALL_ORGS, () =>
      uow.run(async (m) => {
        await m.insert(NoteEntity, { id: randomUUID(), organizationId: orgA, body: 'a' });
        await m.insert(NoteEntity, { id: randomUUID(), organizationId: orgB, body: 'b' });
      }),
    );
  });
  afterAll(async () => {
    await close?.();
    await drop?.();
  });

  it('an organisation sees only its own rows', async () => {
    const rows = await as(orgsScope([orgA]), allNotes);
    expect(rows.map((r) => r.body)).toEqual(['a']);
  });

  it('a district-level scope sees every organisation it lists', async () => {
    const rows = await as(orgsScope([orgA, orgB]), allNotes);
    expect(rows.map((r) => r.body).sort()).toEqual(['a', 'b']);
  });

  it('an empty scope sees nothing', async () => {
    expect(await as(orgsScope([]), allNotes)).toEqual([]);
  });

  it('writing a row of another organisation is refused', async () => {
    await expect(
      as(orgsScope([orgA]), () =>
        uow.run((m) => m.insert(NoteEntity, { id: randomUUID(), organizationId: orgB, body: 'x' })),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('the scope does not outlive its transaction on a pooled connection', async () => {
    await as(ALL_ORGS, allNotes);
    expect(await as(orgsScope([orgB]), allNotes)).toHaveLength(1);
  });

  it('queries run as the application role, not the owner', async () => {
    const [row] = await as(ALL_ORGS, () => uow.run((m) => m.query('select current_user as who')));
    expect(row.who).toBe('otklik_rlstest');
  });

  it('work outside a call context is a programming error, not a silent unscoped query', async () => {
    await expect(allNotes()).rejects.toThrow(/no call context/);
  });
});
