import { bundledYears, calendarFor, WorkingTime, workingSchedule } from '@otklik/calendar';
import { currentDeadlineState, deadlineAtRiskAt, routeDueAt } from './deadline.policy';

/** The district's working time (Asia/Barnaul) on the bundled calendar. */
const BARNAUL = new WorkingTime(calendarFor(bundledYears), workingSchedule('Asia/Barnaul'));
const at = (iso: string) => new Date(iso);
// Detected Friday 27 November 2026 15:00 → ROUTE due Monday 30 November 15:00.
const route = { state: 'ON_TRACK' as const, dueAt: routeDueAt(at('2026-11-27T15:00:00+07:00'), BARNAUL) };

describe('deadline state as a reader sees it (REQUIREMENTS "Deadlines")', () => {
  it('ROUTE falls due 8 working hours after detection', () => {
    expect(route.dueAt.toISOString()).toBe(at('2026-11-30T15:00:00+07:00').toISOString());
  });

  it('is ON_TRACK while 2 working hours or more remain', () => {
    expect(currentDeadlineState(route, at('2026-11-30T13:00:00+07:00'), BARNAUL)).toBe('ON_TRACK');
  });

  it('is AT_RISK when less than 2 working hours remain', () => {
    expect(currentDeadlineState(route, at('2026-11-30T13:01:00+07:00'), BARNAUL)).toBe('AT_RISK');
  });

  it('counts what remains in working time: Friday 16:30 has 7.5 working hours left, so ON_TRACK', () => {
    expect(currentDeadlineState(route, at('2026-11-27T16:30:00+07:00'), BARNAUL)).toBe('ON_TRACK');
  });

  it('lunch does not count as time left: 11:10 → due 14:00 is 1 h 50 min, so AT_RISK', () => {
    const dueAt14 = { state: 'ON_TRACK' as const, dueAt: at('2026-11-30T14:00:00+07:00') };
    expect(currentDeadlineState(dueAt14, at('2026-11-30T11:10:00+07:00'), BARNAUL)).toBe('AT_RISK');
  });

  it('is OVERDUE once past due; at the due moment itself it is still in time', () => {
    expect(currentDeadlineState(route, at('2026-11-30T15:00:00+07:00'), BARNAUL)).toBe('AT_RISK');
    expect(currentDeadlineState(route, at('2026-11-30T15:00:01+07:00'), BARNAUL)).toBe('OVERDUE');
  });

  it('counts the production calendar: detected Wednesday 30 December 2026 15:00, ROUTE falls due after the New Year holidays', () => {
    const due = routeDueAt(at('2026-12-30T15:00:00+07:00'), BARNAUL);
    // 2 working hours on 30 December; 31 December and 1–10 January 2027 are not working days.
    expect(due.toISOString()).toBe(at('2027-01-11T15:00:00+07:00').toISOString());
  });

  it('a settled deadline keeps its state whatever the clock says', () => {
    const late = at('2027-01-01T00:00:00Z');
    expect(currentDeadlineState({ ...route, state: 'MET' }, late, BARNAUL)).toBe('MET');
    expect(currentDeadlineState({ ...route, state: 'MISSED' }, late, BARNAUL)).toBe('MISSED');
  });

  it('turns AT_RISK (its timer fires) at the last moment 2 working hours remain: 13:00 before a 15:00 due', () => {
    expect(deadlineAtRiskAt(route.dueAt, BARNAUL).toISOString()).toBe(at('2026-11-30T13:00:00+07:00').toISOString());
    expect(currentDeadlineState(route, deadlineAtRiskAt(route.dueAt, BARNAUL), BARNAUL)).toBe('ON_TRACK');
  });

  it('the AT_RISK moment skips night and weekend: due Monday 09:00 → Friday 16:00', () => {
    expect(deadlineAtRiskAt(at('2026-11-30T09:00:00+07:00'), BARNAUL).toISOString()).toBe(
      at('2026-11-27T16:00:00+07:00').toISOString(),
    );
  });
});
