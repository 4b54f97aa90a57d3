import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@otklik/persistence';
import { CalendarChangeEntity } from './calendar-change.entity';
import { CalendarYearEntity } from './calendar-year.entity';

/** The stored production calendar years and the audit of their loading. */
@Injectable()
export class CalendarRepository {
  constructor(private readonly uow: UnitOfWork) {}

  /** Serialises loads of calendar years until the transaction ends, so each audit row sees its true predecessor. */
  async lockYears(): Promise<void> {
    await this.uow.manager.query(`select pg_advisory_xact_lock(hashtext('workflow.calendar_years'))`);
  }

  storedYears(): Promise<CalendarYearEntity[]> {
    return this.uow.manager.find(CalendarYearEntity, { order: { year: 'ASC' } });
  }

  /** Inserts the year or replaces the stored one of the same number. */
  async upsertYear(year: CalendarYearEntity): Promise<void> {
    await this.uow.manager.upsert(CalendarYearEntity, year, ['year']);
  }

  async appendChange(change: CalendarChangeEntity): Promise<void> {
    await this.uow.manager.insert(CalendarChangeEntity, change);
  }
}
