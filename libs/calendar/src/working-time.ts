/**
 * Working-time arithmetic on instants: the working periods of each working day of the
 * calendar, in the schedule's time zone. Time outside them (lunch, nights, weekends,
 * holidays) does not count. A period's end is not working time, yet a sum that uses up a
 * period exactly ends at that end: 8 hours from Monday 08:00 is Monday 17:00.
 */
import { CalendarError, IsoDate, WorkingCalendar } from './production-calendar';
import { assertValidInstant, instantOfWallTime, wallTimeAt } from './time-zone';
import { periodMinutesOf, validateSchedule, WorkingSchedule } from './working-schedule';

/** A working period as epoch milliseconds, end excluded. */
interface Interval {
  readonly start: number;
  readonly end: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

function dayAfter(day: IsoDate): IsoDate {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, date) + DAY_MS).toISOString().slice(0, 10);
}

function dayBefore(day: IsoDate): IsoDate {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, date) - DAY_MS).toISOString().slice(0, 10);
}

function assertIsoDate(day: IsoDate): void {
  const match = typeof day === 'string' ? ISO_DATE.exec(day) : null;
  const valid =
    match !== null &&
    new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))).toISOString().slice(0, 10) === day;
  if (!valid) throw new CalendarError('INVALID_DATE', `not a real ISO date (YYYY-MM-DD): ${String(day)}`);
}

function assertAmount(amount: number, unit: string): void {
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) {
    throw new CalendarError('INVALID_ARGUMENT', `${unit} must be a finite number, zero or more: ${String(amount)}`);
  }
}

export class WorkingTime {
  readonly schedule: WorkingSchedule;
  private readonly intervalsByDay = new Map<IsoDate, readonly Interval[]>();

  constructor(
    readonly calendar: WorkingCalendar,
    schedule: WorkingSchedule,
  ) {
    this.schedule = validateSchedule(schedule);
  }

  get timeZone(): string {
    return this.schedule.timeZone;
  }

  /** The calendar day of the instant in the schedule's zone. */
  localDay(at: Date): IsoDate {
    return wallTimeAt(this.timeZone, assertValidInstant(at)).date;
  }

  isWorkingMoment(at: Date): boolean {
    const time = assertValidInstant(at);
    return this.intervalsOf(wallTimeAt(this.timeZone, time).date).some((p) => p.start <= time && time < p.end);
  }

  /** `at` itself when it is working time, otherwise the start of the next working period. */
  nextWorkingMoment(at: Date): Date {
    const time = assertValidInstant(at);
    for (let day = wallTimeAt(this.timeZone, time).date; ; day = dayAfter(day)) {
      const period = this.intervalsOf(day).find((p) => p.end > time);
      if (period) return new Date(Math.max(period.start, time));
    }
  }

  addWorkingHours(from: Date, hours: number): Date {
    assertAmount(hours, 'hours');
    return this.addWorkingMilliseconds(from, Math.round(hours * 3_600_000));
  }

  /**
   * The earliest instant by which `minutes` of working time have passed since `from`
   * (counted to the millisecond). Zero minutes is `from` itself.
   */
  addWorkingMinutes(from: Date, minutes: number): Date {
    assertAmount(minutes, 'minutes');
    return this.addWorkingMilliseconds(from, Math.round(minutes * 60_000));
  }

  /**
   * The latest instant from which `minutes` of working time (to the millisecond) remain until
   * `to`: the mirror of addWorkingMinutes. When several instants qualify (a night or lunch lies
   * just before), it is the latest, the start of the working period after the gap. Zero
   * minutes is `to` itself.
   */
  subtractWorkingMinutes(to: Date, minutes: number): Date {
    assertAmount(minutes, 'minutes');
    return this.subtractWorkingMilliseconds(to, Math.round(minutes * 60_000));
  }

  /** Working minutes from `a` to `b`; negative when `b` is before `a`. */
  workingMinutesBetween(a: Date, b: Date): number {
    const from = assertValidInstant(a, 'a');
    const to = assertValidInstant(b, 'b');
    if (to < from) return -this.workingMillisecondsBetween(to, from) / 60_000;
    return this.workingMillisecondsBetween(from, to) / 60_000;
  }

  /** The end of working hours on a working day: the last period's end, an hour earlier when shortened. */
  endOfWorkingDay(day: IsoDate): Date {
    assertIsoDate(day);
    const intervals = this.intervalsOf(day);
    if (intervals.length === 0) {
      throw new CalendarError('NOT_A_WORKING_DAY', `${day} is not a working day (${this.calendar.kindOf(day)})`);
    }
    return new Date(intervals[intervals.length - 1].end);
  }

  /** The n-th working day (n ≥ 1) strictly after the calendar day `day`, which need not be working. */
  nthWorkingDayAfter(day: IsoDate, n: number): IsoDate {
    assertIsoDate(day);
    if (!Number.isInteger(n) || n < 1) {
      throw new CalendarError('INVALID_ARGUMENT', `n must be a whole number of working days, 1 or more: ${String(n)}`);
    }
    let found = 0;
    let current = day;
    while (found < n) {
      current = dayAfter(current);
      if (this.calendar.isWorkingDay(current)) found += 1;
    }
    return current;
  }

  private addWorkingMilliseconds(from: Date, amount: number): Date {
    const time = assertValidInstant(from, 'from');
    if (amount === 0) return new Date(time);
    let remaining = amount;
    for (let day = wallTimeAt(this.timeZone, time).date; ; day = dayAfter(day)) {
      for (const period of this.intervalsOf(day)) {
        if (period.end <= time) continue;
        const start = Math.max(period.start, time);
        if (remaining <= period.end - start) return new Date(start + remaining);
        remaining -= period.end - start;
      }
    }
  }

  private subtractWorkingMilliseconds(to: Date, amount: number): Date {
    const time = assertValidInstant(to, 'to');
    if (amount === 0) return new Date(time);
    let remaining = amount;
    for (let day = wallTimeAt(this.timeZone, time).date; ; day = dayBefore(day)) {
      for (const period of [...this.intervalsOf(day)].reverse()) {
        if (period.start >= time) continue;
        const end = Math.min(period.end, time);
        if (remaining <= end - period.start) return new Date(end - remaining);
        remaining -= end - period.start;
      }
    }
  }

  private workingMillisecondsBetween(from: number, to: number): number {
    const lastDay = wallTimeAt(this.timeZone, to).date;
    let total = 0;
    for (let day = wallTimeAt(this.timeZone, from).date; ; day = dayAfter(day)) {
      for (const period of this.intervalsOf(day)) {
        total += Math.max(0, Math.min(period.end, to) - Math.max(period.start, from));
      }
      if (day >= lastDay) return total;
    }
  }

  /**
   * The day's working periods as instants, none on a day that is not working. Asks the
   * calendar, so a day of a year that is not loaded throws UNKNOWN_YEAR.
   */
  private intervalsOf(day: IsoDate): readonly Interval[] {
    const cached = this.intervalsByDay.get(day);
    if (cached) return cached;
    const intervals: Interval[] = [];
    if (this.calendar.isWorkingDay(day)) {
      let previousEnd = -Infinity;
      for (const period of periodMinutesOf(this.schedule, this.calendar.isShortened(day))) {
        // Across a clock change two periods could touch or a period vanish in the gap; never count time twice.
        const start = Math.max(instantOfWallTime(this.timeZone, { date: day, minuteOfDay: period.start }), previousEnd);
        const end = instantOfWallTime(this.timeZone, { date: day, minuteOfDay: period.end });
        if (end > start) intervals.push({ start, end });
        previousEnd = Math.max(previousEnd, end);
      }
    }
    Object.freeze(intervals);
    this.intervalsByDay.set(day, intervals);
    return intervals;
  }
}
