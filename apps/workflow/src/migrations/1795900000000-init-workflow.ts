import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxAndInbox } from '@otklik/messaging';
import { enableTenantIsolation, grantToAppRole } from '@otklik/persistence';

/**
 * Step 1 of workflow: organisations, staff and their roles, cases with their deadlines and
 * append-only history. Every tenant table is filtered by row-level security; `organizations`
 * by its own id (a viewer sees the organisations in their scope).
 */
export class InitWorkflow1795900000000 implements MigrationInterface {
  name = 'InitWorkflow1795900000000';

  async up(runner: QueryRunner): Promise<void> {
    await createOutboxAndInbox(runner, 'workflow');

    await runner.query(`
      create table workflow.organizations (
        id uuid primary key,
        code text not null unique,
        name text not null,
        kind text not null check (kind in ('DISTRICT', 'SUBDIVISION', 'SELSOVET')),
        parent_id uuid references workflow.organizations (id),
        time_zone text not null,
        created_at timestamptz not null default now()
      )`);
    // Walking down the tree (visible organisations: a role's organisation and all below it).
    await runner.query('create index organizations_parent on workflow.organizations (parent_id)');
    await enableTenantIsolation(runner, 'workflow', 'organizations', 'id');
    await grantToAppRole(runner, 'workflow', 'organizations', ['SELECT', 'INSERT', 'UPDATE']);

    // Not a tenant table: a user is reached through their role assignments.
    await runner.query(`
      create table workflow.users (
        id uuid primary key,
        login text not null unique,
        display_name text not null,
        email text,
        created_at timestamptz not null default now()
      )`);
    await grantToAppRole(runner, 'workflow', 'users', ['SELECT', 'INSERT', 'UPDATE']);

    // The appointment (order number and date) is kept for officials (cl. 4).
    await runner.query(`
      create table workflow.role_assignments (
        user_id uuid not null references workflow.users (id),
        organization_id uuid not null references workflow.organizations (id),
        role text not null check (role in ('COORDINATOR', 'OFFICIAL', 'RECEPTION', 'EXECUTOR', 'HEAD')),
        order_number text,
        order_date date,
        created_at timestamptz not null default now(),
        primary key (user_id, organization_id, role)
      )`);
    await runner.query('create index role_assignments_organization on workflow.role_assignments (organization_id)');
    await enableTenantIsolation(runner, 'workflow', 'role_assignments');
    await grantToAppRole(runner, 'workflow', 'role_assignments');

    // One case per accepted message: message_id is unique, which makes opening idempotent.
    await runner.query(`
      create table workflow.cases (
        id uuid primary key,
        organization_id uuid not null references workflow.organizations (id),
        message_id uuid not null unique,
        source_id text not null,
        platform text not null check (platform in
          ('VK', 'OK', 'TELEGRAM', 'MAX', 'FACEBOOK', 'TWITTER', 'INSTAGRAM', 'WEBSITE', 'EMAIL', 'OTHER')),
        status text not null check (status in ('DETECTED', 'ROUTED', 'REGISTERED', 'ASSIGNED', 'DRAFT_SUBMITTED',
          'ANSWERED', 'AWAITING_FINAL', 'AWAITING_AUTHOR', 'CLOSED', 'DISMISSED', 'EXCLUDED')),
        detected_at timestamptz not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        version integer not null default 1
      )`);
    // The case list: newest first by (detected_at, id), over all visible cases or one organisation's.
    await runner.query('create index cases_newest on workflow.cases (detected_at desc, id desc)');
    await runner.query(
      'create index cases_organization_newest on workflow.cases (organization_id, detected_at desc, id desc)',
    );
    await enableTenantIsolation(runner, 'workflow', 'cases');
    await grantToAppRole(runner, 'workflow', 'cases', ['SELECT', 'INSERT', 'UPDATE']);

    // Stored state is ON_TRACK while open, or MET / MISSED once settled; AT_RISK and OVERDUE
    // depend on the clock and are computed when read.
    await runner.query(`
      create table workflow.deadlines (
        id uuid primary key,
        case_id uuid not null references workflow.cases (id),
        organization_id uuid not null,
        kind text not null check (kind in ('ROUTE', 'DRAFT', 'ANSWER', 'FINAL')),
        started_at timestamptz not null,
        due_at timestamptz not null check (due_at >= started_at),
        state text not null default 'ON_TRACK' check (state in ('ON_TRACK', 'MET', 'MISSED')),
        responsible_user_id uuid references workflow.users (id),
        met_at timestamptz
      )`);
    await runner.query('create index deadlines_case on workflow.deadlines (case_id)');
    await enableTenantIsolation(runner, 'workflow', 'deadlines');
    await grantToAppRole(runner, 'workflow', 'deadlines', ['SELECT', 'INSERT', 'UPDATE']);

    // Append-only (REQUIREMENTS "What a case goes through"): the application may only add and read.
    // seq orders transitions written within the same millisecond.
    await runner.query(`
      create table workflow.case_transitions (
        id uuid primary key,
        seq bigint generated always as identity,
        case_id uuid not null references workflow.cases (id),
        organization_id uuid not null,
        from_status text,
        to_status text not null,
        actor text not null,
        reason text,
        at timestamptz not null
      )`);
    await runner.query('create index case_transitions_case on workflow.case_transitions (case_id, seq)');
    await enableTenantIsolation(runner, 'workflow', 'case_transitions');
    await grantToAppRole(runner, 'workflow', 'case_transitions', ['SELECT', 'INSERT']);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'case_transitions',
      'deadlines',
      'cases',
      'role_assignments',
      'users',
      'organizations',
      'inbox',
      'outbox',
    ]) {
      await runner.query(`drop table if exists workflow.${table}`);
    }
  }
}
