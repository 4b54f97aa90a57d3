import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantIsolation, grantToAppRole } from '@otklik/persistence';

/**
 * Step 6, identity and trust: who changed whose access, when and why — a role granted or
 * withdrawn, sessions revoked by a coordinator, a person signing out. One row per organisation
 * the change concerns (the role's; for revocations, each the person holds a role in), so each
 * organisation's record is its own under row-level security. Append-only: the application may
 * only add and read.
 */
export class StaffAccessChanges1797300000000 implements MigrationInterface {
  name = 'StaffAccessChanges1797300000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table workflow.staff_access_changes (
        id uuid primary key,
        -- The rows of one change (a revocation filed under each of the person's organisations) share it.
        change_id uuid not null,
        organization_id uuid not null references workflow.organizations (id),
        user_id uuid not null,
        login text not null,
        action text not null check (action in ('SESSIONS_REVOKED', 'SIGNED_OUT', 'ROLE_GRANTED', 'ROLE_WITHDRAWN')),
        -- The role granted or withdrawn; null for revocations.
        role text check (role in ('COORDINATOR', 'OFFICIAL', 'RECEPTION', 'EXECUTOR', 'HEAD')),
        reason text,
        -- Revocations: the person's tokens issued at or before this are refused.
        tokens_issued_before timestamptz,
        changed_by text not null,
        changed_at timestamptz not null
      )`);
    await runner.query(
      'create index staff_access_changes_organization on workflow.staff_access_changes (organization_id, changed_at)',
    );
    await runner.query('create index staff_access_changes_login on workflow.staff_access_changes (login, changed_at)');
    await enableTenantIsolation(runner, 'workflow', 'staff_access_changes');
    await grantToAppRole(runner, 'workflow', 'staff_access_changes', ['SELECT', 'INSERT']);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table if exists workflow.staff_access_changes');
  }
}
