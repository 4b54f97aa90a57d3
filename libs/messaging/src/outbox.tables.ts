import type { QueryRunner } from 'typeorm';
import { grantToAppRole, quoteIdent } from '@otklik/persistence';

/**
 * For each service's first migration: the outbox (events waiting for NATS, written in the
 * same transaction as the domain change) and the inbox (events already handled, per consumer).
 */
export async function createOutboxAndInbox(runner: QueryRunner, schema: string): Promise<void> {
  const s = quoteIdent(schema);
  await runner.query(`
    create table ${s}.outbox (
      id uuid primary key,
      subject text not null,
      envelope jsonb not null,
      correlation_id text not null,
      created_at timestamptz not null default now(),
      attempts integer not null default 0,
      last_error text
    )`);
  await runner.query(`create index outbox_created_at on ${s}.outbox (created_at)`);
  await runner.query(`
    create table ${s}.inbox (
      consumer text not null,
      event_id uuid not null,
      processed_at timestamptz not null default now(),
      primary key (consumer, event_id)
    )`);
  await runner.query(`create index inbox_processed_at on ${s}.inbox (processed_at)`);
  await grantToAppRole(runner, schema, 'outbox');
  await grantToAppRole(runner, schema, 'inbox', ['SELECT', 'INSERT', 'DELETE']);
}

/** The LISTEN/NOTIFY channel that wakes a schema's outbox relay as soon as a row commits. */
export const outboxChannel = (schema: string): string => `otklik_outbox_${schema}`;
