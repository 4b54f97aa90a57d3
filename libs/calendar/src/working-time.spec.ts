import { bundledYears } from './bundled-years';
import { CalendarError, calendarFor } from './production-calendar';
import { instantOfWallTime, offsetMinutesAt, wallTimeAt } from './time-zone';
import { validateSchedule, WorkingSchedule, workingSchedule } from './working-schedule';
import { WorkingTime } from './working-time';

const calendar = calendarFor(bundledYears);
const barnaul = new WorkingTime(calendar, workingSchedule('Asia/Barnaul'));
const berlin = new WorkingTime(calendar, workingSchedule('Europe/Berlin'));

const at = (local: string): Date => new Date(`${local.replace(' ', 'T')}:00+07:00`);
const show = (instant: Date): string =>
  new Date(instant.getTime() + 7 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

function errorOf(run: () => unknown): CalendarError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CalendarError);
    return error as CalendarError;
  }
  throw new Error('expected a CalendarError');
}

describe('working schedule', () => {
  it('defaults to 08:00–12:00 and 13:00–17:00', () => {
    expect(workingSchedule('Asia/Barnaul')).toEqual({
      timeZone: 'Asia/Barnaul',
      periods: [
        { start: '08:00', end: '12:00' },
        { start: '13:00', end: '17:00' },
      ],
    });
  });

  it('rejects an unknown zone and bad periods, listing every problem', () => {
    const error = errorOf(() =>
      validateSchedule({
        timeZone: 'Asia/Nowhere',
        periods: [
          { start: '09:00', end: '08:00' },
          { start: '8:00', end: '24:00' },
          { start: '07:00', end: '12:00' },
          { start: '13:00', end: '13:45' },
        ],
      }),
    );
    expect(error.code).toBe('INVALID_SCHEDULE');
    expect(error.problems).toEqual([
      'timeZone: Asia/Nowhere is not a time zone known to Intl',
      'periods[0]: ends at 08:00, not after its start 09:00',
      'periods[1].start: 8:00 is not HH:MM',
      'periods[1].end: 24:00 is not HH:MM',
      'periods[2]: starts at 07:00, before the previous period ends',
      'periods[3]: the last period must last more than 60 minutes, which a shortened day takes off it',
    ]);
  });

  it('rejects a schedule with no periods', () => {
    expect(errorOf(() => workingSchedule('Asia/Barnaul', [])).code).toBe('INVALID_SCHEDULE');
  });

  it('is checked again when a WorkingTime is built from a hand-made object', () => {
    const handMade: WorkingSchedule = { timeZone: 'Asia/Barnaul', periods: [{ start: '12:00', end: '11:00' }] };
    expect(errorOf(() => new WorkingTime(calendar, handMade)).code).toBe('INVALID_SCHEDULE');
  });
});

describe('time zone arithmetic with Intl', () => {
  it('Asia/Barnaul is UTC+7 all year', () => {
    expect(offsetMinutesAt('Asia/Barnaul', new Date('2025-01-15T00:00:00Z'))).toBe(420);
    expect(offsetMinutesAt('Asia/Barnaul', new Date('2025-07-15T00:00:00Z'))).toBe(420);
  });

  it('Europe/Berlin changes offset at 01:00 UTC on the last Sundays of March and October', () => {
    expect(offsetMinutesAt('Europe/Berlin', new Date('2025-03-30T00:59:59Z'))).toBe(60);
    expect(offsetMinutesAt('Europe/Berlin', new Date('2025-03-30T01:00:00Z'))).toBe(120);
    expect(offsetMinutesAt('Europe/Berlin', new Date('2025-10-26T00:59:59Z'))).toBe(120);
    expect(offsetMinutesAt('Europe/Berlin', new Date('2025-10-26T01:00:00Z'))).toBe(60);
  });

  it('a skipped local time moves forward by the gap; a repeated one is its earlier instant', () => {
    expect(new Date(instantOfWallTime('Europe/Berlin', { date: '2025-03-30', minuteOfDay: 150 })).toISOString()).toBe(
      '2025-03-30T01:30:00.000Z', // 02:30 does not exist: 03:30 CEST
    );
    expect(new Date(instantOfWallTime('Europe/Berlin', { date: '2025-10-26', minuteOfDay: 150 })).toISOString()).toBe(
      '2025-10-26T00:30:00.000Z', // 02:30 happens twice: the first, CEST
    );
    expect(new Date(instantOfWallTime('Europe/Berlin', { date: '2025-07-01', minuteOfDay: 480 })).toISOString()).toBe(
      '2025-07-01T06:00:00.000Z',
    );
  });

  it('gives the local day and minute of an instant', () => {
    expect(wallTimeAt('Asia/Barnaul', new Date('2025-12-31T17:30:00Z'))).toEqual({
      date: '2026-01-01',
      minuteOfDay: 30,
    });
  });
});

describe('WorkingTime in Asia/Barnaul', () => {
  it('knows the calendar day of an instant in the zone', () => {
    expect(barnaul.localDay(new Date('2025-10-13T16:59:59Z'))).toBe('2025-10-13');
    expect(barnaul.localDay(new Date('2025-10-13T17:00:00Z'))).toBe('2025-10-14');
  });

  it.each([
    ['2025-10-13 07:59', false],
    ['2025-10-13 08:00', true],
    ['2025-10-13 11:59', true],
    ['2025-10-13 12:00', false],
    ['2025-10-13 13:00', true],
    ['2025-10-13 16:59', true],
    ['2025-10-13 17:00', false],
    ['2025-10-18 10:00', false], // Saturday
    ['2025-11-01 15:59', true], // working Saturday, shortened
    ['2025-11-01 16:00', false],
    ['2025-12-31 10:00', false], // day off by decree
  ])('isWorkingMoment(%s) is %s', (local, working) => {
    expect(barnaul.isWorkingMoment(at(local))).toBe(working);
  });

  it.each([
    ['working: the moment itself', '2025-10-13 09:15', '2025-10-13 09:15'],
    ['a period end is not working: the next period starts', '2025-10-13 12:00', '2025-10-13 13:00'],
    ['17:00: next morning', '2025-10-13 17:00', '2025-10-14 08:00'],
    ['Friday evening: Monday', '2025-10-17 18:00', '2025-10-20 08:00'],
    ['New Year 2026: 12 January', '2025-12-30 17:00', '2026-01-12 08:00'],
    ['New Year 2027: 11 January', '2026-12-30 17:30', '2027-01-11 08:00'],
  ])('nextWorkingMoment: %s', (_name, from, next) => {
    expect(show(barnaul.nextWorkingMoment(at(from)))).toBe(next);
  });

  it.each([
    ['8 h from Monday 08:00 is Monday 17:00', '2025-10-13 08:00', 480, '2025-10-13 17:00'],
    ['4 h from 08:00 is 12:00, the end of the morning', '2025-10-13 08:00', 240, '2025-10-13 12:00'],
    ['1 minute after 11:59 is 12:00', '2025-10-13 11:59', 1, '2025-10-13 12:00'],
    ['a minute more goes past lunch', '2025-10-13 11:59', 2, '2025-10-13 13:01'],
    ['zero minutes is the start itself', '2025-10-13 20:00', 0, '2025-10-13 20:00'],
    ['90 minutes from Friday 16:30 is Monday 09:00', '2025-10-17 16:30', 90, '2025-10-20 09:00'],
  ])('addWorkingMinutes: %s', (_name, from, minutes, result) => {
    expect(show(barnaul.addWorkingMinutes(at(from), minutes))).toBe(result);
  });

  it('adds fractional hours', () => {
    expect(show(barnaul.addWorkingHours(at('2025-10-13 08:00'), 5.5))).toBe('2025-10-13 14:30');
  });

  it('rejects negative or non-finite amounts and invalid dates', () => {
    expect(errorOf(() => barnaul.addWorkingMinutes(at('2025-10-13 08:00'), -1)).code).toBe('INVALID_ARGUMENT');
    expect(errorOf(() => barnaul.addWorkingHours(at('2025-10-13 08:00'), Infinity)).code).toBe('INVALID_ARGUMENT');
    expect(errorOf(() => barnaul.isWorkingMoment(new Date('nonsense'))).code).toBe('INVALID_ARGUMENT');
    expect(errorOf(() => barnaul.endOfWorkingDay('2025-02-30')).code).toBe('INVALID_DATE');
  });

  it('counts working minutes between two instants, for reports', () => {
    expect(barnaul.workingMinutesBetween(at('2025-10-13 09:00'), at('2025-10-13 15:30'))).toBe(330); // 5.5 h
    expect(barnaul.workingMinutesBetween(at('2025-10-17 16:00'), at('2025-10-20 09:00'))).toBe(120);
    expect(barnaul.workingMinutesBetween(at('2025-10-13 15:30'), at('2025-10-13 09:00'))).toBe(-330);
    expect(barnaul.workingMinutesBetween(at('2025-12-30 16:00'), at('2026-01-12 08:30'))).toBe(90);
    expect(barnaul.workingMinutesBetween(at('2025-10-18 09:00'), at('2025-10-18 12:00'))).toBe(0);
  });

  it.each([
    ['a working day ends at 17:00', '2025-10-13', '2025-10-13 17:00'],
    ['1 Nov 2025, a shortened working Saturday, ends at 16:00', '2025-11-01', '2025-11-01 16:00'],
    ['8 May 2026, shortened, ends at 16:00', '2026-05-08', '2026-05-08 16:00'],
    ['30 Dec 2025 is a full day', '2025-12-30', '2025-12-30 17:00'],
  ])('endOfWorkingDay: %s', (_name, day, end) => {
    expect(show(barnaul.endOfWorkingDay(day))).toBe(end);
  });

  it.each(['2025-12-31', '2026-12-31', '2026-01-09', '2025-10-18'])('endOfWorkingDay(%s): not a working day', (day) => {
    expect(errorOf(() => barnaul.endOfWorkingDay(day)).code).toBe('NOT_A_WORKING_DAY');
  });

  it.each([
    ['2025-10-13', 1, '2025-10-14'],
    ['2025-10-17', 1, '2025-10-20'],
    ['2025-10-18', 1, '2025-10-20'],
    ['2025-10-31', 1, '2025-11-01'],
    ['2025-11-01', 1, '2025-11-05'],
    ['2025-12-30', 1, '2026-01-12'],
    ['2025-12-31', 2, '2026-01-13'],
    ['2026-04-29', 7, '2026-05-12'],
  ])('nthWorkingDayAfter(%s, %d) is %s', (day, n, expected) => {
    expect(barnaul.nthWorkingDayAfter(day, n)).toBe(expected);
  });

  it('nthWorkingDayAfter needs n of 1 or more', () => {
    expect(errorOf(() => barnaul.nthWorkingDayAfter('2025-10-13', 0)).code).toBe('INVALID_ARGUMENT');
  });

  it('a year that is not loaded throws UNKNOWN_YEAR', () => {
    expect(errorOf(() => barnaul.isWorkingMoment(at('2028-03-01 10:00'))).code).toBe('UNKNOWN_YEAR');
    expect(errorOf(() => barnaul.endOfWorkingDay('2023-10-13')).code).toBe('UNKNOWN_YEAR');
    expect(errorOf(() => barnaul.nextWorkingMoment(at('2027-12-30 17:00'))).code).toBe('UNKNOWN_YEAR');
    expect(errorOf(() => barnaul.workingMinutesBetween(at('2027-12-30 10:00'), at('2028-01-12 10:00'))).code).toBe(
      'UNKNOWN_YEAR',
    );
  });
});

describe('WorkingTime in a zone with DST (Europe/Berlin)', () => {
  it('8 working hours from Friday 15:00 CET is Monday 15:00 CEST, 71 real hours later', () => {
    const from = new Date('2025-03-28T14:00:00Z'); // Friday 15:00 CET
    const due = berlin.addWorkingHours(from, 8);
    expect(due.toISOString()).toBe('2025-03-31T13:00:00.000Z'); // Monday 15:00 CEST
    expect(berlin.workingMinutesBetween(from, due)).toBe(480);
  });

  it('the autumn change: Friday 16:00 CEST + 2 h is Monday 09:00 CET', () => {
    const due = berlin.addWorkingHours(new Date('2025-10-24T14:00:00Z'), 2);
    expect(due.toISOString()).toBe('2025-10-27T08:00:00.000Z');
  });

  it('the end of a working day is 17:00 local in winter and in summer', () => {
    expect(berlin.endOfWorkingDay('2025-03-28').toISOString()).toBe('2025-03-28T16:00:00.000Z');
    expect(berlin.endOfWorkingDay('2025-03-31').toISOString()).toBe('2025-03-31T15:00:00.000Z');
  });

  it('a period that crosses the clock change counts real minutes', () => {
    // A night period on a day whose clocks go forward at 02:00 (Sunday 30 Mar 2025 made working for the test).
    const sundayWorking = calendarFor(
      bundledYears.map((y) => (y.year === 2025 ? { ...y, workingWeekends: [...y.workingWeekends, '2025-03-30'] } : y)),
    );
    const night = new WorkingTime(sundayWorking, workingSchedule('Europe/Berlin', [{ start: '01:00', end: '05:00' }]));
    const start = night.nextWorkingMoment(new Date('2025-03-29T23:30:00Z')); // 01:00 CET
    expect(start.toISOString()).toBe('2025-03-30T00:00:00.000Z');
    expect(night.endOfWorkingDay('2025-03-30').toISOString()).toBe('2025-03-30T03:00:00.000Z'); // 05:00 CEST
    expect(night.workingMinutesBetween(start, night.endOfWorkingDay('2025-03-30'))).toBe(180);
  });
});
