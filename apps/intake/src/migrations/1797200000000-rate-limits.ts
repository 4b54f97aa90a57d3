import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropRateLimitTableSql, rateLimitTableSql } from '@otklik/rate-limit';

/** Step 6, security: the counters of the webhooks' rate limits (per source, per address for unknown sources), shared by every replica. */
export class RateLimits1797200000000 implements MigrationInterface {
  name = 'RateLimits1797200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(rateLimitTableSql('intake'));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(dropRateLimitTableSql('intake'));
  }
}
