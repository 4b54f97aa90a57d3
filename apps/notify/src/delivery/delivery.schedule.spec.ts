import { NotificationKind } from '../notifications/notification.text';
import { isWithinWorkingDay, planDelivery } from './delivery.schedule';
import { WorkingHours } from './working-hours';

// The demo district's clock: Asia/Barnaul, UTC+7 all year; 08:00–17:00 with lunch, the Russian calendar.
const time = new WorkingHours().of('any organisation');
const barnaul = (local: string): Date => new Date(`${local}:00+07:00`);

describe('working hours, for holding deliveries (the organisation’s calendar, lunch included)', () => {
  it.each([
    ['Monday 08:00, the first minute', '2026-11-30T08:00', true],
    ['Monday 12:30, lunch: still the working day', '2026-11-30T12:30', true],
    ['Monday 16:59', '2026-11-30T16:59', true],
    ['Monday 17:00, the end is not working time', '2026-11-30T17:00', false],
    ['Monday 07:59', '2026-11-30T07:59', false],
    ['Saturday noon', '2026-11-28T12:00', false],
    ['Wednesday 4 November, a holiday', '2026-11-04T10:00', false],
    ['Tuesday 3 November 16:30, a shortened pre-holiday day ends at 16:00', '2026-11-03T16:30', false],
    ['Tuesday 3 November 15:30', '2026-11-03T15:30', true],
  ])('%s: %s', (_what, local, within) => {
    expect(isWithinWorkingDay(time, barnaul(local))).toBe(within);
  });
});

describe('when a notification goes out by e-mail and Telegram', () => {
  it('inside the working day: at once, not in a digest', () => {
    const at = barnaul('2026-11-30T10:00');
    expect(planDelivery(NotificationKind.CASE_ASSIGNED, at, time)).toEqual({ at, digest: false });
  });

  it.each([
    ['a weekday evening: the next morning', '2026-11-30T22:00', '2026-12-01T09:00'],
    ['a weekday just after the end of the day', '2026-11-30T17:00', '2026-12-01T09:00'],
    ['before work on a working day: that morning', '2026-12-01T06:30', '2026-12-01T09:00'],
    ['Friday evening: Monday morning', '2026-11-27T18:00', '2026-11-30T09:00'],
    ['Saturday: Monday morning', '2026-11-28T11:00', '2026-11-30T09:00'],
    ['Sunday night: Monday morning', '2026-11-29T23:30', '2026-11-30T09:00'],
    [
      'the shortened eve of a holiday, after 16:00: the morning after the holiday',
      '2026-11-03T16:30',
      '2026-11-05T09:00',
    ],
    ['30 December evening: past the New Year holidays, Monday 11 January', '2026-12-30T20:00', '2027-01-11T09:00'],
  ])('outside it, %s', (_what, local, morning) => {
    expect(planDelivery(NotificationKind.DEADLINE_AT_RISK, barnaul(local), time)).toEqual({
      at: barnaul(morning),
      digest: true,
    });
  });

  it.each([NotificationKind.DEADLINE_BREACHED, NotificationKind.CASE_THREAT])(
    'a %s goes out at once at any hour',
    (kind) => {
      const at = barnaul('2026-11-28T03:00');
      expect(planDelivery(kind, at, time)).toEqual({ at, digest: false });
    },
  );
});
