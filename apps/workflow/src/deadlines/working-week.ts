import { fromLocal, isoWeekday, LocalDate, nextDay, toLocal } from './time-zone';

/**
 * Working time on a plain weekly schedule (REQUIREMENTS "Deadlines": Monday–Friday,
 * 08:00–17:00 with lunch 12:00–13:00, in the organisation's time zone). Holidays, moved days
 * off and shortened pre-holiday days come with the production calendar (Step 2).
 */
export interface WorkingWeek {
  /** ISO weekdays that are working days: Monday 1 … Sunday 7. */
  readonly workdays: readonly number[];
  /** Working periods of a working day, in minutes after local midnight, in order, not overlapping. */
  readonly periods: ReadonlyArray<{ readonly start: number; readonly end: number }>;
}

export const STANDARD_WORKING_WEEK: WorkingWeek = Object.freeze({
  workdays: [1, 2, 3, 4, 5],
  periods: [
    { start: 8 * 60, end: 12 * 60 },
    { start: 13 * 60, end: 17 * 60 },
  ],
});

export const HOUR_MS = 60 * 60 * 1000;

/** How far ahead a search for working time may go before the schedule is taken to have none. */
const MAX_DAYS = 366;

/** The working periods of one local day, as [start, end) instants. */
function periodsOn(day: LocalDate, timeZone: string, week: WorkingWeek): Array<[number, number]> {
  if (!week.workdays.includes(isoWeekday(day))) return [];
  const at = (minutes: number) =>
    fromLocal({ ...day, hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0 }, timeZone);
  return week.periods.map((p) => [at(p.start), at(p.end)]);
}

function localDay(instant: number, timeZone: string): LocalDate {
  const { year, month, day } = toLocal(instant, timeZone);
  return { year, month, day };
}

/**
 * The moment `durationMs` of working time after `start`: only working periods count, and a
 * start outside them begins counting at the next one. Monday 10:00 + 8 h → Tuesday 10:00.
 * A duration that ends exactly at the end of a period ends there (Monday 08:00 + 8 h → 17:00).
 */
export function addWorkingTime(
  start: Date,
  durationMs: number,
  timeZone: string,
  week: WorkingWeek = STANDARD_WORKING_WEEK,
): Date {
  if (!(durationMs >= 0)) throw new RangeError(`working time to add must be zero or more, got ${durationMs} ms`);
  const from = start.getTime();
  let remaining = durationMs;
  let day = localDay(from, timeZone);
  for (let i = 0; i < MAX_DAYS; i++) {
    for (const [periodStart, periodEnd] of periodsOn(day, timeZone, week)) {
      const begin = Math.max(periodStart, from);
      if (begin >= periodEnd) continue;
      if (remaining <= periodEnd - begin) return new Date(begin + remaining);
      remaining -= periodEnd - begin;
    }
    day = nextDay(day);
  }
  throw new Error(`the working week has no working time within ${MAX_DAYS} days of ${start.toISOString()}`);
}

/** Working time between two instants, in milliseconds (0 when `to` is not after `from`). */
export function workingTimeBetween(
  from: Date,
  to: Date,
  timeZone: string,
  week: WorkingWeek = STANDARD_WORKING_WEEK,
): number {
  const start = from.getTime();
  const end = to.getTime();
  let total = 0;
  for (let day = localDay(start, timeZone); ; day = nextDay(day)) {
    if (fromLocal({ ...day, hour: 0, minute: 0, second: 0 }, timeZone) >= end) return total;
    for (const [periodStart, periodEnd] of periodsOn(day, timeZone, week)) {
      total += Math.max(0, Math.min(periodEnd, end) - Math.max(periodStart, start));
    }
  }
}
