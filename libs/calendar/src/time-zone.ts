/**
 * Wall-clock time in an IANA zone, with nothing but Intl: the zone's offset at an instant,
 * and the instant of a local date and time. Correct for zones with daylight saving time.
 */
import { CalendarError, IsoDate } from './production-calendar';

/** A local date and time in some zone, to the minute. */
export interface WallTime {
  readonly date: IsoDate;
  /** 0…1439 */
  readonly minuteOfDay: number;
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when Intl knows the zone. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function assertValidInstant(at: Date, name = 'instant'): number {
  const time = at instanceof Date ? at.getTime() : NaN;
  if (!Number.isFinite(time)) throw new CalendarError('INVALID_ARGUMENT', `${name} is not a valid Date`);
  return time;
}

/** The zone's local fields of an instant, seconds included. */
function localFields(timeZone: string, time: number): [number, number, number, number, number, number] {
  const fields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(timeZone).formatToParts(time)) {
    if (part.type in fields) fields[part.type as keyof typeof fields] = Number(part.value);
  }
  return [fields.year, fields.month, fields.day, fields.hour, fields.minute, fields.second];
}

/** The zone's offset from UTC at the instant, in minutes (Asia/Barnaul: 420). */
export function offsetMinutesAt(timeZone: string, at: Date | number): number {
  const time = typeof at === 'number' ? at : assertValidInstant(at);
  const [year, month, day, hour, minute, second] = localFields(timeZone, time);
  const wallAsUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const wholeSeconds = Math.floor(time / 1000) * 1000;
  return Math.round((wallAsUtc - wholeSeconds) / 60_000);
}

/** The local date and minute of the day of an instant in the zone. */
export function wallTimeAt(timeZone: string, at: Date | number): WallTime {
  const time = typeof at === 'number' ? at : assertValidInstant(at);
  const [year, month, day, hour, minute] = localFields(timeZone, time);
  const date = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return { date, minuteOfDay: hour * 60 + minute };
}

/**
 * The instant of a local date and time in the zone. Like Temporal's 'compatible'
 * disambiguation: a time repeated when clocks go back is its earlier instant, and a time
 * skipped when clocks go forward is moved forward by the length of the gap.
 */
export function instantOfWallTime(timeZone: string, wall: WallTime): number {
  const [year, month, day] = wall.date.split('-').map(Number);
  const wallAsUtc = Date.UTC(year, month - 1, day) + wall.minuteOfDay * 60_000;
  // Real zones change offset at most once in two days, so the offsets a day either side cover every case.
  const before = offsetMinutesAt(timeZone, wallAsUtc - DAY_MS);
  const after = offsetMinutesAt(timeZone, wallAsUtc + DAY_MS);
  const candidates = [wallAsUtc - before * 60_000, wallAsUtc - after * 60_000].filter(
    (time) => offsetMinutesAt(timeZone, time) * 60_000 === wallAsUtc - time,
  );
  if (candidates.length > 0) return Math.min(...candidates);
  return wallAsUtc - before * 60_000;
}
