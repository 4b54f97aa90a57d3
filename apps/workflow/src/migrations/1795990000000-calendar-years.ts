import type { MigrationInterface, QueryRunner } from 'typeorm';
import { grantToAppRole } from '@otklik/persistence';

/**
 * Step 2, the working calendar as data (REQUIREMENTS "Deadlines": an administrator loads next
 * year's decree without a release). The federal production calendar is the same for every
 * organisation, so neither table is a tenant table and neither has row-level security.
 * calendar_changes is append-only: the application may only add and read.
 */
export class CalendarYears1795990000000 implements MigrationInterface {
  name = 'CalendarYears1795990000000';

  async up(runner: QueryRunner): Promise<void> {
    // A stored year replaces the bundled year of the same number (libs/calendar/src/data).
    await runner.query(`
      create table workflow.calendar_years (
        year integer primary key,
        data jsonb not null,
        source text not null,
        loaded_by text not null,
        loaded_at timestamptz not null
      )`);
    await grantToAppRole(runner, 'workflow', 'calendar_years', ['SELECT', 'INSERT', 'UPDATE']);

    await runner.query(`
      create table workflow.calendar_changes (
        id uuid primary key,
        year integer not null,
        previous jsonb,
        data jsonb not null,
        changed_by text not null,
        changed_at timestamptz not null,
        reason text not null
      )`);
    await runner.query('create index calendar_changes_year on workflow.calendar_changes (year, changed_at)');
    await grantToAppRole(runner, 'workflow', 'calendar_changes', ['SELECT', 'INSERT']);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table if exists workflow.calendar_changes');
    await runner.query('drop table if exists workflow.calendar_years');
  }
}
