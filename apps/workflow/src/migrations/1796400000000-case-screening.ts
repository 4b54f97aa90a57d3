import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Step 4, screening (cl. 11): the reasons screening proposed for a case's message (empty when
 * clean; null for cases opened before screening existed), so that each official's decision can
 * be set against it — confirmed, overruled or missed — and screening's precision measured.
 */
export class CaseScreening1796400000000 implements MigrationInterface {
  name = 'CaseScreening1796400000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('alter table workflow.cases add column screening_reasons text[]');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('alter table workflow.cases drop column screening_reasons');
  }
}
