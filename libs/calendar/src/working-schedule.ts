/**
 * An organisation's working hours: the same periods on every working day of its calendar,
 * in its time zone. A pre-holiday day is one hour shorter (Labour Code art. 95); the hour
 * comes off the end of the day.
 */
import { CalendarError } from './production-calendar';
import { isKnownTimeZone } from './time-zone';

/** 'HH:MM', 24-hour local time. */
export type ClockTime = string;

export interface WorkingPeriod {
  readonly start: ClockTime;
  readonly end: ClockTime;
}

export interface WorkingSchedule {
  /** An IANA zone known to Intl, e.g. 'Asia/Barnaul'. */
  readonly timeZone: string;
  /** In order, not overlapping; a period's end is not working time. */
  readonly periods: readonly WorkingPeriod[];
}

/** Labour Code art. 95: the working day before a non-working holiday is one hour shorter. */
export const SHORTENED_BY_MINUTES = 60;

/** 08:00–17:00 with lunch 12:00–13:00 (REQUIREMENTS.md, Deadlines). */
export const DEFAULT_WORKING_PERIODS: readonly WorkingPeriod[] = Object.freeze([
  Object.freeze({ start: '08:00', end: '12:00' }),
  Object.freeze({ start: '13:00', end: '17:00' }),
]);

/** A period as minutes of the local day, end excluded. */
export interface PeriodMinutes {
  readonly start: number;
  readonly end: number;
}

const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

function minutesOf(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = CLOCK_TIME.exec(value);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

/** Checks a schedule and returns it frozen; throws INVALID_SCHEDULE listing every problem. */
export function validateSchedule(schedule: WorkingSchedule): WorkingSchedule {
  const problems: string[] = [];
  const timeZone: unknown = schedule?.timeZone;
  if (typeof timeZone !== 'string' || !isKnownTimeZone(timeZone)) {
    problems.push(`timeZone: ${String(timeZone)} is not a time zone known to Intl`);
  }
  const periods: unknown = schedule?.periods;
  if (!Array.isArray(periods) || periods.length === 0) {
    problems.push('periods: at least one working period is needed');
  } else {
    let previousEnd: number | undefined;
    (periods as WorkingPeriod[]).forEach((period, index) => {
      const start = minutesOf(period?.start);
      const end = minutesOf(period?.end);
      if (start === undefined) problems.push(`periods[${index}].start: ${String(period?.start)} is not HH:MM`);
      if (end === undefined) problems.push(`periods[${index}].end: ${String(period?.end)} is not HH:MM`);
      if (start === undefined || end === undefined) return;
      if (end <= start) problems.push(`periods[${index}]: ends at ${period.end}, not after its start ${period.start}`);
      if (previousEnd !== undefined && start < previousEnd) {
        problems.push(`periods[${index}]: starts at ${period.start}, before the previous period ends`);
      }
      if (index === periods.length - 1 && end - start <= SHORTENED_BY_MINUTES) {
        problems.push(
          `periods[${index}]: the last period must last more than ${SHORTENED_BY_MINUTES} minutes, which a shortened day takes off it`,
        );
      }
      previousEnd = end;
    });
  }
  if (problems.length > 0) {
    throw new CalendarError('INVALID_SCHEDULE', `working schedule: ${problems.join('; ')}`, problems);
  }
  return Object.freeze({
    timeZone: timeZone as string,
    periods: Object.freeze((periods as WorkingPeriod[]).map((p) => Object.freeze({ start: p.start, end: p.end }))),
  });
}

/** A validated schedule in the zone, with the default hours unless others are given. */
export function workingSchedule(
  timeZone: string,
  periods: readonly WorkingPeriod[] = DEFAULT_WORKING_PERIODS,
): WorkingSchedule {
  return validateSchedule({ timeZone, periods });
}

/** The periods of a working day in minutes of the day; on a shortened day the last one ends an hour earlier. */
export function periodMinutesOf(schedule: WorkingSchedule, shortened: boolean): PeriodMinutes[] {
  const periods = schedule.periods.map((p) => ({
    start: minutesOf(p.start) as number,
    end: minutesOf(p.end) as number,
  }));
  if (shortened) {
    const last = periods[periods.length - 1];
    periods[periods.length - 1] = { start: last.start, end: last.end - SHORTENED_BY_MINUTES };
  }
  return periods;
}
