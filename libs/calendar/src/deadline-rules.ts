/**
 * The four deadlines of the regulation (REQUIREMENTS.md, Deadlines), as pure functions of
 * an organisation's working time, the instant the clock starts and its policy.
 */
import { CalendarError } from './production-calendar';
import { assertValidInstant } from './time-zone';
import { WorkingTime } from './working-time';

export type DeadlineKind = 'ROUTE' | 'DRAFT' | 'ANSWER' | 'FINAL';

export type DeadlineState = 'ON_TRACK' | 'AT_RISK' | 'OVERDUE';

/** When an open deadline turns AT_RISK (REQUIREMENTS: "less than a configurable share of its time left"). */
export type AtRiskRule =
  /** Less than `minutes` of working time left. */
  | { readonly kind: 'MINUTES_LEFT'; readonly minutes: number }
  /** Less than `share` (0 < share < 1) of the deadline's whole working time, start to due, left. */
  | { readonly kind: 'SHARE_LEFT'; readonly share: number };

export interface DeadlinePolicy {
  /** ROUTE (cl. 5): working hours from detection. */
  readonly routeHours: number;
  /** ANSWER (cl. 6, 9): the end of this working day after the calendar day of registration. */
  readonly answerWorkingDays: number;
  /** FINAL (cl. 8): the end of this working day after the calendar day of the interim answer. */
  readonly finalWorkingDays: number;
  readonly atRisk: AtRiskRule;
}

/**
 * A policy as an organisation writes it, flat: a field left out keeps the base policy's value.
 * atRiskMinutes and atRiskShare are the two forms of the at-risk rule; give at most one.
 */
export interface DeadlinePolicySettings {
  readonly routeHours?: number;
  readonly answerWorkingDays?: number;
  readonly finalWorkingDays?: number;
  readonly atRiskMinutes?: number;
  readonly atRiskShare?: number;
}

/** A deadline's clock: the instant it started and the instant it falls due. */
export interface DeadlineSpan {
  readonly startedAt: Date;
  readonly dueAt: Date;
}

/**
 * Upper bounds that catch a slip of the keyboard (800 hours for 8); the regulation's values are
 * far inside them, and a bound keeps a recompute from walking years of calendar per deadline.
 */
export const DEADLINE_POLICY_LIMITS = Object.freeze({ routeHours: 200, workingDays: 60, atRiskMinutes: 4800 });

export const DEFAULT_DEADLINE_POLICY: DeadlinePolicy = Object.freeze({
  routeHours: 8,
  answerWorkingDays: 1,
  finalWorkingDays: 7,
  atRisk: Object.freeze({ kind: 'MINUTES_LEFT', minutes: 120 } as const),
});

/** Policies made by deadlinePolicy (frozen, so they stay valid): the rules need not check them again. */
const validated = new WeakSet<DeadlinePolicy>([DEFAULT_DEADLINE_POLICY]);

const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** The policy's flat form, as stored and shown: exactly one of atRiskMinutes and atRiskShare. */
export function deadlinePolicySettings(policy: DeadlinePolicy): DeadlinePolicySettings {
  return {
    routeHours: policy.routeHours,
    answerWorkingDays: policy.answerWorkingDays,
    finalWorkingDays: policy.finalWorkingDays,
    ...(policy.atRisk.kind === 'SHARE_LEFT'
      ? { atRiskShare: policy.atRisk.share }
      : { atRiskMinutes: policy.atRisk.minutes }),
  };
}

/**
 * `base` (the defaults unless given) with the settings applied, validated; throws INVALID_POLICY
 * listing every problem, each starting with the setting's name. Either at-risk setting replaces
 * the base's at-risk rule, whichever form that has.
 */
export function deadlinePolicy(
  settings: DeadlinePolicySettings = {},
  base: DeadlinePolicy = DEFAULT_DEADLINE_POLICY,
): DeadlinePolicy {
  const problems: string[] = [];
  // A setting given as undefined is not given: it must not hide the base's value.
  const given = Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
  const { routeHours, answerWorkingDays, finalWorkingDays } = { ...deadlinePolicySettings(base), ...given } as {
    [K in keyof DeadlinePolicySettings]-?: unknown;
  };
  if (!isFiniteNumber(routeHours) || routeHours <= 0 || routeHours > DEADLINE_POLICY_LIMITS.routeHours) {
    problems.push(
      `routeHours: ${String(routeHours)} is not more than 0 and at most ${DEADLINE_POLICY_LIMITS.routeHours} working hours`,
    );
  }
  for (const [key, value] of [
    ['answerWorkingDays', answerWorkingDays],
    ['finalWorkingDays', finalWorkingDays],
  ] as const) {
    if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > DEADLINE_POLICY_LIMITS.workingDays) {
      problems.push(
        `${key}: ${String(value)} is not a whole number of working days from 1 to ${DEADLINE_POLICY_LIMITS.workingDays}`,
      );
    }
  }
  const atRisk = atRiskRuleOf(settings, base, problems);
  if (problems.length > 0) {
    throw new CalendarError('INVALID_POLICY', `deadline policy: ${problems.join('; ')}`, problems);
  }
  const policy: DeadlinePolicy = Object.freeze({
    routeHours: routeHours as number,
    answerWorkingDays: answerWorkingDays as number,
    finalWorkingDays: finalWorkingDays as number,
    atRisk: Object.freeze(atRisk as AtRiskRule),
  });
  validated.add(policy);
  return policy;
}

/** The at-risk rule the settings ask for (the base's when they name none); problems are appended. */
function atRiskRuleOf(settings: DeadlinePolicySettings, base: DeadlinePolicy, problems: string[]): AtRiskRule | null {
  const { atRiskMinutes: minutes, atRiskShare: share } = settings;
  if (minutes !== undefined && share !== undefined) {
    problems.push('atRiskShare: give either atRiskMinutes or atRiskShare, not both');
    return null;
  }
  const rule: AtRiskRule =
    minutes !== undefined
      ? { kind: 'MINUTES_LEFT', minutes }
      : share !== undefined
        ? { kind: 'SHARE_LEFT', share }
        : base.atRisk;
  if (rule.kind === 'SHARE_LEFT') {
    if (!isFiniteNumber(rule.share) || rule.share <= 0 || rule.share >= 1) {
      problems.push(`atRiskShare: ${String(rule.share)} is not a share between 0 and 1 (both excluded)`);
    }
  } else if (!isFiniteNumber(rule.minutes) || rule.minutes < 0 || rule.minutes > DEADLINE_POLICY_LIMITS.atRiskMinutes) {
    problems.push(
      `atRiskMinutes: ${String(rule.minutes)} is not from 0 to ${DEADLINE_POLICY_LIMITS.atRiskMinutes} working minutes`,
    );
  }
  return rule;
}

/** The policy itself when deadlinePolicy made it; otherwise validated (INVALID_POLICY). */
function checked(policy: DeadlinePolicy): DeadlinePolicy {
  return validated.has(policy) ? policy : deadlinePolicy({}, policy);
}

/** ROUTE (cl. 5): `routeHours` working hours after detection. */
export function routeDue(time: WorkingTime, detectedAt: Date, policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY): Date {
  return time.addWorkingHours(detectedAt, checked(policy).routeHours);
}

/**
 * DRAFT (cl. 7, "on the day received"): the end of the day of assignment if it is a working
 * day whose working hours have not ended; otherwise the end of the next working day.
 */
export function draftDue(time: WorkingTime, assignedAt: Date, policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY): Date {
  checked(policy);
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
  const { answerWorkingDays } = checked(policy);
  return time.endOfWorkingDay(time.nthWorkingDayAfter(time.localDay(registeredAt), answerWorkingDays));
}

/** FINAL (cl. 8): the end of the `finalWorkingDays`-th working day after the calendar day of the interim answer. */
export function finalDue(
  time: WorkingTime,
  interimPublishedAt: Date,
  policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY,
): Date {
  const { finalWorkingDays } = checked(policy);
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
 * How much working time, in whole milliseconds, is left when the deadline turns AT_RISK: the
 * rule's minutes, or its share of the working time from the start to the due instant.
 */
function atRiskLeftMs(time: WorkingTime, span: DeadlineSpan, policy: DeadlinePolicy): number {
  const { atRisk } = checked(policy);
  if (atRisk.kind === 'MINUTES_LEFT') return Math.round(atRisk.minutes * 60_000);
  const whole = Math.max(0, Math.round(time.workingMinutesBetween(span.startedAt, span.dueAt) * 60_000));
  return Math.round(atRisk.share * whole);
}

/**
 * The moment the deadline turns AT_RISK: the latest instant from which the rule's working time
 * (its minutes, or its share of the whole) still remains, but not before the start — a deadline
 * that starts with less left is at risk from its start. deadlineState reads ON_TRACK at it
 * (unless that is the start) and AT_RISK at any working moment after it, until `dueAt`.
 */
export function atRiskFrom(
  time: WorkingTime,
  span: DeadlineSpan,
  policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY,
): Date {
  const start = assertValidInstant(span.startedAt, 'startedAt');
  const due = assertValidInstant(span.dueAt, 'dueAt');
  const from = time.subtractWorkingMinutes(span.dueAt, atRiskLeftMs(time, span, policy) / 60_000).getTime();
  return new Date(Math.max(from, Math.min(start, due)));
}

/**
 * OVERDUE once `now` is past `dueAt` (an answer at the due instant itself is in time); AT_RISK
 * while less working time is left than the policy's at-risk rule allows; ON_TRACK otherwise.
 */
export function deadlineState(
  time: WorkingTime,
  now: Date,
  span: DeadlineSpan,
  policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY,
): DeadlineState {
  if (assertValidInstant(now, 'now') > assertValidInstant(span.dueAt, 'dueAt')) return 'OVERDUE';
  const left = Math.round(time.workingMinutesBetween(now, span.dueAt) * 60_000);
  return left < atRiskLeftMs(time, span, policy) ? 'AT_RISK' : 'ON_TRACK';
}
