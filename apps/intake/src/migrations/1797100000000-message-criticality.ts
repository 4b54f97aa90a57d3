import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Step 4, criticality (cl. 1): the verdict criticality gave a message when it arrived — critical
 * or not, its score and the signals with their evidence — kept with it, so an official sees why no
 * case was opened and a later change of the word lists does not rewrite what was decided. Messages
 * stored before have none; it is computed when they are read.
 */
export class MessageCriticality1797100000000 implements MigrationInterface {
  name = 'MessageCriticality1797100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('alter table intake.messages add column criticality jsonb');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('alter table intake.messages drop column criticality');
  }
}
