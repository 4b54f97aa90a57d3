import { Injectable, Logger } from '@nestjs/common';
import {
  bundledYears,
  calendarFor,
  loadYear,
  ProductionCalendarYear,
  WorkingCalendar,
  WorkingTime,
  workingSchedule,
} from '@otklik/calendar';
import { ALL_ORGS, callContext, newCorrelationId } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';
import type { CalendarYearEntity } from './calendar-year.entity';
import { CalendarRepository } from './calendar.repository';

/**
 * How long a replica keeps the calendar it built. A year loaded in one replica is seen at once
 * there (the cache is dropped) and by every other replica within this time (docs/deadlines.md).
 */
export const CALENDAR_CACHE_MS = 30_000;

/** A year of the calendar in use and where it came from: bundled (loadedBy null) or loaded. */
export interface CalendarYearInEffect {
  readonly data: ProductionCalendarYear;
  readonly loadedBy: string | null;
  readonly loadedAt: Date | null;
}

/** The calendar in use at one moment, with working time per zone built on it once. */
export class CalendarSnapshot {
  readonly calendar: WorkingCalendar;
  private readonly byZone = new Map<string, WorkingTime>();

  constructor(readonly years: ReadonlyMap<number, CalendarYearInEffect>) {
    this.calendar = calendarFor([...years.values()].map((y) => y.data));
  }

  /** Working time of an organisation's zone on the default schedule (08:00–17:00, lunch 12–13). */
  workingTimeIn(timeZone: string): WorkingTime {
    let time = this.byZone.get(timeZone);
    if (!time) {
      time = new WorkingTime(this.calendar, workingSchedule(timeZone));
      this.byZone.set(timeZone, time);
    }
    return time;
  }
}

/**
 * The bundled years overridden by the stored ones (a stored year replaces the bundled year of
 * the same number). A stored year that no longer validates, or is a draft, is skipped with a
 * warning rather than taking every deadline down with it.
 */
export function snapshotOf(
  stored: readonly Pick<CalendarYearEntity, 'year' | 'data' | 'loadedBy' | 'loadedAt'>[],
  warn: (message: string) => void = () => undefined,
  bundled: readonly ProductionCalendarYear[] = bundledYears,
): CalendarSnapshot {
  const years = new Map<number, CalendarYearInEffect>(
    bundled.map((data) => [data.year, { data, loadedBy: null, loadedAt: null }]),
  );
  for (const row of stored) {
    try {
      const data = loadYear(row.data);
      if (data.year !== row.year) throw new Error(`its data is for ${data.year}`);
      if (data.decreeStatus !== 'adopted') throw new Error('its decree is a draft');
      years.set(row.year, { data, loadedBy: row.loadedBy, loadedAt: row.loadedAt });
    } catch (error) {
      warn(`stored production calendar ${row.year} is ignored: ${(error as Error).message}`);
    }
  }
  return new CalendarSnapshot(years);
}

/** The working calendar in use: bundled years overridden by the stored ones, cached per replica. */
@Injectable()
export class CalendarService {
  private readonly logger = new Logger(CalendarService.name);
  private cached?: { snapshot: Promise<CalendarSnapshot>; until: number };
  /** The cache's clock; tests may replace it. */
  now: () => number = () => Date.now();

  constructor(
    private readonly uow: UnitOfWork,
    private readonly years: CalendarRepository,
  ) {}

  /** The calendar in use, built at most CALENDAR_CACHE_MS ago (or just after this replica changed it). */
  current(): Promise<CalendarSnapshot> {
    const now = this.now();
    if (this.cached && this.cached.until > now) return this.cached.snapshot;
    const entry = { snapshot: this.load(), until: now + CALENDAR_CACHE_MS };
    this.cached = entry;
    entry.snapshot.catch(() => {
      // A failed read is not cached: the next caller tries again.
      if (this.cached === entry) this.cached = undefined;
    });
    return entry.snapshot;
  }

  async workingTimeIn(timeZone: string): Promise<WorkingTime> {
    return (await this.current()).workingTimeIn(timeZone);
  }

  /** The calendar as the open transaction sees the stored years (uncached: for the transaction that changes them). */
  async inTransaction(): Promise<CalendarSnapshot> {
    return snapshotOf(await this.years.storedYears(), (message) => this.logger.warn(message));
  }

  /** Drops the cached calendar; the next reader builds it from the stored years. */
  invalidate(): void {
    this.cached = undefined;
  }

  private load(): Promise<CalendarSnapshot> {
    // The federal calendar is the same for every organisation and its table has no row-level
    // security; reading it is system work that no viewer's scope should narrow, hence ALL_ORGS.
    const caller = callContext.current();
    return callContext.run(
      {
        correlationId: caller?.correlationId ?? newCorrelationId(),
        orgScope: ALL_ORGS,
        actor: caller?.actor ?? 'calendar',
      },
      () => this.uow.run(() => this.inTransaction()),
    );
  }
}
