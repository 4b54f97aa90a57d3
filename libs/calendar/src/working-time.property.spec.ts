import fc from 'fast-check';
import { bundledYears } from './bundled-years';
import { answerDue, draftDue, finalDue, routeDue } from './deadline-rules';
import { calendarFor } from './production-calendar';
import { instantOfWallTime, wallTimeAt } from './time-zone';
import { workingSchedule } from './working-schedule';
import { WorkingTime } from './working-time';

const calendar = calendarFor(bundledYears);
const barnaul = new WorkingTime(calendar, workingSchedule('Asia/Barnaul'));
const berlin = new WorkingTime(calendar, workingSchedule('Europe/Berlin'));

const MINUTE = 60_000;
const FROM_2025 = Date.parse('2025-01-01T00:00:00+07:00');
const TO_2027 = Date.parse('2027-01-01T00:00:00+07:00');

/** Any instant of 2025–2026, to the millisecond. */
const instant = fc.integer({ min: FROM_2025, max: TO_2027 - 1 }).map((time) => new Date(time));
/** Up to 300 working hours, in minutes. */
const minutes = fc.integer({ min: 0, max: 300 * 60 });

/**
 * An oracle written without the code under test: Barnaul is UTC+7, working minutes are
 * 08:00–12:00 and 13:00–17:00 (16:00 on a shortened day) of a working day.
 */
function isWorkingMinuteInBarnaul(time: number): boolean {
  const local = new Date(time + 7 * 3_600_000);
  const day = local.toISOString().slice(0, 10);
  if (!calendar.isWorkingDay(day)) return false;
  const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
  const end = calendar.isShortened(day) ? 16 * 60 : 17 * 60;
  return (minute >= 8 * 60 && minute < 12 * 60) || (minute >= 13 * 60 && minute < end);
}

describe('working-time arithmetic: properties', () => {
  it('adding working time is monotonic in the amount and in the start', () => {
    fc.assert(
      fc.property(instant, instant, minutes, minutes, (a, b, m, n) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        const [less, more] = m <= n ? [m, n] : [n, m];
        expect(barnaul.addWorkingMinutes(early, less).getTime()).toBeLessThanOrEqual(
          barnaul.addWorkingMinutes(early, more).getTime(),
        );
        expect(barnaul.addWorkingMinutes(early, m).getTime()).toBeLessThanOrEqual(
          barnaul.addWorkingMinutes(late, m).getTime(),
        );
      }),
    );
  });

  it('a result is working time, or exactly the end of a period (the moment before it is working)', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 300 * 60 }), (from, m) => {
        const result = barnaul.addWorkingMinutes(from, m);
        expect(result.getTime()).toBeGreaterThan(from.getTime());
        if (!barnaul.isWorkingMoment(result)) {
          expect(barnaul.isWorkingMoment(new Date(result.getTime() - 1))).toBe(true);
        }
      }),
    );
  });

  it('adding a + b equals adding a, then b', () => {
    fc.assert(
      fc.property(instant, minutes, minutes, (from, a, b) => {
        expect(barnaul.addWorkingMinutes(barnaul.addWorkingMinutes(from, a), b).getTime()).toBe(
          barnaul.addWorkingMinutes(from, a + b).getTime(),
        );
      }),
    );
  });

  it('workingMinutesBetween(from, add(from, m)) is m', () => {
    fc.assert(
      fc.property(instant, minutes, (from, m) => {
        expect(barnaul.workingMinutesBetween(from, barnaul.addWorkingMinutes(from, m))).toBe(m);
      }),
    );
  });

  it('agrees with a minute-by-minute count that does not use the code under test', () => {
    const minuteStart = fc
      .integer({ min: FROM_2025 / MINUTE, max: TO_2027 / MINUTE - 1 })
      .map((minute) => new Date(minute * MINUTE));
    fc.assert(
      fc.property(minuteStart, fc.integer({ min: 1, max: 40 * 60 }), (from, m) => {
        let time = from.getTime();
        let counted = 0;
        while (counted < m) {
          if (isWorkingMinuteInBarnaul(time)) counted += 1;
          time += MINUTE;
        }
        expect(barnaul.addWorkingMinutes(from, m).getTime()).toBe(time);
      }),
      { numRuns: 200 },
    );
  });

  it('every deadline is due no earlier than it starts, and the day-based ones at the end of a working day', () => {
    fc.assert(
      fc.property(instant, (start) => {
        for (const rule of [routeDue, draftDue, answerDue, finalDue]) {
          expect(rule(barnaul, start).getTime()).toBeGreaterThanOrEqual(start.getTime());
        }
        for (const rule of [draftDue, answerDue, finalDue]) {
          const due = rule(barnaul, start);
          expect(barnaul.endOfWorkingDay(barnaul.localDay(due)).getTime()).toBe(due.getTime());
        }
        expect(barnaul.localDay(answerDue(barnaul, start)) > barnaul.localDay(start)).toBe(true);
      }),
    );
  });
});

describe('a zone with DST (Europe/Berlin): properties', () => {
  const berlinInstant = fc
    .integer({ min: Date.parse('2025-01-01T00:00:00Z'), max: Date.parse('2026-12-31T00:00:00Z') })
    .map((time) => new Date(time));

  it('an instant round-trips through its wall time (a repeated hour resolves to its earlier instant)', () => {
    fc.assert(
      fc.property(berlinInstant, (at) => {
        const wholeMinute = Math.floor(at.getTime() / MINUTE) * MINUTE;
        const wall = wallTimeAt('Europe/Berlin', wholeMinute);
        const back = instantOfWallTime('Europe/Berlin', wall);
        expect(wallTimeAt('Europe/Berlin', back)).toEqual(wall);
        if (back !== wholeMinute) expect(wholeMinute - back).toBe(3_600_000);
      }),
    );
  });

  it('working time added and measured agree across the clock changes', () => {
    fc.assert(
      fc.property(berlinInstant, minutes, minutes, (from, a, b) => {
        const result = berlin.addWorkingMinutes(from, a);
        expect(berlin.workingMinutesBetween(from, result)).toBe(a);
        expect(berlin.addWorkingMinutes(result, b).getTime()).toBe(berlin.addWorkingMinutes(from, a + b).getTime());
      }),
    );
  });

  it('a working day runs 08:00–17:00 local whatever the offset', () => {
    fc.assert(
      fc.property(berlinInstant, (at) => {
        const day = berlin.localDay(at);
        if (!calendar.isWorkingDay(day)) return;
        const end = wallTimeAt('Europe/Berlin', berlin.endOfWorkingDay(day));
        expect(end).toEqual({ date: day, minuteOfDay: calendar.isShortened(day) ? 16 * 60 : 17 * 60 });
      }),
    );
  });
});

describe('subtracting working time: the mirror of adding it', () => {
  it('exactly the amount of working time lies between the result and the end', () => {
    fc.assert(
      fc.property(instant, minutes, (to, m) => {
        const from = barnaul.subtractWorkingMinutes(to, m);
        expect(from.getTime()).toBeLessThanOrEqual(to.getTime());
        expect(barnaul.workingMinutesBetween(from, to)).toBeCloseTo(m, 6);
      }),
    );
  });

  it('the result is the latest such instant: a millisecond later, less is left', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 300 * 60 }), (to, m) => {
        const from = barnaul.subtractWorkingMinutes(to, m);
        expect(barnaul.isWorkingMoment(from)).toBe(true);
        expect(barnaul.workingMinutesBetween(new Date(from.getTime() + 1), to)).toBeLessThan(m);
      }),
    );
  });

  it('holds across clock changes (Europe/Berlin)', () => {
    fc.assert(
      fc.property(instant, minutes, (to, m) => {
        expect(berlin.workingMinutesBetween(berlin.subtractWorkingMinutes(to, m), to)).toBeCloseTo(m, 6);
      }),
    );
  });
});
