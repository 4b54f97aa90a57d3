import {
  bundledYears,
  calendarFor,
  DEFAULT_DEADLINE_POLICY,
  deadlinePolicy,
  WorkingTime,
  workingSchedule,
} from '@otklik/calendar';
import { currentDeadlineState, deadlineAtRiskAt, routeDueAt } from './deadline.policy';

/** The district's working time (Asia/Barnaul) on the bundled calendar. */
const BARNAUL = new WorkingTime(calendarFor(bundledYears), workingSchedule('Asia/Barnaul'));
const POLICY = DEFAULT_DEADLINE_POLICY;
const at = (iso: string) => new Date(iso);
// Detected Friday 27 November 2026 15:00 → ROUTE due Monday 30 November 15:00.
const detected = at('2026-11-27T15:00:00+07:00');
const route = { state: 'ON_TRACK' as const, startedAt: detected, dueAt: routeDueAt(detected, BARNAUL, POLICY) };
const stateAt = (iso: string, deadline = route, policy = POLICY) =>
  currentDeadlineState(deadline, at(iso), BARNAUL, policy);

describe('deadline state as a reader sees it (REQUIREMENTS "Deadlines")', () => {
  it('ROUTE falls due 8 working hours after detection', () => {
    expect(route.dueAt.toISOString()).toBe(at('2026-11-30T15:00:00+07:00').toISOString());
  });

  it('is ON_TRACK while 2 working hours or more remain', () => {
    expect(stateAt('2026-11-30T13:00:00+07:00')).toBe('ON_TRACK');
  });

  it('is AT_RISK when less than 2 working hours remain', () => {
    expect(stateAt('2026-11-30T13:01:00+07:00')).toBe('AT_RISK');
  });

  it('counts what remains in working time: Friday 16:30 has 7.5 working hours left, so ON_TRACK', () => {
    expect(stateAt('2026-11-27T16:30:00+07:00')).toBe('ON_TRACK');
  });

  it('lunch does not count as time left: 11:10 → due 14:00 is 1 h 50 min, so AT_RISK', () => {
    const dueAt14 = { ...route, dueAt: at('2026-11-30T14:00:00+07:00') };
    expect(stateAt('2026-11-30T11:10:00+07:00', dueAt14)).toBe('AT_RISK');
  });

  it('is OVERDUE once past due; at the due moment itself it is still in time', () => {
    expect(stateAt('2026-11-30T15:00:00+07:00')).toBe('AT_RISK');
    expect(stateAt('2026-11-30T15:00:01+07:00')).toBe('OVERDUE');
  });

  it('counts the production calendar: detected Wednesday 30 December 2026 15:00, ROUTE falls due after the New Year holidays', () => {
    const due = routeDueAt(at('2026-12-30T15:00:00+07:00'), BARNAUL, POLICY);
    // 2 working hours on 30 December; 31 December and 1–10 January 2027 are not working days.
    expect(due.toISOString()).toBe(at('2027-01-11T15:00:00+07:00').toISOString());
  });

  it('a settled deadline keeps its state whatever the clock says', () => {
    const late = at('2027-01-01T00:00:00Z');
    expect(currentDeadlineState({ ...route, state: 'MET' }, late, BARNAUL, POLICY)).toBe('MET');
    expect(currentDeadlineState({ ...route, state: 'MISSED' }, late, BARNAUL, POLICY)).toBe('MISSED');
  });

  it('turns AT_RISK (its timer fires) at the last moment 2 working hours remain: 13:00 before a 15:00 due', () => {
    const moment = deadlineAtRiskAt(route, BARNAUL, POLICY);
    expect(moment.toISOString()).toBe(at('2026-11-30T13:00:00+07:00').toISOString());
    expect(currentDeadlineState(route, moment, BARNAUL, POLICY)).toBe('ON_TRACK');
  });

  it('the AT_RISK moment skips night and weekend: due Monday 09:00 → Friday 16:00', () => {
    const dueMonday0900 = { startedAt: at('2026-11-26T09:00:00+07:00'), dueAt: at('2026-11-30T09:00:00+07:00') };
    expect(deadlineAtRiskAt(dueMonday0900, BARNAUL, POLICY).toISOString()).toBe(
      at('2026-11-27T16:00:00+07:00').toISOString(),
    );
  });

  it('follows the organisation’s policy: with a share of a half, ROUTE turns AT_RISK 4 working hours before due (lunch not counted)', () => {
    const half = deadlinePolicy({ atRiskShare: 0.5 });
    expect(deadlineAtRiskAt(route, BARNAUL, half).toISOString()).toBe(at('2026-11-30T10:00:00+07:00').toISOString());
    expect(stateAt('2026-11-30T10:30:00+07:00', route, half)).toBe('AT_RISK');
    expect(stateAt('2026-11-30T10:30:00+07:00', route, POLICY)).toBe('ON_TRACK');
  });
});
