import fc from 'fast-check';
import { bundledYears } from './bundled-years';
import { atRiskFrom, deadlinePolicy, DeadlineKind, deadlineState, dueAt } from './deadline-rules';
import { calendarFor } from './production-calendar';
import { workingSchedule } from './working-schedule';
import { WorkingTime } from './working-time';

const calendar = calendarFor(bundledYears);
const barnaul = new WorkingTime(calendar, workingSchedule('Asia/Barnaul'));
const berlin = new WorkingTime(calendar, workingSchedule('Europe/Berlin'));

const FROM_2025 = Date.parse('2025-01-01T00:00:00+07:00');
const TO_2027 = Date.parse('2027-01-01T00:00:00+07:00');

/** Any start in 2025–2026, to the millisecond. */
const startedAt = fc.integer({ min: FROM_2025, max: TO_2027 - 1 }).map((time) => new Date(time));
const kind = fc.constantFrom<DeadlineKind>('ROUTE', 'DRAFT', 'ANSWER', 'FINAL');
/** A share strictly between 0 and 1. */
const share = fc.double({ min: 0.001, max: 0.999, noNaN: true });
/** Either form of the at-risk rule, with the other settings varied too. */
const policy = fc
  .record({
    routeHours: fc.integer({ min: 1, max: 40 }),
    answerWorkingDays: fc.integer({ min: 1, max: 5 }),
    finalWorkingDays: fc.integer({ min: 1, max: 10 }),
  })
  .chain((settings) =>
    fc.oneof(
      fc.integer({ min: 0, max: 600 }).map((atRiskMinutes) => deadlinePolicy({ ...settings, atRiskMinutes })),
      share.map((atRiskShare) => deadlinePolicy({ ...settings, atRiskShare })),
    ),
  );

describe('the AT_RISK moment: properties', () => {
  it('lies between the start and the due instant, whichever rule', () => {
    fc.assert(
      fc.property(startedAt, kind, policy, (start, k, p) => {
        const span = { startedAt: start, dueAt: dueAt(k, barnaul, start, p) };
        const from = atRiskFrom(barnaul, span, p).getTime();
        expect(from).toBeGreaterThanOrEqual(start.getTime());
        expect(from).toBeLessThanOrEqual(span.dueAt.getTime());
      }),
    );
  });

  it('with a share s, exactly s of the deadline’s working time is left from it (to the millisecond)', () => {
    fc.assert(
      fc.property(startedAt, kind, share, (start, k, s) => {
        const span = { startedAt: start, dueAt: dueAt(k, barnaul, start) };
        const whole = barnaul.workingMinutesBetween(start, span.dueAt);
        const from = atRiskFrom(barnaul, span, deadlinePolicy({ atRiskShare: s }));
        expect(Math.abs(barnaul.workingMinutesBetween(from, span.dueAt) - s * whole)).toBeLessThanOrEqual(1 / 60_000);
      }),
    );
  });

  it('a larger share turns AT_RISK no later', () => {
    fc.assert(
      fc.property(startedAt, kind, share, share, (start, k, a, b) => {
        const span = { startedAt: start, dueAt: dueAt(k, barnaul, start) };
        const [less, more] = a <= b ? [a, b] : [b, a];
        expect(atRiskFrom(barnaul, span, deadlinePolicy({ atRiskShare: more })).getTime()).toBeLessThanOrEqual(
          atRiskFrom(barnaul, span, deadlinePolicy({ atRiskShare: less })).getTime(),
        );
      }),
    );
  });

  it('deadlineState agrees: ON_TRACK at the moment, AT_RISK a millisecond later (unless at risk from the start)', () => {
    fc.assert(
      fc.property(startedAt, kind, policy, (start, k, p) => {
        const span = { startedAt: start, dueAt: dueAt(k, barnaul, start, p) };
        const from = atRiskFrom(barnaul, span, p);
        if (from.getTime() === span.dueAt.getTime()) return; // nothing left to be at risk for: zero minutes
        const later = new Date(from.getTime() + 1);
        if (from.getTime() === start.getTime() && deadlineState(barnaul, start, span, p) === 'AT_RISK') {
          expect(deadlineState(barnaul, later, span, p)).toBe('AT_RISK');
          return;
        }
        expect(deadlineState(barnaul, from, span, p)).toBe('ON_TRACK');
        expect(deadlineState(barnaul, later, span, p)).toBe('AT_RISK');
      }),
    );
  });

  it('holds across clock changes (Europe/Berlin): between start and due, s of the time left', () => {
    fc.assert(
      fc.property(startedAt, kind, share, (start, k, s) => {
        const span = { startedAt: start, dueAt: dueAt(k, berlin, start) };
        const from = atRiskFrom(berlin, span, deadlinePolicy({ atRiskShare: s }));
        expect(from.getTime()).toBeGreaterThanOrEqual(start.getTime());
        expect(from.getTime()).toBeLessThanOrEqual(span.dueAt.getTime());
        const whole = berlin.workingMinutesBetween(start, span.dueAt);
        expect(Math.abs(berlin.workingMinutesBetween(from, span.dueAt) - s * whole)).toBeLessThanOrEqual(1 / 60_000);
      }),
    );
  });
});
