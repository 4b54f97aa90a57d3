import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appRoleOf, enableTenantIsolation, grantToAppRole, quoteIdent } from '@otklik/persistence';

/**
 * Step 5, telling staff beyond the feed: the delivery log (one row per notification and channel,
 * written with the notification), each user's preferences, their Telegram chat and one-time link
 * codes, and each case's organisation path (for whom a breached deadline reaches).
 */
export class Delivery1796700000000 implements MigrationInterface {
  name = 'Delivery1796700000000';

  async up(runner: QueryRunner): Promise<void> {
    const role = quoteIdent(appRoleOf('notify'));

    await runner.query(`
      create table notify.deliveries (
        id uuid primary key,
        notification_id uuid not null references notify.notifications (id),
        organization_id uuid not null,
        user_id uuid not null,
        channel text not null check (channel in ('IN_APP', 'EMAIL', 'TELEGRAM')),
        status text not null check (status in ('PENDING', 'SENT', 'FAILED', 'SKIPPED')),
        digest boolean not null,
        due_at timestamptz,
        attempts integer not null default 0 check (attempts >= 0),
        next_attempt_at timestamptz,
        last_error text,
        sent_at timestamptz,
        created_at timestamptz not null,
        check ((status = 'PENDING') = (next_attempt_at is not null))
      )`);
    // Nothing is sent twice: a notification has one delivery per channel, whatever the event's redeliveries.
    await runner.query(
      'create unique index deliveries_once_per_channel on notify.deliveries (notification_id, channel)',
    );
    // The worker's claim: what is due on a channel.
    await runner.query(
      "create index deliveries_due on notify.deliveries (channel, next_attempt_at) where status = 'PENDING'",
    );
    await enableTenantIsolation(runner, 'notify', 'deliveries');
    await grantToAppRole(runner, 'notify', 'deliveries', ['SELECT', 'INSERT']);
    // A delivery's facts stay; only its progress changes.
    await runner.query(
      `grant update (status, attempts, next_attempt_at, last_error, sent_at) on notify.deliveries to ${role}`,
    );

    // A user's own settings, whatever organisation they work in: no tenant column, always read by user id.
    await runner.query(`
      create table notify.notification_preferences (
        user_id uuid not null,
        kind text not null,
        channel text not null check (channel in ('EMAIL', 'TELEGRAM')),
        enabled boolean not null,
        updated_at timestamptz not null,
        primary key (user_id, kind, channel)
      )`);
    await grantToAppRole(runner, 'notify', 'notification_preferences', ['SELECT', 'INSERT', 'UPDATE']);

    await runner.query(`
      create table notify.telegram_links (
        user_id uuid primary key,
        chat_id bigint not null,
        linked_at timestamptz not null
      )`);
    await grantToAppRole(runner, 'notify', 'telegram_links', ['SELECT', 'INSERT', 'UPDATE', 'DELETE']);

    await runner.query(`
      create table notify.telegram_link_codes (
        code_hash text primary key,
        user_id uuid not null,
        expires_at timestamptz not null,
        used_at timestamptz,
        created_at timestamptz not null
      )`);
    await runner.query('create index telegram_link_codes_user on notify.telegram_link_codes (user_id)');
    await grantToAppRole(runner, 'notify', 'telegram_link_codes', ['SELECT', 'INSERT', 'UPDATE', 'DELETE']);

    await runner.query(`
      create table notify.case_paths (
        case_id uuid primary key,
        organization_id uuid not null,
        path uuid[] not null,
        updated_at timestamptz not null
      )`);
    await enableTenantIsolation(runner, 'notify', 'case_paths');
    await grantToAppRole(runner, 'notify', 'case_paths', ['SELECT', 'INSERT', 'UPDATE']);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table notify.case_paths');
    await runner.query('drop table notify.telegram_link_codes');
    await runner.query('drop table notify.telegram_links');
    await runner.query('drop table notify.notification_preferences');
    await runner.query('drop table notify.deliveries');
  }
}
