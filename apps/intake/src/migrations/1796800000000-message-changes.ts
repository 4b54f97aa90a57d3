import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appRoleOf, enableTenantIsolation, grantToAppRole, quoteIdent } from '@otklik/persistence';

/**
 * Step 4, platform webhooks (cl. 2): what a platform delivered, once; and messages that change
 * after they arrived — edited (the earlier versions kept) or deleted on the platform (marked,
 * never erased).
 */
export class MessageChanges1796800000000 implements MigrationInterface {
  name = 'MessageChanges1796800000000';

  async up(runner: QueryRunner): Promise<void> {
    const appRole = quoteIdent(appRoleOf('intake'));
    // One row per delivery a platform made to a source (VK's event_id, Telegram's update_id, …):
    // platforms retry until they get their answer, and a retry is answered again without being
    // stored twice. `outcome` says what the delivery did (messages accepted, edited, deleted,
    // and the deletions of messages never seen, which are recorded nowhere else).
    await runner.query(`
      create table intake.deliveries (
        source_id text not null references intake.sources (id),
        delivery_id text not null check (delivery_id <> '' and length(delivery_id) <= 200),
        organization_id uuid not null,
        event_type text not null,
        outcome jsonb not null,
        correlation_id text not null,
        received_at timestamptz not null default now(),
        primary key (source_id, delivery_id)
      )`);
    await enableTenantIsolation(runner, 'intake', 'deliveries');
    await grantToAppRole(runner, 'intake', 'deliveries', ['SELECT', 'INSERT']);
    // The row is written first, so that a concurrent retry of the same delivery waits on its key
    // rather than storing the messages again; its outcome is filled in before the commit.
    await runner.query(`grant update (outcome) on intake.deliveries to ${appRole}`);

    // Every version of a message its author replaced, in order (1 = as it first arrived); the
    // current version stays in intake.messages. Append-only: history is not rewritten.
    await runner.query(`
      create table intake.message_versions (
        message_id uuid not null references intake.messages (id),
        version integer not null check (version >= 1),
        organization_id uuid not null,
        text text not null,
        attachments jsonb not null,
        replaced_at timestamptz not null,
        primary key (message_id, version)
      )`);
    await enableTenantIsolation(runner, 'intake', 'message_versions');
    await grantToAppRole(runner, 'intake', 'message_versions', ['SELECT', 'INSERT']);

    await runner.query(`
      alter table intake.messages
        add column edited_at timestamptz,
        add column deleted_at timestamptz,
        add column deleted_by text`);
    // messages was append-only; an edit or a deletion now changes a row, but only these
    // columns: what was received, from whom and when stays as it was. grantToAppRole grants
    // whole tables, so the column list is granted here. (SELECT … FOR UPDATE needs UPDATE on
    // at least one column, which this gives.)
    const columns = ['text', 'attachments', 'screening', 'edited_at', 'deleted_at', 'deleted_by'];
    await runner.query(`grant update (${columns.map(quoteIdent).join(', ')}) on intake.messages to ${appRole}`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`revoke update on intake.messages from ${quoteIdent(appRoleOf('intake'))}`);
    await runner.query(`
      alter table intake.messages
        drop column edited_at,
        drop column deleted_at,
        drop column deleted_by`);
    await runner.query('drop table intake.message_versions');
    await runner.query('drop table intake.deliveries');
  }
}
