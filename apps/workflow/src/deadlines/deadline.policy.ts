import { atRiskFrom, DeadlinePolicy, DeadlineSpan, deadlineState, dueAt, WorkingTime } from '@otklik/calendar';

export const DEADLINE_KINDS = ['ROUTE', 'DRAFT', 'ANSWER', 'FINAL'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

export const DEADLINE_STATES = ['ON_TRACK', 'AT_RISK', 'OVERDUE', 'MET', 'MISSED', 'CANCELLED'] as const;
export type DeadlineState = (typeof DEADLINE_STATES)[number];

/**
 * What is stored: open (ON_TRACK) or settled — MET, MISSED, or CANCELLED when the case left the
 * regulation's path (excluded, dismissed). AT_RISK and OVERDUE are read from the clock.
 */
export type StoredDeadlineState = Extract<DeadlineState, 'ON_TRACK' | 'MET' | 'MISSED' | 'CANCELLED'>;

/*
 * Pure functions of a WorkingTime — the organisation's zone on the calendar in use, which the
 * caller takes from CalendarService (src/calendar) — and the organisation's deadline policy,
 * from DeadlinePolicyService: both are data that can change.
 */

/** When a deadline of this kind started at `from` falls due (REQUIREMENTS "Deadlines"). */
export function deadlineDueAt(kind: DeadlineKind, from: Date, time: WorkingTime, policy: DeadlinePolicy): Date {
  return dueAt(kind, time, from, policy);
}

/** ROUTE (cl. 5): forwarded within the policy's working hours (8 by default) of detection. */
export function routeDueAt(detectedAt: Date, time: WorkingTime, policy: DeadlinePolicy): Date {
  return deadlineDueAt('ROUTE', detectedAt, time, policy);
}

/** When the deadline turns AT_RISK (by default: 120 working minutes before due; or a share of its time). */
export function deadlineAtRiskAt(deadline: DeadlineSpan, time: WorkingTime, policy: DeadlinePolicy): Date {
  return atRiskFrom(time, deadline, policy);
}

/**
 * The state a reader sees: a settled deadline keeps its state; an open one is OVERDUE once
 * past due, AT_RISK when less working time remains than the policy's at-risk rule allows,
 * else ON_TRACK.
 */
export function currentDeadlineState(
  deadline: DeadlineSpan & { state: StoredDeadlineState },
  now: Date,
  time: WorkingTime,
  policy: DeadlinePolicy,
): DeadlineState {
  if (deadline.state !== 'ON_TRACK') return deadline.state;
  return deadlineState(time, now, deadline, policy);
}
