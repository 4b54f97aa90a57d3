import { atRiskFrom, DEFAULT_DEADLINE_POLICY, deadlineState, dueAt, WorkingTime } from '@otklik/calendar';

export const DEADLINE_KINDS = ['ROUTE', 'DRAFT', 'ANSWER', 'FINAL'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

export const DEADLINE_STATES = ['ON_TRACK', 'AT_RISK', 'OVERDUE', 'MET', 'MISSED'] as const;
export type DeadlineState = (typeof DEADLINE_STATES)[number];

/** What is stored: open (ON_TRACK) or settled. AT_RISK and OVERDUE are read from the clock. */
export type StoredDeadlineState = Extract<DeadlineState, 'ON_TRACK' | 'MET' | 'MISSED'>;

/*
 * Pure functions of a WorkingTime: the organisation's zone on the calendar in use, which the
 * caller takes from CalendarService (src/calendar) — the calendar is data that can change.
 */

/** When a deadline of this kind started at `from` falls due (REQUIREMENTS "Deadlines", default policy). */
export function deadlineDueAt(kind: DeadlineKind, from: Date, time: WorkingTime): Date {
  return dueAt(kind, time, from, DEFAULT_DEADLINE_POLICY);
}

/** ROUTE (cl. 5): forwarded within 8 working hours of detection. */
export function routeDueAt(detectedAt: Date, time: WorkingTime): Date {
  return deadlineDueAt('ROUTE', detectedAt, time);
}

/** When a deadline due at `due` turns AT_RISK (default policy: 120 working minutes left). */
export function deadlineAtRiskAt(due: Date, time: WorkingTime): Date {
  return atRiskFrom(time, due, DEFAULT_DEADLINE_POLICY);
}

/**
 * The state a reader sees: a settled deadline keeps its state; an open one is OVERDUE once
 * past due, AT_RISK when less than the policy's working minutes remain, else ON_TRACK.
 */
export function currentDeadlineState(
  deadline: { state: StoredDeadlineState; dueAt: Date },
  now: Date,
  time: WorkingTime,
): DeadlineState {
  if (deadline.state !== 'ON_TRACK') return deadline.state;
  return deadlineState(time, now, deadline.dueAt, DEFAULT_DEADLINE_POLICY);
}
