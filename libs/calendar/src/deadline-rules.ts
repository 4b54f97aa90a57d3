/**
 * The four deadlines of the regulation (REQUIREMENTS.md, Deadlines), as pure functions of
 * an organisation's working time, the instant the clock starts and its policy.
 */
import { CalendarError } from './production-calendar';
import { assertValidInstant } from './time-zone';
import { WorkingTime } from './working-time';

export type DeadlineKind = 'ROUTE' | 'DRAFT' | 'ANSWER' | 'FINAL';

export type DeadlineState = 'ON_TRACK' | 'AT_RISK' | 'OVERDUE';

export interface DeadlinePolicy {
  /** ROUTE (cl. 5): working hours from detection. */
  readonly routeHours: number;
  /** ANSWER (cl. 6, 9): the end of this working day after the calendar day of registration. */
  readonly answerWorkingDays: number;
  /** FINAL (cl. 8): the end of this working day after the calendar day of the interim answer. */
  readonly finalWorkingDays: number;
  /** AT_RISK when less than this much working time is left. */
  readonly atRiskMinutes: number;
}

export const DEFAULT_DEADLINE_POLICY: DeadlinePolicy = Object.freeze({
  routeHours: 8,
  answerWorkingDays: 1,
  finalWorkingDays: 7,
  atRiskMinutes: 120,
});

/** The defaults with an organisation's overrides, validated; throws INVALID_POLICY listing every problem. */
export function deadlinePolicy(overrides: Partial<DeadlinePolicy> = {}): DeadlinePolicy {
  const policy = { ...DEFAULT_DEADLINE_POLICY, ...overrides };
  const problems: string[] = [];
  const positive = (value: number): boolean => typeof value === 'number' && Number.isFinite(value) && value > 0;
  if (!positive(policy.routeHours)) problems.push(`routeHours: ${String(policy.routeHours)} is not more than zero`);
  for (const key of ['answerWorkingDays', 'finalWorkingDays'] as const) {
    if (!Number.isInteger(policy[key]) || policy[key] < 1) {
      problems.push(`${key}: ${String(policy[key])} is not a whole number of days, 1 or more`);
    }
  }
  if (!(
    typeof policy.atRiskMinutes === 'number' &&
    Number.isFinite(policy.atRiskMinutes) &&
    policy.atRiskMinutes >= 0
  )) {
    problems.push(`atRiskMinutes: ${String(policy.atRiskMinutes)} is not zero or more`);
  }
  if (problems.length > 0) {
    throw new CalendarError('INVALID_POLICY', `deadline policy: ${problems.join('; ')}`, problems);
  }
  return Object.freeze({
    routeHours: policy.routeHours,
    answerWorkingDays: policy.answerWorkingDays,
    finalWorkingDays: policy.finalWorkingDays,
    atRiskMinutes: policy.atRiskMinutes,
  });
}

/** ROUTE (cl. 5): `routeHours` working hours after detection. */
export function routeDue(time: WorkingTime, detectedAt: Date, policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY): Date {
  return time.addWorkingHours(detectedAt, deadlinePolicy(policy).routeHours);
}

/**
 * DRAFT (cl. 7, "on the day received"): the end of the day of assignment if it is a working
 * day whose working hours have not ended; otherwise the end of the next working day.
 */
export function draftDue(time: WorkingTime, assignedAt: Date, policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY): Date {
  deadlinePolicy(policy);
  const at = assertValidInstant(assignedAt, 'assignedAt');
  const day = time.localDay(assignedAt);
  if (time.calendar.isWorkingDay(day)) {
    const end = time.endOfWorkingDay(day);
    if (at < end.getTime()) return end;
  }
  return time.endOfWorkingDay(time.nthWorkingDayAfter(day, 1));
}

/** ANSWER (cl. 6, 9): the end of the `answerWorkingDays`-th working day after the calendar day of registration. */
export function answerDue(
  time: WorkingTime,
  registeredAt: Date,
  policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY,
): Date {
  const { answerWorkingDays } = deadlinePolicy(policy);
  return time.endOfWorkingDay(time.nthWorkingDayAfter(time.localDay(registeredAt), answerWorkingDays));
}

/** FINAL (cl. 8): the end of the `finalWorkingDays`-th working day after the calendar day of the interim answer. */
export function finalDue(
  time: WorkingTime,
  interimPublishedAt: Date,
  policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY,
): Date {
  const { finalWorkingDays } = deadlinePolicy(policy);
  return time.endOfWorkingDay(time.nthWorkingDayAfter(time.localDay(interimPublishedAt), finalWorkingDays));
}

const RULES: Readonly<Record<DeadlineKind, (time: WorkingTime, startedAt: Date, policy: DeadlinePolicy) => Date>> = {
  ROUTE: routeDue,
  DRAFT: draftDue,
  ANSWER: answerDue,
  FINAL: finalDue,
};

/** The due instant of a deadline of the given kind. */
export function dueAt(
  kind: DeadlineKind,
  time: WorkingTime,
  startedAt: Date,
  policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY,
): Date {
  return RULES[kind](time, startedAt, policy);
}

/**
 * The moment a deadline due at `due` turns AT_RISK: the latest instant from which at least
 * `atRiskMinutes` of working time remain. deadlineState reads ON_TRACK at it and AT_RISK at any
 * working moment after it (before `due`).
 */
export function atRiskFrom(time: WorkingTime, due: Date, policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY): Date {
  return time.subtractWorkingMinutes(due, deadlinePolicy(policy).atRiskMinutes);
}

/**
 * OVERDUE once `now` is past `due` (an answer at the due instant itself is in time);
 * AT_RISK while less than `atRiskMinutes` of working time is left; ON_TRACK otherwise.
 */
export function deadlineState(
  time: WorkingTime,
  now: Date,
  due: Date,
  policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY,
): DeadlineState {
  const { atRiskMinutes } = deadlinePolicy(policy);
  if (assertValidInstant(now, 'now') > assertValidInstant(due, 'due')) return 'OVERDUE';
  return time.workingMinutesBetween(now, due) < atRiskMinutes ? 'AT_RISK' : 'ON_TRACK';
}
