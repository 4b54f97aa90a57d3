import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantIsolation, grantToAppRole } from '@otklik/persistence';

/**
 * Step 5: publishing approved answers. The sources notify publishes through (from intake's
 * source.changed), one row per publication request (its id the idempotency key, stored before
 * any call), and the pace each source may be called at, shared by every replica.
 */
export class Publishing1796600000000 implements MigrationInterface {
  name = 'Publishing1796600000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table notify.publishing_sources (
        id text primary key,
        organization_id uuid not null,
        platform text not null,
        kind text not null,
        name text not null,
        enabled boolean not null,
        settings jsonb not null,
        credentials_ciphertext text,
        credential_names text[] not null,
        version bigint not null,
        changed_at timestamptz not null
      )`);
    await enableTenantIsolation(runner, 'notify', 'publishing_sources');
    await grantToAppRole(runner, 'notify', 'publishing_sources', ['SELECT', 'INSERT', 'UPDATE']);

    await runner.query(`
      create table notify.publications (
        id uuid primary key,
        organization_id uuid not null,
        organization_path uuid[] not null,
        case_id uuid not null,
        draft_id uuid not null,
        kind text not null,
        message_id uuid not null,
        source_id text not null,
        platform text not null,
        target jsonb not null,
        text text not null,
        attachments jsonb not null,
        status text not null check (status in ('PENDING', 'SENDING', 'PUBLISHED', 'FAILED', 'MANUAL')),
        attempts integer not null check (attempts >= 0),
        next_attempt_at timestamptz not null,
        lease_until timestamptz,
        lease_token uuid,
        last_error text,
        platform_error text,
        external_id text,
        url text,
        correlation_id text not null,
        requested_at timestamptz not null,
        completed_at timestamptz,
        check ((status = 'SENDING') = (lease_token is not null and lease_until is not null))
      )`);
    // What the workers claim: unfinished rows by when they are due (the finished ones stay as the log).
    await runner.query(
      "create index publications_due on notify.publications (next_attempt_at) where status in ('PENDING', 'SENDING')",
    );
    await runner.query('create index publications_case on notify.publications (case_id)');
    await enableTenantIsolation(runner, 'notify', 'publications');
    await grantToAppRole(runner, 'notify', 'publications', ['SELECT', 'INSERT', 'UPDATE']);

    await runner.query(`
      create table notify.publishing_pace (
        key text primary key,
        organization_id uuid not null,
        next_allowed_at timestamptz not null
      )`);
    await enableTenantIsolation(runner, 'notify', 'publishing_pace');
    await grantToAppRole(runner, 'notify', 'publishing_pace', ['SELECT', 'INSERT', 'UPDATE']);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table notify.publishing_pace');
    await runner.query('drop table notify.publications');
    await runner.query('drop table notify.publishing_sources');
  }
}
