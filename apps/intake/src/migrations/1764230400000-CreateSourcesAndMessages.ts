import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxAndInbox } from '@otklik/messaging';
import { enableTenantIsolation, grantToAppRole } from '@otklik/persistence';

const PLATFORMS = "'VK', 'OK', 'TELEGRAM', 'MAX', 'FACEBOOK', 'TWITTER', 'INSTAGRAM', 'WEBSITE', 'EMAIL', 'OTHER'";

/** Step 1: the outbox/inbox, the sources messages arrive through, and the messages themselves. */
export class CreateSourcesAndMessages1764230400000 implements MigrationInterface {
  name = 'CreateSourcesAndMessages1764230400000';

  async up(runner: QueryRunner): Promise<void> {
    await createOutboxAndInbox(runner, 'intake');

    // A channel of one organisation: the generic webhook, a VK community, a Telegram bot, …
    // The secret stays readable: HMAC checks need the key itself, not a hash of it.
    await runner.query(`
      create table intake.sources (
        id text primary key check (id ~ '^[a-z0-9][a-z0-9_-]{0,99}$'),
        organization_id uuid not null,
        platform text not null check (platform in (${PLATFORMS})),
        kind text not null check (kind in ('GENERIC_WEBHOOK', 'VK_CALLBACK', 'TELEGRAM_BOT')),
        name text not null,
        secret text not null check (secret <> ''),
        require_timestamp boolean not null default false,
        settings jsonb not null default '{}',
        enabled boolean not null default true,
        created_at timestamptz not null default now()
      )`);
    await enableTenantIsolation(runner, 'intake', 'sources');
    // INSERT: the demo seed runs as the application role; managing sources comes later.
    await grantToAppRole(runner, 'intake', 'sources', ['SELECT', 'INSERT']);

    // A citizen's message as received. Looked up by id (primary key: references, the
    // message query) and by (source_id, external_id) (the unique key: duplicates).
    await runner.query(`
      create table intake.messages (
        id uuid primary key,
        organization_id uuid not null,
        source_id text not null references intake.sources (id),
        external_id text not null,
        platform text not null check (platform in (${PLATFORMS})),
        url text,
        text text not null,
        posted_at timestamptz not null,
        author jsonb,
        thread_id text,
        attachments jsonb not null default '[]',
        raw jsonb not null,
        correlation_id text not null,
        received_at timestamptz not null default now(),
        constraint messages_source_external_id unique (source_id, external_id)
      )`);
    await enableTenantIsolation(runner, 'intake', 'messages');
    // Append-only for now: 152-FZ retention (clearing personal data) will add its own grant.
    await grantToAppRole(runner, 'intake', 'messages', ['SELECT', 'INSERT']);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table intake.messages');
    await runner.query('drop table intake.sources');
    await runner.query('drop table intake.inbox');
    await runner.query('drop table intake.outbox');
  }
}
