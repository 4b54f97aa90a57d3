import { fromLocal, toLocal } from './time-zone';
import { addWorkingTime, HOUR_MS, workingTimeBetween } from './working-week';

const BARNAUL = 'Asia/Barnaul';
// 27 November 2026 is a Friday, 30 November a Monday.
const at = (iso: string) => new Date(iso);
const plus8 = (iso: string) => addWorkingTime(at(iso), 8 * HOUR_MS, BARNAUL).toISOString();

describe('working week: hours count Monday–Friday 08:00–12:00 and 13:00–17:00 in the organisation’s zone', () => {
  describe('REQUIREMENTS "Deadlines", ROUTE: 8 working hours after detection', () => {
    it('Monday 10:00 → Tuesday 10:00', () => {
      expect(plus8('2026-11-30T10:00:00+07:00')).toBe(at('2026-12-01T10:00:00+07:00').toISOString());
    });

    it('Friday 15:00 → Monday 15:00', () => {
      expect(plus8('2026-11-27T15:00:00+07:00')).toBe(at('2026-11-30T15:00:00+07:00').toISOString());
    });
  });

  describe('a moment outside working hours starts counting at the next working period', () => {
    it('Saturday 11:00 → counting starts Monday 08:00, due Monday 17:00', () => {
      expect(plus8('2026-11-28T11:00:00+07:00')).toBe(at('2026-11-30T17:00:00+07:00').toISOString());
    });

    it('Monday 12:30, in the lunch break → counting starts 13:00, due Tuesday 12:00', () => {
      expect(plus8('2026-11-30T12:30:00+07:00')).toBe(at('2026-12-01T12:00:00+07:00').toISOString());
    });

    it('Monday 07:00, before the day begins → due Monday 17:00', () => {
      expect(plus8('2026-11-30T07:00:00+07:00')).toBe(at('2026-11-30T17:00:00+07:00').toISOString());
    });

    it('Monday 18:00, after the day ends → due Tuesday 17:00', () => {
      expect(plus8('2026-11-30T18:00:00+07:00')).toBe(at('2026-12-01T17:00:00+07:00').toISOString());
    });

    it('zero working time from a night moment is the start of the next period', () => {
      expect(addWorkingTime(at('2026-11-30T02:00:00+07:00'), 0, BARNAUL).toISOString()).toBe(
        at('2026-11-30T08:00:00+07:00').toISOString(),
      );
    });
  });

  it('time that runs out exactly at the end of a period ends there (Monday 08:00 + 8 h → Monday 17:00)', () => {
    expect(plus8('2026-11-30T08:00:00+07:00')).toBe(at('2026-11-30T17:00:00+07:00').toISOString());
  });

  it('counts in the organisation’s own zone: Monday 10:00 in Moscow → Tuesday 10:00 in Moscow', () => {
    expect(addWorkingTime(at('2026-11-30T10:00:00+03:00'), 8 * HOUR_MS, 'Europe/Moscow').toISOString()).toBe(
      at('2026-12-01T10:00:00+03:00').toISOString(),
    );
  });

  it('refuses a negative duration', () => {
    expect(() => addWorkingTime(at('2026-11-30T10:00:00+07:00'), -1, BARNAUL)).toThrow(RangeError);
  });

  describe('working time between two moments', () => {
    const between = (from: string, to: string) => workingTimeBetween(at(from), at(to), BARNAUL) / HOUR_MS;

    it('Monday 10:00 → Tuesday 10:00 is 8 working hours', () => {
      expect(between('2026-11-30T10:00:00+07:00', '2026-12-01T10:00:00+07:00')).toBe(8);
    });

    it('Friday 16:00 → Monday 09:00 is 2 working hours (the weekend does not count)', () => {
      expect(between('2026-11-27T16:00:00+07:00', '2026-11-30T09:00:00+07:00')).toBe(2);
    });

    it('lunch does not count: 11:30 → 13:30 is 1 working hour', () => {
      expect(between('2026-11-30T11:30:00+07:00', '2026-11-30T13:30:00+07:00')).toBe(1);
    });

    it('is 0 when the end is not after the start', () => {
      expect(between('2026-12-01T10:00:00+07:00', '2026-11-30T10:00:00+07:00')).toBe(0);
    });

    it('adding it back gives the end again', () => {
      const from = at('2026-11-27T15:20:00+07:00');
      const due = addWorkingTime(from, 8 * HOUR_MS, BARNAUL);
      expect(workingTimeBetween(from, due, BARNAUL)).toBe(8 * HOUR_MS);
    });
  });
});

describe('time zone arithmetic with Intl', () => {
  it('reads the wall clock of a zone', () => {
    expect(toLocal(Date.parse('2026-11-30T03:00:00Z'), BARNAUL)).toEqual({
      year: 2026,
      month: 11,
      day: 30,
      hour: 10,
      minute: 0,
      second: 0,
    });
  });

  it('finds the instant of a wall-clock time, across a day boundary in UTC', () => {
    expect(
      new Date(fromLocal({ year: 2026, month: 12, day: 1, hour: 5, minute: 30, second: 0 }, BARNAUL)).toISOString(),
    ).toBe('2026-11-30T22:30:00.000Z');
  });

  it('follows a zone’s daylight saving time (Berlin: +1 in winter, +2 in summer)', () => {
    const wall = { hour: 8, minute: 0, second: 0 };
    expect(new Date(fromLocal({ year: 2026, month: 1, day: 15, ...wall }, 'Europe/Berlin')).toISOString()).toBe(
      '2026-01-15T07:00:00.000Z',
    );
    expect(new Date(fromLocal({ year: 2026, month: 7, day: 15, ...wall }, 'Europe/Berlin')).toISOString()).toBe(
      '2026-07-15T06:00:00.000Z',
    );
  });
});
