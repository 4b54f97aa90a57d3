import { addWorkingTime, HOUR_MS, workingTimeBetween } from './working-week';

export const DEADLINE_KINDS = ['ROUTE', 'DRAFT', 'ANSWER', 'FINAL'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

export const DEADLINE_STATES = ['ON_TRACK', 'AT_RISK', 'OVERDUE', 'MET', 'MISSED'] as const;
export type DeadlineState = (typeof DEADLINE_STATES)[number];

/** What is stored: open (ON_TRACK) or settled. AT_RISK and OVERDUE are read from the clock. */
export type StoredDeadlineState = Extract<DeadlineState, 'ON_TRACK' | 'MET' | 'MISSED'>;

/** ROUTE (cl. 5): forwarded within 8 working hours of detection. */
export const ROUTE_WORKING_HOURS = 8;
/** REQUIREMENTS: AT_RISK when under 2 working hours remain (default policy). */
export const AT_RISK_WORKING_HOURS = 2;

export function routeDueAt(detectedAt: Date, timeZone: string): Date {
  return addWorkingTime(detectedAt, ROUTE_WORKING_HOURS * HOUR_MS, timeZone);
}

/**
 * The state a reader sees: a settled deadline keeps its state; an open one is OVERDUE once
 * past due, AT_RISK when less than AT_RISK_WORKING_HOURS of working time remain, else ON_TRACK.
 */
export function currentDeadlineState(
  deadline: { state: StoredDeadlineState; dueAt: Date },
  now: Date,
  timeZone: string,
): DeadlineState {
  if (deadline.state !== 'ON_TRACK') return deadline.state;
  if (now.getTime() >= deadline.dueAt.getTime()) return 'OVERDUE';
  const left = workingTimeBetween(now, deadline.dueAt, timeZone);
  return left < AT_RISK_WORKING_HOURS * HOUR_MS ? 'AT_RISK' : 'ON_TRACK';
}
