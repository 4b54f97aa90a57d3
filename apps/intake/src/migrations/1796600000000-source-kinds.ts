import type { MigrationInterface, QueryRunner } from 'typeorm';

const BEFORE = "'GENERIC_WEBHOOK', 'VK_CALLBACK', 'TELEGRAM_BOT', 'MANUAL'";
const AFTER = `${BEFORE}, 'MAX_BOT', 'OK_BOT', 'META_WEBHOOK', 'X_ACTIVITY', 'FEED', 'IMPORT'`;

/**
 * Step 4, every channel of clause 2: MAX and Odnoklassniki bots, Meta's (Facebook, Instagram)
 * and X's webhooks, websites' feeds polled on a schedule, and batches imported from a file.
 */
export class SourceKinds1796600000000 implements MigrationInterface {
  name = 'SourceKinds1796600000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('alter table intake.sources drop constraint sources_kind_check');
    await runner.query(`alter table intake.sources add constraint sources_kind_check check (kind in (${AFTER}))`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('alter table intake.sources drop constraint sources_kind_check');
    await runner.query(`alter table intake.sources add constraint sources_kind_check check (kind in (${BEFORE}))`);
  }
}
