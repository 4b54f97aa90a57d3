import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantIsolation, grantToAppRole } from '@otklik/persistence';

/**
 * Step 3, photos and videos of drafts (cl. 10) kept in workflow's storage (a folder or an
 * S3-compatible bucket): one row per file announced by createAttachmentUpload, its bytes under
 * `storage_key`; `uploaded_at` is set once the store holds them all. A tenant table under
 * row-level security, like the drafts it belongs to.
 */
export class Attachments1796200000000 implements MigrationInterface {
  name = 'Attachments1796200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table workflow.attachments (
        id uuid primary key,
        case_id uuid not null references workflow.cases (id),
        organization_id uuid not null,
        type text not null check (type in ('PHOTO', 'VIDEO')),
        content_type text not null,
        size integer not null check (size > 0),
        file_name text,
        storage_key text not null unique,
        created_by text not null,
        created_at timestamptz not null,
        uploaded_at timestamptz
      )`);
    await runner.query('create index attachments_case on workflow.attachments (case_id)');
    await enableTenantIsolation(runner, 'workflow', 'attachments');
    await grantToAppRole(runner, 'workflow', 'attachments', ['SELECT', 'INSERT', 'UPDATE']);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table if exists workflow.attachments');
  }
}
