import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Step 2: a case now brings many notifications of one kind to one person (a draft returned
 * twice, a deadline at risk per kind), so "once per user, case and kind" no longer holds.
 * Each notification names what it reports instead (`source_key`: `case.opened:<case>`,
 * `case.transitioned:<event>`, `deadline.at_risk:<deadline>`…), and a user is told of each once.
 */
export class NotificationSources1795911667082 implements MigrationInterface {
  name = 'NotificationSources1795911667082';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('alter table notify.notifications add column source_key text');
    // Until now only case.opened made notifications, one per user and case.
    await runner.query(`
      update notify.notifications
         set source_key = case when kind = 'CASE_OPENED' and case_id is not null
                               then 'case.opened:' || case_id
                               else 'notification:' || id end`);
    await runner.query('alter table notify.notifications alter column source_key set not null');
    await runner.query('drop index notify.notifications_once_per_case');
    await runner.query(
      'create unique index notifications_once_per_source on notify.notifications (user_id, source_key)',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop index notify.notifications_once_per_source');
    // Keeps the first of each (user, case, kind), so that the old rule can hold again.
    await runner.query(`
      delete from notify.notifications n
       using notify.notifications older
       where n.case_id is not null and n.user_id = older.user_id and n.case_id = older.case_id
         and n.kind = older.kind and (older.created_at, older.id) < (n.created_at, n.id)`);
    await runner.query(
      'create unique index notifications_once_per_case on notify.notifications (user_id, case_id, kind) where case_id is not null',
    );
    await runner.query('alter table notify.notifications drop column source_key');
  }
}
