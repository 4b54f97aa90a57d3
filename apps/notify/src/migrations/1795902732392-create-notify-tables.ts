import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxAndInbox } from '@otklik/messaging';
import { appRoleOf, enableTenantIsolation, grantToAppRole, quoteIdent } from '@otklik/persistence';

/** Step 1: who to tell (recipients, fed by StaffAppointed) and what they were told (notifications). */
export class CreateNotifyTables1795902732392 implements MigrationInterface {
  name = 'CreateNotifyTables1795902732392';

  async up(runner: QueryRunner): Promise<void> {
    await createOutboxAndInbox(runner, 'notify');

    // One row per role a user holds in an organisation; upserted from StaffAppointed.
    await runner.query(`
      create table notify.recipients (
        user_id uuid not null,
        organization_id uuid not null,
        role text not null,
        login text not null,
        display_name text not null,
        email text,
        updated_at timestamptz not null,
        primary key (user_id, organization_id, role)
      )`);
    // "The officials of organisation X" (CaseOpened): the primary key leads with user_id, so it cannot serve this.
    await runner.query('create index recipients_organization_role on notify.recipients (organization_id, role)');
    await enableTenantIsolation(runner, 'notify', 'recipients');
    await grantToAppRole(runner, 'notify', 'recipients', ['SELECT', 'INSERT', 'UPDATE']);

    // created_at keeps milliseconds only, so that a page cursor (a JS Date) matches the stored value exactly.
    await runner.query(`
      create table notify.notifications (
        id uuid primary key,
        organization_id uuid not null,
        user_id uuid not null,
        kind text not null,
        text text not null,
        case_id uuid,
        created_at timestamptz(3) not null,
        read_at timestamptz
      )`);
    // A user's feed, newest first; id breaks ties between notifications created in one transaction.
    await runner.query('create index notifications_feed on notify.notifications (user_id, created_at desc, id desc)');
    // The unread badge and `unreadOnly`.
    await runner.query(
      'create index notifications_unread on notify.notifications (user_id, created_at desc, id desc) where read_at is null',
    );
    // One notification of a kind per user and case: a case event replayed under a new event id adds nothing.
    await runner.query(
      'create unique index notifications_once_per_case on notify.notifications (user_id, case_id, kind) where case_id is not null',
    );
    await enableTenantIsolation(runner, 'notify', 'notifications');
    await grantToAppRole(runner, 'notify', 'notifications', ['SELECT', 'INSERT']);
    // A notification is never rewritten: only its read mark changes.
    await runner.query(`grant update (read_at) on notify.notifications to ${quoteIdent(appRoleOf('notify'))}`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table notify.notifications');
    await runner.query('drop table notify.recipients');
    await runner.query('drop table notify.inbox');
    await runner.query('drop table notify.outbox');
  }
}
