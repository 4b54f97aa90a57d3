import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantIsolation, grantToAppRole } from '@otklik/persistence';

/**
 * Step 2, each organisation's deadline policy (REQUIREMENTS "Deadlines": "each organisation may
 * change its policy"). An organisation without a row uses its nearest ancestor's, else the
 * defaults of libs/calendar. Both tables are tenant tables under row-level security;
 * deadline_policy_changes is append-only: the application may only add and read.
 */
export class DeadlinePolicies1796100000000 implements MigrationInterface {
  name = 'DeadlinePolicies1796100000000';

  async up(runner: QueryRunner): Promise<void> {
    // `policy` is the flat form of libs/calendar's DeadlinePolicySettings, validated before it is stored.
    await runner.query(`
      create table workflow.deadline_policies (
        organization_id uuid primary key references workflow.organizations (id),
        policy jsonb not null,
        updated_by text not null,
        updated_at timestamptz not null
      )`);
    await enableTenantIsolation(runner, 'workflow', 'deadline_policies');
    await grantToAppRole(runner, 'workflow', 'deadline_policies', ['SELECT', 'INSERT', 'UPDATE']);

    // Every change: the organisation's own policy before (null when it had none) and after, who and when.
    await runner.query(`
      create table workflow.deadline_policy_changes (
        id uuid primary key,
        organization_id uuid not null references workflow.organizations (id),
        previous jsonb,
        policy jsonb not null,
        changed_by text not null,
        changed_at timestamptz not null
      )`);
    await runner.query(
      'create index deadline_policy_changes_organization on workflow.deadline_policy_changes (organization_id, changed_at)',
    );
    await enableTenantIsolation(runner, 'workflow', 'deadline_policy_changes');
    await grantToAppRole(runner, 'workflow', 'deadline_policy_changes', ['SELECT', 'INSERT']);

    // A policy change recomputes the open deadlines of the organisations it governs.
    await runner.query(
      `create index deadlines_open_organization on workflow.deadlines (organization_id) where state = 'ON_TRACK'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop index if exists workflow.deadlines_open_organization');
    await runner.query('drop table if exists workflow.deadline_policy_changes');
    await runner.query('drop table if exists workflow.deadline_policies');
  }
}
