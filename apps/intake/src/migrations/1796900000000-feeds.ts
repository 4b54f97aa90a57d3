import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantIsolation, grantToAppRole } from '@otklik/persistence';

/**
 * Step 4, websites (cl. 2): each FEED source's polling state. Pollers in every replica claim due
 * feeds with FOR UPDATE SKIP LOCKED and a lease, so a feed is fetched by one of them at a time.
 */
export class Feeds1796900000000 implements MigrationInterface {
  name = 'Feeds1796900000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table intake.feed_state (
        source_id text primary key references intake.sources (id) on delete cascade,
        organization_id uuid not null,
        url text,
        etag text,
        last_modified text,
        next_poll_at timestamptz not null default now(),
        lease_until timestamptz,
        lease_owner uuid,
        failures integer not null default 0 check (failures >= 0),
        last_status integer,
        last_error text,
        last_polled_at timestamptz,
        last_success_at timestamptz,
        last_new_items integer not null default 0
      )`);
    // The claim's scan: due feeds, soonest first.
    await runner.query('create index feed_state_due on intake.feed_state (next_poll_at)');
    await enableTenantIsolation(runner, 'intake', 'feed_state');
    await grantToAppRole(runner, 'intake', 'feed_state', ['SELECT', 'INSERT', 'UPDATE']);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table intake.feed_state');
  }
}
