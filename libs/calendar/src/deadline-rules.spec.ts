import { bundledYears } from './bundled-years';
import {
  answerDue,
  atRiskFrom,
  DEFAULT_DEADLINE_POLICY,
  deadlinePolicy,
  deadlinePolicySettings,
  DeadlineSpan,
  deadlineState,
  DeadlineKind,
  draftDue,
  dueAt,
  finalDue,
  routeDue,
} from './deadline-rules';
import { CalendarError, calendarFor } from './production-calendar';
import { workingSchedule } from './working-schedule';
import { WorkingTime } from './working-time';

/** Kalmansky district: Asia/Barnaul, UTC+7 all year. */
const barnaul = new WorkingTime(calendarFor(bundledYears), workingSchedule('Asia/Barnaul'));

/** 'YYYY-MM-DD HH:MM' in Barnaul as an instant; written independently of the code under test. */
const at = (local: string): Date => new Date(`${local.replace(' ', 'T')}:00+07:00`);
/** An instant as 'YYYY-MM-DD HH:MM' in Barnaul (UTC+7). */
const show = (instant: Date): string =>
  new Date(instant.getTime() + 7 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CalendarError);
    return (error as CalendarError).code;
  }
  throw new Error('expected a CalendarError');
}

/** A deadline due at `due` that started long before (the minutes rule does not look at the start). */
const dueOn = (due: Date, startedAt = at('2025-10-01 08:00')): DeadlineSpan => ({ startedAt, dueAt: due });

/** The problems an invalid policy is rejected with; fails when it is accepted. */
function policyProblems(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CalendarError);
    expect((error as CalendarError).code).toBe('INVALID_POLICY');
    return (error as CalendarError).problems;
  }
  throw new Error('expected INVALID_POLICY');
}

describe('ROUTE (cl. 5): 8 working hours after detection, counted in working time only', () => {
  it.each([
    // REQUIREMENTS.md examples
    ['Monday 10:00 → Tuesday 10:00', '2025-10-13 10:00', '2025-10-14 10:00'],
    ['Friday 15:00 → Monday 15:00', '2025-10-17 15:00', '2025-10-20 15:00'],
    // a moment outside working hours starts counting at the next working period
    ['before the working day: counts from 08:00, ends at 17:00 the same day', '2025-10-13 06:00', '2025-10-13 17:00'],
    ['at 08:00 exactly: ends at the period end, not the next morning', '2025-10-13 08:00', '2025-10-13 17:00'],
    ['at lunch: counts from 13:00', '2025-10-13 12:30', '2025-10-14 12:00'],
    ['in the evening: counts from the next morning', '2025-10-13 20:00', '2025-10-14 17:00'],
    ['on a Saturday: counts from Monday', '2025-10-18 11:00', '2025-10-20 17:00'],
    // New Year holidays
    [
      '30 Dec 2025 15:00: 31 Dec off, 1–8 Jan holidays, 9 Jan off → 12 Jan 2026',
      '2025-12-30 15:00',
      '2026-01-12 15:00',
    ],
    ['28 Dec 2024, a working Saturday → 9 Jan 2025', '2024-12-28 15:00', '2025-01-09 15:00'],
    // 1 Nov 2025: working Saturday, shortened (ends 16:00)
    ['31 Oct 2025 15:00 → Saturday 1 Nov 15:00', '2025-10-31 15:00', '2025-11-01 15:00'],
    ['31 Oct 2025 16:00 → exactly the end of shortened 1 Nov, 16:00', '2025-10-31 16:00', '2025-11-01 16:00'],
    ['1 Nov 2025 15:00: 1 h left that day, 3 Nov off, 4 Nov holiday → 5 Nov', '2025-11-01 15:00', '2025-11-05 16:00'],
    // 8 May 2026: shortened Friday, then 9–11 May off
    ['7 May 2026 16:00 → exactly the end of shortened 8 May, 16:00', '2026-05-07 16:00', '2026-05-08 16:00'],
    ['8 May 2026 15:00 → 12 May 2026 16:00', '2026-05-08 15:00', '2026-05-12 16:00'],
  ])('%s', (_name, detected, due) => {
    expect(show(routeDue(barnaul, at(detected)))).toBe(due);
  });

  it('an organisation may change the hours', () => {
    expect(show(routeDue(barnaul, at('2025-10-13 10:00'), deadlinePolicy({ routeHours: 4 })))).toBe('2025-10-13 15:00');
  });
});

describe('DRAFT (cl. 7): end of the day of assignment while its working hours last, else end of the next working day', () => {
  it.each([
    ['assigned on a working day at 10:00: that day 17:00', '2025-10-13 10:00', '2025-10-13 17:00'],
    ['assigned before 08:00: hours have not ended, that day 17:00', '2025-10-13 07:00', '2025-10-13 17:00'],
    ['assigned at lunch: that day 17:00', '2025-10-13 12:30', '2025-10-13 17:00'],
    ['assigned at 16:59: that day 17:00', '2025-10-13 16:59', '2025-10-13 17:00'],
    ['assigned at 17:00 exactly: hours have ended, next working day', '2025-10-13 17:00', '2025-10-14 17:00'],
    ['assigned after 17:00: next working day', '2025-10-13 18:30', '2025-10-14 17:00'],
    ['assigned on Friday evening: Monday', '2025-10-17 19:00', '2025-10-20 17:00'],
    ['assigned on a Saturday: Monday', '2025-10-18 10:00', '2025-10-20 17:00'],
    ['assigned on a Sunday: Monday', '2025-10-19 23:59', '2025-10-20 17:00'],
    ['1 Nov 2025, working Saturday, shortened: that day 16:00', '2025-11-01 10:00', '2025-11-01 16:00'],
    ['1 Nov 2025 at 16:30, after the shortened day: 5 Nov', '2025-11-01 16:30', '2025-11-05 17:00'],
    ['8 May 2026 15:59: that day 16:00', '2026-05-08 15:59', '2026-05-08 16:00'],
    ['8 May 2026 16:00, shortened day over: 12 May', '2026-05-08 16:00', '2026-05-12 17:00'],
    ['31 Dec 2025, a day off: 12 Jan 2026', '2025-12-31 10:00', '2026-01-12 17:00'],
    ['31 Dec 2026, a day off: 11 Jan 2027', '2026-12-31 10:00', '2027-01-11 17:00'],
  ])('%s', (_name, assigned, due) => {
    expect(show(draftDue(barnaul, at(assigned)))).toBe(due);
  });
});

describe('ANSWER (cl. 6, 9): end of the first working day after the calendar day of registration', () => {
  it.each([
    ['registered Monday 10:00: Tuesday 17:00', '2025-10-13 10:00', '2025-10-14 17:00'],
    [
      'registered Monday 00:00: still Tuesday 17:00 (calendar days, not working hours)',
      '2025-10-13 00:00',
      '2025-10-14 17:00',
    ],
    ['registered Monday 23:59: Tuesday 17:00', '2025-10-13 23:59', '2025-10-14 17:00'],
    ['registered Friday: Monday', '2025-10-17 16:00', '2025-10-20 17:00'],
    ['registered Saturday: Monday', '2025-10-18 10:00', '2025-10-20 17:00'],
    ['registered Sunday: Monday', '2025-10-19 10:00', '2025-10-20 17:00'],
    ['registered 31 Oct 2025: Saturday 1 Nov, shortened, 16:00', '2025-10-31 10:00', '2025-11-01 16:00'],
    ['registered 7 May 2026: 8 May, shortened, 16:00', '2026-05-07 10:00', '2026-05-08 16:00'],
    ['registered 30 Dec 2025: 31 Dec off → 12 Jan 2026', '2025-12-30 16:00', '2026-01-12 17:00'],
    ['registered 31 Dec 2025, a day off: 12 Jan 2026', '2025-12-31 10:00', '2026-01-12 17:00'],
    ['registered 27 Dec 2024: working Saturday 28 Dec', '2024-12-27 10:00', '2024-12-28 17:00'],
    ['registered 28 Dec 2024: 9 Jan 2025', '2024-12-28 10:00', '2025-01-09 17:00'],
    ['registered 30 Dec 2026: 31 Dec off → 11 Jan 2027', '2026-12-30 10:00', '2027-01-11 17:00'],
    ['registered 31 Dec 2026, a day off: 11 Jan 2027', '2026-12-31 10:00', '2027-01-11 17:00'],
  ])('%s', (_name, registered, due) => {
    expect(show(answerDue(barnaul, at(registered)))).toBe(due);
  });
});

describe('FINAL (cl. 8): end of the 7th working day after the calendar day of the interim answer', () => {
  it.each([
    ['interim on Monday 13 Oct 2025: Wednesday 22 Oct', '2025-10-13 10:00', '2025-10-22 17:00'],
    ['interim on Saturday 18 Oct 2025: Tuesday 28 Oct', '2025-10-18 10:00', '2025-10-28 17:00'],
    ['interim 30 Apr 2025: 1–4 and 8–11 May off → 15 May', '2025-04-30 10:00', '2025-05-15 17:00'],
    ['interim 28 Apr 2026: the 7th day is shortened 8 May, 16:00', '2026-04-28 10:00', '2026-05-08 16:00'],
    ['interim 29 Apr 2026: across 1–3 and 9–11 May → 12 May', '2026-04-29 10:00', '2026-05-12 17:00'],
    ['interim 30 Apr 2026 (shortened day): 13 May', '2026-04-30 15:00', '2026-05-13 17:00'],
    ['interim 29 Dec 2025: 30 Dec, then 12–16 and 19 Jan 2026 → 19 Jan', '2025-12-29 10:00', '2026-01-19 17:00'],
  ])('%s', (_name, interim, due) => {
    expect(show(finalDue(barnaul, at(interim)))).toBe(due);
  });
});

describe('dueAt names the rule', () => {
  it.each<[DeadlineKind, string]>([
    ['ROUTE', '2025-10-14 10:00'],
    ['DRAFT', '2025-10-13 17:00'],
    ['ANSWER', '2025-10-14 17:00'],
    ['FINAL', '2025-10-22 17:00'],
  ])('%s from Monday 13 Oct 2025 10:00', (kind, due) => {
    expect(show(dueAt(kind, barnaul, at('2025-10-13 10:00')))).toBe(due);
  });
});

describe('deadline state: AT_RISK under 2 working hours left, OVERDUE once past', () => {
  const due = at('2025-10-14 10:00');
  it.each([
    ['a working day ahead', '2025-10-13 10:00', 'ON_TRACK'],
    ['exactly 2 working hours left is not yet at risk', '2025-10-14 08:00', 'ON_TRACK'],
    ['2.5 working hours left across the night (16:30–17:00 + 08:00–10:00)', '2025-10-13 16:30', 'ON_TRACK'],
    ['the evening before: only 2 working hours, night does not count', '2025-10-13 17:00', 'ON_TRACK'],
    ['1 hour 59 minutes left', '2025-10-14 08:01', 'AT_RISK'],
    ['at the due instant: in time, at risk', '2025-10-14 10:00', 'AT_RISK'],
    ['a minute late', '2025-10-14 10:01', 'OVERDUE'],
  ])('%s', (_name, now, state) => {
    expect(deadlineState(barnaul, at(now), dueOn(due))).toBe(state);
  });

  it('counts working time left, not clock time: Friday 16:30 before Monday 09:00 is at risk', () => {
    expect(deadlineState(barnaul, at('2025-10-17 16:30'), dueOn(at('2025-10-20 09:00')))).toBe('AT_RISK');
  });

  it('an organisation may change the threshold', () => {
    const policy = deadlinePolicy({ atRiskMinutes: 30 });
    expect(deadlineState(barnaul, at('2025-10-14 09:00'), dueOn(due), policy)).toBe('ON_TRACK');
    expect(deadlineState(barnaul, at('2025-10-14 09:31'), dueOn(due), policy)).toBe('AT_RISK');
  });
});

describe('the AT_RISK moment: the latest instant with 2 working hours still left', () => {
  it.each([
    ['due Monday 15:00 → Monday 13:00', '2025-10-20 15:00', '2025-10-20 13:00'],
    ['due Monday 14:00: lunch not counted → Monday 11:00', '2025-10-20 14:00', '2025-10-20 11:00'],
    ['due Monday 13:00, the end of lunch → Monday 10:00', '2025-10-20 13:00', '2025-10-20 10:00'],
    ['due Monday 12:30, in lunch → Monday 10:00', '2025-10-20 12:30', '2025-10-20 10:00'],
    ['due Monday 09:00: night and weekend not counted → Friday 16:00', '2025-10-20 09:00', '2025-10-17 16:00'],
    ['due Monday 08:00, the start of the day → Friday 15:00', '2025-10-20 08:00', '2025-10-17 15:00'],
    [
      'due Monday 10:00: the latest of the equal instants, Monday 08:00, not Friday 17:00',
      '2025-10-20 10:00',
      '2025-10-20 08:00',
    ],
    ['due Friday 17:00 → Friday 15:00', '2025-10-17 17:00', '2025-10-17 15:00'],
    ['due Sunday: the working time before it → Friday 15:00', '2025-10-19 11:00', '2025-10-17 15:00'],
    ['due 16:00 on shortened Saturday 1 Nov 2025 → 14:00', '2025-11-01 16:00', '2025-11-01 14:00'],
    ['due 5 Nov 2025 09:00, after 3–4 Nov off → 15:00 on shortened 1 Nov', '2025-11-05 09:00', '2025-11-01 15:00'],
    ['due 12 May 2026 09:00, after 9–11 May off → 15:00 on shortened 8 May', '2026-05-12 09:00', '2026-05-08 15:00'],
  ])('%s', (_name, due, from) => {
    expect(show(atRiskFrom(barnaul, dueOn(at(due))))).toBe(from);
  });

  it('agrees with deadlineState: ON_TRACK at the moment, AT_RISK a minute of working time later', () => {
    const due = dueOn(at('2025-10-20 09:00'));
    const from = atRiskFrom(barnaul, due);
    expect(deadlineState(barnaul, from, due)).toBe('ON_TRACK');
    expect(deadlineState(barnaul, new Date(from.getTime() + 60_000), due)).toBe('AT_RISK');
    // The night in between is at risk too: only the hour of Friday and Monday morning are left.
    expect(deadlineState(barnaul, at('2025-10-18 12:00'), due)).toBe('AT_RISK');
  });

  it('follows an organisation’s threshold; zero minutes is the due moment itself', () => {
    const due = dueOn(at('2025-10-20 09:00'));
    expect(show(atRiskFrom(barnaul, due, deadlinePolicy({ atRiskMinutes: 30 })))).toBe('2025-10-20 08:30');
    expect(show(atRiskFrom(barnaul, due, deadlinePolicy({ atRiskMinutes: 0 })))).toBe('2025-10-20 09:00');
  });

  it('of a ROUTE deadline lies within it: 6 working hours after detection', () => {
    const detected = at('2025-10-17 15:00');
    expect(show(atRiskFrom(barnaul, { startedAt: detected, dueAt: routeDue(barnaul, detected) }))).toBe(
      '2025-10-20 13:00',
    );
  });

  it('is never before the start: a deadline that starts with less than 2 working hours left is at risk from its start', () => {
    // DRAFT assigned Monday 16:30 is due at 17:00 the same day: 30 working minutes in all.
    const draft = { startedAt: at('2025-10-13 16:30'), dueAt: at('2025-10-13 17:00') };
    expect(show(atRiskFrom(barnaul, draft))).toBe('2025-10-13 16:30');
    expect(deadlineState(barnaul, draft.startedAt, draft)).toBe('AT_RISK');
  });
});

describe('AT_RISK as a share of the deadline’s time: less than that share of its working time (start → due) left', () => {
  const share = (s: number) => deadlinePolicy({ atRiskShare: s });
  // ROUTE detected Monday 13 Oct 2025 10:00, due Tuesday 10:00: 8 working hours in all.
  const route = { startedAt: at('2025-10-13 10:00'), dueAt: at('2025-10-14 10:00') };
  // FINAL from Monday 13 Oct 2025 10:00, due Wednesday 22 Oct 17:00: 6 + 7 × 8 = 62 working hours.
  const final = { startedAt: at('2025-10-13 10:00'), dueAt: at('2025-10-22 17:00') };

  it.each([
    ['ROUTE, a quarter of 8 h is 2 h: Tuesday 08:00, as the default', route, 0.25, '2025-10-14 08:00'],
    ['ROUTE, half of 8 h is 4 h: 2 h on Tuesday and 2 h on Monday → Monday 15:00', route, 0.5, '2025-10-13 15:00'],
    ['FINAL, a quarter of 62 h is 15.5 h → Tuesday 21 Oct 08:30', final, 0.25, '2025-10-21 08:30'],
    [
      'ROUTE detected on a Saturday counts its 8 h from Monday 08:00: a quarter → Monday 15:00',
      { startedAt: at('2025-10-18 11:00'), dueAt: at('2025-10-20 17:00') },
      0.25,
      '2025-10-20 15:00',
    ],
    [
      'a DRAFT of 30 working minutes (Monday 16:30 → 17:00): a quarter is 7.5 min → 16:52:30',
      { startedAt: at('2025-10-13 16:30'), dueAt: at('2025-10-13 17:00') },
      0.25,
      '2025-10-13 16:52',
    ],
  ])('%s', (_name, span, s, from) => {
    expect(show(atRiskFrom(barnaul, span, share(s)))).toBe(from);
  });

  it('a long deadline warns earlier than the fixed 2 hours: FINAL at a quarter turns AT_RISK a day and a half before', () => {
    expect(show(atRiskFrom(barnaul, final))).toBe('2025-10-22 15:00');
    expect(deadlineState(barnaul, at('2025-10-21 12:00'), final)).toBe('ON_TRACK');
    expect(deadlineState(barnaul, at('2025-10-21 12:00'), final, share(0.25))).toBe('AT_RISK');
  });

  it('deadlineState agrees with the moment: ON_TRACK at exactly half left, AT_RISK a minute later', () => {
    expect(deadlineState(barnaul, at('2025-10-13 15:00'), route, share(0.5))).toBe('ON_TRACK');
    expect(deadlineState(barnaul, at('2025-10-13 15:01'), route, share(0.5))).toBe('AT_RISK');
    expect(deadlineState(barnaul, at('2025-10-14 10:01'), route, share(0.5))).toBe('OVERDUE');
  });
});

describe('deadline policy', () => {
  it('has the defaults of REQUIREMENTS.md', () => {
    expect(DEFAULT_DEADLINE_POLICY).toEqual({
      routeHours: 8,
      answerWorkingDays: 1,
      finalWorkingDays: 7,
      atRisk: { kind: 'MINUTES_LEFT', minutes: 120 },
    });
    expect(deadlinePolicy()).toEqual(DEFAULT_DEADLINE_POLICY);
  });

  it('settings left out keep the base policy’s; either at-risk setting replaces the base’s rule', () => {
    const base = deadlinePolicy({ routeHours: 4, atRiskShare: 0.3 });
    expect(deadlinePolicy({ finalWorkingDays: 10 }, base)).toEqual({
      routeHours: 4,
      answerWorkingDays: 1,
      finalWorkingDays: 10,
      atRisk: { kind: 'SHARE_LEFT', share: 0.3 },
    });
    expect(deadlinePolicy({ atRiskMinutes: 60 }, base).atRisk).toEqual({ kind: 'MINUTES_LEFT', minutes: 60 });
    expect(deadlinePolicy({ atRiskShare: 0.1 }, deadlinePolicy({ atRiskMinutes: 60 })).atRisk).toEqual({
      kind: 'SHARE_LEFT',
      share: 0.1,
    });
  });

  it('a setting given as undefined is not given', () => {
    expect(deadlinePolicy({ routeHours: undefined, atRiskShare: undefined })).toEqual(DEFAULT_DEADLINE_POLICY);
  });

  it('its flat settings give the same policy back', () => {
    for (const policy of [DEFAULT_DEADLINE_POLICY, deadlinePolicy({ routeHours: 6, atRiskShare: 0.2 })]) {
      expect(deadlinePolicy(deadlinePolicySettings(policy))).toEqual(policy);
    }
    expect(deadlinePolicySettings(deadlinePolicy({ atRiskShare: 0.2 }))).toEqual({
      routeHours: 8,
      answerWorkingDays: 1,
      finalWorkingDays: 7,
      atRiskShare: 0.2,
    });
  });

  it('applies an organisation’s overrides to ANSWER and FINAL', () => {
    const policy = deadlinePolicy({ answerWorkingDays: 2, finalWorkingDays: 5 });
    expect(show(answerDue(barnaul, at('2025-10-13 10:00'), policy))).toBe('2025-10-15 17:00');
    expect(show(finalDue(barnaul, at('2025-10-13 10:00'), policy))).toBe('2025-10-20 17:00');
  });

  it('rejects nonsense, listing every problem', () => {
    let caught: unknown;
    try {
      deadlinePolicy({ routeHours: 0, answerWorkingDays: 1.5, finalWorkingDays: 0, atRiskMinutes: -1 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CalendarError);
    expect((caught as CalendarError).code).toBe('INVALID_POLICY');
    expect((caught as CalendarError).problems).toHaveLength(4);
  });

  it.each([
    ['a share of 0', { atRiskShare: 0 }, 'atRiskShare: 0 is not a share between 0 and 1'],
    ['a share of 1 (always at risk)', { atRiskShare: 1 }, 'atRiskShare: 1 is not a share between 0 and 1'],
    ['a share given as a percentage', { atRiskShare: 25 }, 'atRiskShare: 25 is not a share between 0 and 1'],
    ['a share that is not a number', { atRiskShare: NaN }, 'atRiskShare: NaN is not a share'],
    ['both forms of the at-risk rule', { atRiskMinutes: 60, atRiskShare: 0.2 }, 'atRiskShare: give either'],
    ['hours typed for minutes', { atRiskMinutes: 12_000 }, 'atRiskMinutes: 12000 is not from 0 to 4800'],
    ['800 hours for 8', { routeHours: 800 }, 'routeHours: 800 is not more than 0 and at most 200'],
    ['a quarter of a year', { finalWorkingDays: 90 }, 'finalWorkingDays: 90 is not a whole number of working days'],
  ])('rejects %s, naming the setting', (_name, settings, problem) => {
    const problems = policyProblems(() => deadlinePolicy(settings));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(problem);
  });

  it('a policy not made by deadlinePolicy is checked when a rule uses it', () => {
    const forged = { ...DEFAULT_DEADLINE_POLICY, atRisk: { kind: 'SHARE_LEFT', share: 2 } } as const;
    expect(policyProblems(() => atRiskFrom(barnaul, dueOn(at('2025-10-20 09:00')), forged))).toEqual([
      'atRiskShare: 2 is not a share between 0 and 1 (both excluded)',
    ]);
  });
});

describe('a year that is not loaded is an error, never a guess', () => {
  it('ROUTE running past the last loaded year', () => {
    expect(codeOf(() => routeDue(barnaul, at('2027-12-30 15:00')))).toBe('UNKNOWN_YEAR');
  });

  it('ANSWER registered in a year that is not loaded', () => {
    expect(codeOf(() => answerDue(barnaul, at('2023-12-29 10:00')))).toBe('UNKNOWN_YEAR');
  });

  it('a calendar of 2025 alone cannot place a deadline in January 2026', () => {
    const only2025 = new WorkingTime(
      calendarFor(bundledYears.filter((y) => y.year === 2025)),
      workingSchedule('Asia/Barnaul'),
    );
    expect(codeOf(() => routeDue(only2025, at('2025-12-30 15:00')))).toBe('UNKNOWN_YEAR');
    expect(codeOf(() => draftDue(only2025, at('2025-12-31 10:00')))).toBe('UNKNOWN_YEAR');
    expect(codeOf(() => finalDue(only2025, at('2025-12-25 10:00')))).toBe('UNKNOWN_YEAR');
  });
});
