import { bundledYears } from './bundled-years';
import { CalendarError, calendarFor, DayKind, loadYear, ProductionCalendarYear } from './production-calendar';

/** A valid year to break one rule at a time. */
function sampleYear(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    year: 2025,
    source: 'Постановление Правительства РФ от 04.10.2024 № 1335',
    decreeStatus: 'adopted',
    holidays: ['2025-01-01', '2025-05-01'],
    daysOff: [{ date: '2025-11-03', from: '2025-11-01', basis: 'decree' }],
    workingWeekends: ['2025-11-01'],
    shortened: ['2025-04-30', '2025-11-01'],
    checkedAgainst: [],
    unconfirmed: [],
    ...overrides,
  };
}

function problemsOf(json: unknown): readonly string[] {
  let caught: unknown;
  try {
    loadYear(json);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(CalendarError);
  expect((caught as CalendarError).code).toBe('INVALID_CALENDAR_DATA');
  return (caught as CalendarError).problems;
}

describe('loadYear: a year is validated before it is used', () => {
  it('accepts a valid year', () => {
    expect(loadYear(sampleYear()).year).toBe(2025);
  });

  it('rejects a date that is not a real ISO date', () => {
    expect(problemsOf(sampleYear({ holidays: ['2025-02-30', '2025-1-01'] }))).toEqual([
      'holidays: 2025-02-30 is not a real ISO date (YYYY-MM-DD)',
      'holidays: 2025-1-01 is not a real ISO date (YYYY-MM-DD)',
    ]);
  });

  it('rejects a date of another year', () => {
    expect(problemsOf(sampleYear({ shortened: ['2024-12-28'] }))).toEqual(['shortened: 2024-12-28 is not in 2025']);
  });

  it('rejects a working weekend that is a weekday', () => {
    expect(problemsOf(sampleYear({ workingWeekends: ['2025-11-01', '2025-11-05'] }))).toEqual([
      'workingWeekends: 2025-11-05 is not a Saturday or Sunday',
    ]);
  });

  it('rejects a holiday or a day off that is also working', () => {
    expect(
      problemsOf(
        sampleYear({
          workingWeekends: ['2025-11-01', '2025-03-08', '2025-06-14'],
          holidays: ['2025-03-08'],
          daysOff: [{ date: '2025-06-14' }],
          shortened: [],
        }),
      ),
    ).toEqual([
      'daysOff: 2025-06-14 is a Saturday or Sunday, already off',
      'workingWeekends: 2025-03-08 is a holiday, it cannot be working',
      'workingWeekends: 2025-06-14 is also a day off',
    ]);
  });

  it('rejects a day off that is also a holiday, and a move from a weekday', () => {
    expect(
      problemsOf(sampleYear({ daysOff: [{ date: '2025-05-01' }, { date: '2025-05-02', from: '2025-01-06' }] })),
    ).toEqual([
      'daysOff: from 2025-01-06 (for 2025-05-02) is not a weekend day',
      'daysOff: 2025-05-01 is also a holiday',
    ]);
  });

  it('rejects a shortened day that is not a working day', () => {
    expect(problemsOf(sampleYear({ shortened: ['2025-05-01', '2025-11-03', '2025-11-08', '2025-11-01'] }))).toEqual([
      'shortened: 2025-05-01 is not a working day',
      'shortened: 2025-11-03 is not a working day',
      'shortened: 2025-11-08 is not a working day',
    ]);
  });

  it('rejects duplicates', () => {
    expect(
      problemsOf(
        sampleYear({
          holidays: ['2025-01-01', '2025-01-01'],
          daysOff: [{ date: '2025-11-03' }, { date: '2025-11-03' }],
          workingWeekends: ['2025-11-01', '2025-11-01'],
          shortened: ['2025-04-30', '2025-04-30'],
        }),
      ),
    ).toEqual([
      'holidays: 2025-01-01 is listed twice',
      'daysOff: 2025-11-03 is listed twice',
      'workingWeekends: 2025-11-01 is listed twice',
      'shortened: 2025-04-30 is listed twice',
    ]);
  });

  it('names every problem at once, in the message too', () => {
    expect(() => loadYear(sampleYear({ holidays: ['2025-13-01'], workingWeekends: ['2025-11-03'] }))).toThrow(
      /production calendar 2025: holidays: 2025-13-01 .*; workingWeekends: 2025-11-03 is not a Saturday or Sunday/,
    );
  });

  it('rejects a malformed shape', () => {
    expect(problemsOf('nope')).toEqual(['expected a JSON object']);
    expect(problemsOf(sampleYear({ year: '2025' }))).toEqual(['year must be an integer year']);
    expect(problemsOf(sampleYear({ source: '', decreeStatus: 'maybe', holidays: 'x', daysOff: [1] }))).toEqual([
      'source: the decree is missing',
      "decreeStatus: must be 'adopted' or 'draft'",
      'holidays: must be a list of strings',
      'daysOff: must be a list of { date, from?, basis? }',
    ]);
  });

  it('rejects totals that do not add up to the year or do not match the dates', () => {
    expect(problemsOf(sampleYear({ totals: { workingDays: 250, nonWorkingDays: 100 } }))).toEqual([
      'totals: 250 working + 100 non-working is not the 365 days of 2025',
    ]);
    // sampleYear has 2 weekday holidays and one day off moved onto a working Saturday: 261 - 2 = 259.
    expect(() => loadYear(sampleYear({ totals: { workingDays: 260, nonWorkingDays: 105 } }))).toThrow(
      'totals.workingDays is 260 but the dates give 259',
    );
    expect(loadYear(sampleYear({ totals: { workingDays: 259, nonWorkingDays: 106 } })).totals?.workingDays).toBe(259);
  });
});

describe('calendarFor: only loaded, adopted years are answered', () => {
  const calendar = calendarFor(bundledYears);

  it('an unknown year is an error naming the year', () => {
    expect(() => calendar.kindOf('2023-12-29')).toThrow(/no production calendar is loaded for 2023/);
    expect(() => calendar.isWorkingDay('2028-01-10')).toThrow(expect.objectContaining({ code: 'UNKNOWN_YEAR' }));
  });

  it('a malformed date is an error', () => {
    expect(() => calendar.kindOf('2025-02-29')).toThrow(expect.objectContaining({ code: 'INVALID_DATE' }));
  });

  it('a draft decree is refused', () => {
    expect(() => calendarFor([loadYear(sampleYear({ decreeStatus: 'draft' }))])).toThrow(
      expect.objectContaining({ code: 'DRAFT_YEAR' }),
    );
  });

  it('a year given twice is refused', () => {
    expect(() => calendarFor([bundledYears[0], bundledYears[0]])).toThrow(/given twice/);
  });

  it('knows the bundled years', () => {
    expect(calendar.years).toEqual([2024, 2025, 2026, 2027]);
  });
});

describe('the bundled production calendars', () => {
  const calendar = calendarFor(bundledYears);

  const table: [string, DayKind, string][] = [
    // New Year holidays 2025: 1–8 January; 4 and 5 January are holidays on a weekend, moved to 2 May and 31 December.
    ['2024-12-28', 'WORKING', 'Saturday 28 Dec 2024 is working (moved to 30 Dec)'],
    ['2024-12-30', 'DAY_OFF', 'Monday 30 Dec 2024'],
    ['2024-12-31', 'DAY_OFF', 'Tuesday 31 Dec 2024 (from 7 Jan)'],
    ['2025-01-01', 'HOLIDAY', ''],
    ['2025-01-04', 'HOLIDAY', 'a holiday on a Saturday is still a holiday'],
    ['2025-01-08', 'HOLIDAY', ''],
    ['2025-01-09', 'WORKING', 'first working day of 2025'],
    ['2025-02-24', 'WORKING', 'no automatic Monday off: 23 Feb was moved to 8 May by the decree'],
    ['2025-03-07', 'SHORTENED', ''],
    ['2025-03-10', 'WORKING', 'no automatic Monday off: 8 Mar was moved to 13 Jun by the decree'],
    ['2025-05-02', 'DAY_OFF', ''],
    ['2025-05-07', 'WORKING', 'before a day off, not before a holiday: not shortened'],
    ['2025-05-08', 'DAY_OFF', ''],
    ['2025-06-13', 'DAY_OFF', ''],
    ['2025-11-01', 'SHORTENED', 'working Saturday, shortened'],
    ['2025-11-03', 'DAY_OFF', ''],
    ['2025-12-30', 'WORKING', 'last working day of 2025'],
    ['2025-12-31', 'DAY_OFF', ''],
    // New Year holidays 2026: 1–8 January, then 9 January moved from 3 January.
    ['2026-01-01', 'HOLIDAY', ''],
    ['2026-01-08', 'HOLIDAY', ''],
    ['2026-01-09', 'DAY_OFF', ''],
    ['2026-01-10', 'WEEKEND', ''],
    ['2026-01-12', 'WORKING', 'first working day of 2026'],
    ['2026-02-20', 'WORKING', 'Friday before a weekend, not before the holiday'],
    ['2026-03-09', 'DAY_OFF', '8 March on a Sunday moves the day off to Monday (art. 112)'],
    ['2026-05-08', 'SHORTENED', ''],
    ['2026-05-11', 'DAY_OFF', '9 May on a Saturday (art. 112)'],
    ['2026-11-03', 'SHORTENED', ''],
    ['2026-12-30', 'WORKING', ''],
    ['2026-12-31', 'DAY_OFF', ''],
    ['2027-02-20', 'SHORTENED', 'working Saturday before 22 Feb off and 23 Feb'],
    ['2027-02-22', 'DAY_OFF', ''],
    ['2027-11-05', 'DAY_OFF', ''],
    ['2027-11-13', 'WEEKEND', ''],
    ['2027-12-31', 'DAY_OFF', ''],
  ];
  it.each(table)('%s is %s %s', (date, kind) => {
    expect(calendar.kindOf(date)).toBe(kind);
    expect(calendar.isWorkingDay(date)).toBe(kind === 'WORKING' || kind === 'SHORTENED');
    expect(calendar.isShortened(date)).toBe(kind === 'SHORTENED');
  });

  it('the New Year holidays 1–8 January are holidays every year', () => {
    for (const { year } of bundledYears) {
      for (let day = 1; day <= 8; day++) expect(calendar.kindOf(`${year}-01-0${day}`)).toBe('HOLIDAY');
    }
  });

  it("2024's working Saturdays are 27 April, 2 November (shortened) and 28 December", () => {
    const saturdays = ['2024-04-27', '2024-11-02', '2024-12-28'];
    expect(saturdays.map((d) => calendar.kindOf(d))).toEqual(['WORKING', 'SHORTENED', 'WORKING']);
    expect(['2024-04-29', '2024-04-30', '2024-05-10'].map((d) => calendar.kindOf(d))).toEqual([
      'DAY_OFF',
      'DAY_OFF',
      'DAY_OFF',
    ]);
  });

  const art112 = ['01-01', '01-02', '01-03', '01-04', '01-05', '01-06', '01-07', '01-08', '02-23', '03-08'].concat([
    '05-01',
    '05-09',
    '06-12',
    '11-04',
  ]);
  const officialWorkingDays: Record<number, number> = { 2024: 248, 2025: 247, 2026: 247, 2027: 247 };
  const officialShortened: Record<number, string[]> = {
    2024: ['2024-02-22', '2024-03-07', '2024-05-08', '2024-06-11', '2024-11-02'],
    2025: ['2025-03-07', '2025-04-30', '2025-06-11', '2025-11-01'],
    2026: ['2026-04-30', '2026-05-08', '2026-06-11', '2026-11-03'],
    2027: ['2027-02-20', '2027-04-30', '2027-06-11', '2027-11-03'],
  };

  describe.each(bundledYears.map((data): [number, ProductionCalendarYear] => [data.year, data]))('%i', (year, data) => {
    const dates = Array.from({ length: year % 4 === 0 ? 366 : 365 }, (_, i) =>
      new Date(Date.UTC(year, 0, 1 + i)).toISOString().slice(0, 10),
    );

    it('holidays are exactly those of Labour Code art. 112', () => {
      expect(data.holidays).toEqual(art112.map((md) => `${year}-${md}`));
    });

    it('every shortened day is a working day, and they are the official ones', () => {
      for (const date of data.shortened) expect(calendar.isWorkingDay(date)).toBe(true);
      expect(dates.filter((d) => calendar.isShortened(d))).toEqual(officialShortened[year]);
    });

    it('the count of working days is the official total', () => {
      const working = dates.filter((d) => calendar.isWorkingDay(d)).length;
      expect(working).toBe(officialWorkingDays[year]);
      expect(data.totals?.workingDays).toBe(officialWorkingDays[year]);
    });

    it('names its decree and its sources', () => {
      expect(data.decreeStatus).toBe('adopted');
      expect(data.source).toMatch(/^Постановление Правительства РФ от \d{2}\.\d{2}\.\d{4} № \d+/);
      expect(data.checkedAgainst.length).toBeGreaterThanOrEqual(2);
    });
  });
});
