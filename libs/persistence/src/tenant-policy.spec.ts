import type { QueryRunner } from 'typeorm';
import { appRoleOf, enableTenantIsolation, grantToAppRole, tenantPredicate } from './tenant-policy';

/** A QueryRunner that records the SQL a migration helper sends. */
function recordingRunner(): { runner: QueryRunner; statements: string[] } {
  const statements: string[] = [];
  const runner = {
    query: (sql: string) => {
      statements.push(sql);
      return Promise.resolve([]);
    },
  };
  return { runner: runner as unknown as QueryRunner, statements };
}

describe('tenantPredicate: the row-level-security predicate of every tenant table', () => {
  it('lets a row through when system work set app.all_orgs, or its organisation is in app.org_ids', () => {
    expect(tenantPredicate('organization_id')).toBe(
      "(NULLIF(current_setting('app.all_orgs', true), '') = 'on' OR \"organization_id\" = ANY (" +
        "string_to_array(NULLIF(current_setting('app.org_ids', true), ''), ',')::uuid[]))",
    );
  });

  it('reads both settings with missing_ok, so outside a scoped transaction nothing is visible rather than an error', () => {
    const predicate = tenantPredicate('organization_id');
    expect(predicate).toContain("current_setting('app.all_orgs', true)");
    expect(predicate).toContain("current_setting('app.org_ids', true)");
    expect(predicate).not.toMatch(/current_setting\('app\.[a-z_]+'\)/);
  });

  it('quotes the column, so a column name cannot change the predicate', () => {
    expect(tenantPredicate('org"id')).toContain('"org""id" = ANY');
    expect(tenantPredicate('owner_org')).toContain('"owner_org" = ANY');
  });
});

describe('appRoleOf: the application role of a service schema', () => {
  it('is otklik_<schema>', () => {
    expect(appRoleOf('intake')).toBe('otklik_intake');
    expect(appRoleOf('workflow')).toBe('otklik_workflow');
  });
});

describe('enableTenantIsolation (migrations)', () => {
  it('enables and FORCES row-level security, then adds one policy checking reads and writes alike', async () => {
    const { runner, statements } = recordingRunner();
    await enableTenantIsolation(runner, 'workflow', 'case');
    const predicate = tenantPredicate('organization_id');
    expect(statements).toEqual([
      'alter table "workflow"."case" enable row level security',
      'alter table "workflow"."case" force row level security',
      `create policy tenant_isolation on "workflow"."case" using ${predicate} with check ${predicate}`,
    ]);
  });

  it('uses the column it is given', async () => {
    const { runner, statements } = recordingRunner();
    await enableTenantIsolation(runner, 'notify', 'recipient', 'tenant_id');
    expect(statements[2]).toBe(
      `create policy tenant_isolation on "notify"."recipient" using ${tenantPredicate('tenant_id')} with check ${tenantPredicate('tenant_id')}`,
    );
  });
});

describe('grantToAppRole (migrations)', () => {
  it('grants select, insert, update and delete to the schema’s application role by default', async () => {
    const { runner, statements } = recordingRunner();
    await grantToAppRole(runner, 'intake', 'message');
    expect(statements).toEqual(['grant SELECT, INSERT, UPDATE, DELETE on "intake"."message" to "otklik_intake"']);
  });

  it('grants only what it is told: append-only tables leave out UPDATE and DELETE', async () => {
    const { runner, statements } = recordingRunner();
    await grantToAppRole(runner, 'workflow', 'case_history', ['SELECT', 'INSERT']);
    expect(statements).toEqual(['grant SELECT, INSERT on "workflow"."case_history" to "otklik_workflow"']);
  });
});
