import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appRoleOf, enableTenantIsolation, grantToAppRole, quoteIdent } from '@otklik/persistence';

/**
 * Step 6, personal data of authors (152-FZ): raw platform payloads purged after a retention and
 * each purge recorded; every staff read of an author's personal data recorded.
 */
export class PersonalData1797400000000 implements MigrationInterface {
  name = 'PersonalData1797400000000';

  async up(runner: QueryRunner): Promise<void> {
    const appRole = quoteIdent(appRoleOf('intake'));

    // The payload as the platform sent it is kept only for a while (INTAKE_RAW_RETENTION_DAYS):
    // null once purged. The retention job may change that column and no other it could not before.
    await runner.query('alter table intake.messages alter column raw drop not null');
    await runner.query(`grant update (raw) on intake.messages to ${appRole}`);
    // The job's scan: messages still holding a payload, oldest first; it shrinks as they are purged.
    await runner.query('create index messages_raw_kept on intake.messages (received_at) where raw is not null');

    // A platform's delivery ids are remembered only as long as its retries come
    // (INTAKE_DELIVERY_RETENTION_DAYS); then the job forgets them.
    await runner.query('create index deliveries_by_received_at on intake.deliveries (received_at)');
    await grantToAppRole(runner, 'intake', 'deliveries', ['DELETE']);

    // What each run of the retention job purged: counts only, no organisation's data (so no
    // row-level security: the job runs for every organisation at once). Append-only.
    await runner.query(`
      create table intake.retention_runs (
        id uuid primary key,
        runner uuid not null,
        started_at timestamptz not null,
        finished_at timestamptz not null,
        raw_before timestamptz not null,
        deliveries_before timestamptz not null,
        raw_purged integer not null check (raw_purged >= 0),
        deliveries_deleted integer not null check (deliveries_deleted >= 0),
        batches integer not null check (batches >= 0),
        error text,
        check (finished_at >= started_at)
      )`);
    await runner.query('create index retention_runs_by_start on intake.retention_runs (started_at desc)');
    await grantToAppRole(runner, 'intake', 'retention_runs', ['SELECT', 'INSERT']);

    // Every staff read of an author's personal data (Message.author's id, name, url): who, when,
    // which message, under which request and correlation id. One row per request and message
    // (a later part of the same request that reads other fields adds its own). No foreign key:
    // the record outlives what it names. Kept: the retention job does not touch it. Append-only.
    await runner.query(`
      create table intake.personal_data_reads (
        id uuid primary key,
        organization_id uuid not null,
        message_id uuid not null,
        case_id uuid,
        viewer_user_id text not null,
        viewer_login text not null,
        at timestamptz not null default now(),
        request_id uuid not null,
        correlation_id text not null,
        fields text[] not null check (
          cardinality(fields) > 0 and fields <@ array['AUTHOR_ID', 'AUTHOR_NAME', 'AUTHOR_URL']::text[]),
        constraint personal_data_reads_once unique (request_id, message_id, fields)
      )`);
    // personalDataReads(messageId | authorId): a message's reads, newest first; an organisation's.
    await runner.query(
      'create index personal_data_reads_by_message on intake.personal_data_reads (message_id, at desc)',
    );
    await runner.query(
      'create index personal_data_reads_by_organization on intake.personal_data_reads (organization_id, at desc)',
    );
    await enableTenantIsolation(runner, 'intake', 'personal_data_reads');
    await grantToAppRole(runner, 'intake', 'personal_data_reads', ['SELECT', 'INSERT']);
  }

  async down(runner: QueryRunner): Promise<void> {
    const appRole = quoteIdent(appRoleOf('intake'));
    await runner.query('drop table intake.personal_data_reads');
    await runner.query('drop table intake.retention_runs');
    await runner.query(`revoke delete on intake.deliveries from ${appRole}`);
    await runner.query('drop index intake.deliveries_by_received_at');
    await runner.query('drop index intake.messages_raw_kept');
    await runner.query(`revoke update (raw) on intake.messages from ${appRole}`);
    // Purged payloads cannot come back: an empty object stands for them.
    await runner.query(`select set_config('app.all_orgs', 'on', true)`);
    await runner.query(`update intake.messages set raw = '{}' where raw is null`);
    await runner.query('alter table intake.messages alter column raw set not null');
  }
}
