import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropRateLimitTableSql, rateLimitTableSql } from '@otklik/rate-limit';

/** Step 6, security: the counters of the per-IP and per-user rate limits, shared by every gateway replica. */
export class RateLimits1797200000000 implements MigrationInterface {
  name = 'RateLimits1797200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(rateLimitTableSql('gateway'));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(dropRateLimitTableSql('gateway'));
  }
}
