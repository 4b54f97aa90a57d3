import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Step 4, manual registration (cl. 2): a message an official saw anywhere and registers by
 * hand arrives through a source of kind MANUAL, one per organisation, made on first use. Such a
 * source takes no webhook (its secret is random and unused).
 */
export class ManualRegistration1796500000000 implements MigrationInterface {
  name = 'ManualRegistration1796500000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('alter table intake.sources drop constraint sources_kind_check');
    await runner.query(`
      alter table intake.sources add constraint sources_kind_check
        check (kind in ('GENERIC_WEBHOOK', 'VK_CALLBACK', 'TELEGRAM_BOT', 'MANUAL'))`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`delete from intake.sources where kind = 'MANUAL' and not exists (
      select 1 from intake.messages m where m.source_id = sources.id)`);
    await runner.query('alter table intake.sources drop constraint sources_kind_check');
    await runner.query(`
      alter table intake.sources add constraint sources_kind_check
        check (kind in ('GENERIC_WEBHOOK', 'VK_CALLBACK', 'TELEGRAM_BOT'))`);
  }
}
