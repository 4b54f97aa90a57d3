import { instantOfWallTime, WorkingTime } from '@otklik/calendar';
import { NotificationKind } from '../notifications/notification.text';

/** The morning digest goes out at 09:00 on the organisation's clock, an hour into the working day. */
export const DIGEST_MINUTE_OF_DAY = 9 * 60;

/** What goes out at any hour: a deadline already breached, a threat to a person (cl. 11). */
export const URGENT_KINDS: ReadonlySet<string> = new Set([
  NotificationKind.DEADLINE_BREACHED,
  NotificationKind.CASE_THREAT,
]);

/** When a delivery is due, and whether it waits for the morning digest. */
export interface DeliveryPlan {
  at: Date;
  digest: boolean;
}

const minuteOf = (clock: string): number => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

/**
 * Whether `at` falls inside a working day of the calendar: from its first period's start to the
 * end of its last (lunch included: a message at 12:30 is not held until tomorrow).
 */
export function isWithinWorkingDay(time: WorkingTime, at: Date): boolean {
  const day = time.localDay(at);
  if (!time.calendar.isWorkingDay(day)) return false;
  const start = instantOfWallTime(time.timeZone, { date: day, minuteOfDay: minuteOf(time.schedule.periods[0].start) });
  return start <= at.getTime() && at < time.endOfWorkingDay(day);
}

/** 09:00 of the next working day on the calendar: today's when `at` is earlier on a working day. */
export function nextDigestMoment(time: WorkingTime, at: Date): Date {
  const today = time.localDay(at);
  const morningOf = (day: string) =>
    new Date(instantOfWallTime(time.timeZone, { date: day, minuteOfDay: DIGEST_MINUTE_OF_DAY }));
  if (time.calendar.isWorkingDay(today) && at < morningOf(today)) return morningOf(today);
  return morningOf(time.nthWorkingDayAfter(today, 1));
}

/**
 * When a notification of `kind` written at `at` goes out by e-mail or Telegram: at once inside
 * the working day, and for breaches and threats at any hour; otherwise it waits for the next
 * working morning's digest.
 */
export function planDelivery(kind: string, at: Date, time: WorkingTime): DeliveryPlan {
  if (URGENT_KINDS.has(kind) || isWithinWorkingDay(time, at)) return { at, digest: false };
  return { at: nextDigestMoment(time, at), digest: true };
}
