import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Step 2, deadline timers: each open deadline remembers when it turns AT_RISK and whether its
 * at-risk and breached events have fired, so the timers survive restarts and fire once across
 * replicas. Deadlines opened before this migration have no at_risk_at (it needs the working
 * calendar, which SQL does not have): only their breach fires.
 */
export class DeadlineTimers1795907764000 implements MigrationInterface {
  name = 'DeadlineTimers1795907764000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      alter table workflow.deadlines
        add column at_risk_at timestamptz,
        add column at_risk_fired_at timestamptz,
        add column breached_fired_at timestamptz`);
    // The timers' pickers: only the open deadlines still waiting for each event.
    await runner.query(`
      create index deadlines_at_risk_pending on workflow.deadlines (at_risk_at)
        where state = 'ON_TRACK' and at_risk_fired_at is null`);
    await runner.query(`
      create index deadlines_breach_pending on workflow.deadlines (due_at)
        where state = 'ON_TRACK' and breached_fired_at is null`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop index if exists workflow.deadlines_breach_pending');
    await runner.query('drop index if exists workflow.deadlines_at_risk_pending');
    await runner.query(`
      alter table workflow.deadlines
        drop column breached_fired_at,
        drop column at_risk_fired_at,
        drop column at_risk_at`);
  }
}
