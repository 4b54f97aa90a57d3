import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantIsolation, grantToAppRole } from '@otklik/persistence';

/**
 * Step 4, import of a batch (cl. 2): each CSV/XLSX file imported, with who imported it and what
 * became of every row, readable afterwards. The messages themselves arrive through the
 * organisation's IMPORT source like any other.
 */
export class Imports1797000000000 implements MigrationInterface {
  name = 'Imports1797000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table intake.message_imports (
        id uuid primary key,
        organization_id uuid not null,
        source_id text not null references intake.sources (id),
        file_name text not null,
        format text not null check (format in ('CSV', 'XLSX')),
        imported_by text not null,
        imported_by_user_id text not null,
        imported_at timestamptz not null default now(),
        total_rows integer not null check (total_rows >= 0),
        accepted integer not null check (accepted >= 0),
        duplicates integer not null check (duplicates >= 0),
        rejected integer not null check (rejected >= 0),
        details jsonb not null,
        report jsonb not null check (jsonb_typeof(report) = 'array'),
        check (accepted + duplicates + rejected = total_rows)
      )`);
    // messageImports(organizationId): an organisation's imports, newest first.
    await runner.query(
      'create index message_imports_by_organization on intake.message_imports (organization_id, imported_at desc)',
    );
    await enableTenantIsolation(runner, 'intake', 'message_imports');
    // Append-only: an import is a record of what happened.
    await grantToAppRole(runner, 'intake', 'message_imports', ['SELECT', 'INSERT']);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table intake.message_imports');
  }
}
