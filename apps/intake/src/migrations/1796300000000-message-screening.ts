import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Step 4, screening (cl. 11): the verdict screening gave a message when it arrived, kept with
 * it (reasons and the evidence spans), so an official sees why and a later change of the word
 * lists does not rewrite what was shown. Messages stored before have none; it is computed when
 * they are read.
 */
export class MessageScreening1796300000000 implements MigrationInterface {
  name = 'MessageScreening1796300000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('alter table intake.messages add column screening jsonb');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('alter table intake.messages drop column screening');
  }
}
