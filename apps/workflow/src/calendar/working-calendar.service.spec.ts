import { bundledYears } from '@otklik/calendar';
import { snapshotOf } from './calendar.service';
import { validateYearInput, yearView } from './working-calendar.service';

const data2027 = JSON.stringify(bundledYears.find((y) => y.year === 2027));

describe('loading a year: validated before anything is stored (REQUIREMENTS "Deadlines")', () => {
  it('a valid year is returned typed', () => {
    expect(validateYearInput({ year: 2027, data: data2027, reason: 'decree' }).year).toBe(2027);
  });

  it('lists every problem: the data’s own, a year that does not match, a missing reason', () => {
    const data = JSON.stringify({ ...JSON.parse(data2027), workingWeekends: ['2027-11-15'], holidays: ['2026-01-01'] });
    expect(() => validateYearInput({ year: 2028, data, reason: ' ' })).toThrow(
      /reason: .*; year: the input says 2028 but data.year is 2027; .*holidays: 2026-01-01 is not in 2027.*workingWeekends: 2027-11-15 is not a Saturday or Sunday/,
    );
  });

  it('refuses a draft decree and text that is not JSON', () => {
    const draft = JSON.stringify({ ...JSON.parse(data2027), decreeStatus: 'draft' });
    expect(() => validateYearInput({ year: 2027, data: draft, reason: 'r' })).toThrow(/only an adopted decree/);
    expect(() => validateYearInput({ year: 2027, data: '{', reason: 'r' })).toThrow(/data is not JSON/);
  });
});

describe('a year of the calendar, day by day', () => {
  it('2026: 365 days, 247 working, 8 May shortened to 7 hours', () => {
    const view = yearView(snapshotOf([]), 2026, 'Asia/Barnaul');
    expect(view.days).toHaveLength(365);
    expect(view.days.filter((d) => d.workingHours > 0)).toHaveLength(247);
    expect(view.days.find((d) => d.date === '2026-05-08')).toEqual({
      date: '2026-05-08',
      kind: 'SHORTENED',
      workingHours: 7,
    });
  });

  it('a year not loaded is BAD_USER_INPUT naming it', () => {
    expect(() => yearView(snapshotOf([]), 2030, null)).toThrow(/no production calendar is loaded for 2030/);
  });
});
