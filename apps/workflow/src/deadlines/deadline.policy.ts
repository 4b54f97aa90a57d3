import {
  atRiskFrom,
  bundledYears,
  calendarFor,
  DEFAULT_DEADLINE_POLICY,
  deadlineState,
  dueAt,
  WorkingTime,
  workingSchedule,
} from '@otklik/calendar';

export const DEADLINE_KINDS = ['ROUTE', 'DRAFT', 'ANSWER', 'FINAL'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

export const DEADLINE_STATES = ['ON_TRACK', 'AT_RISK', 'OVERDUE', 'MET', 'MISSED'] as const;
export type DeadlineState = (typeof DEADLINE_STATES)[number];

/** What is stored: open (ON_TRACK) or settled. AT_RISK and OVERDUE are read from the clock. */
export type StoredDeadlineState = Extract<DeadlineState, 'ON_TRACK' | 'MET' | 'MISSED'>;

/** The production calendars shipped with libs/calendar (2024–2027); loading a year by GraphQL is Step 2. */
const calendar = calendarFor(bundledYears);
const byZone = new Map<string, WorkingTime>();

/** Working time of an organisation's zone on the default schedule (08:00–17:00, lunch 12–13). */
export function workingTimeIn(timeZone: string): WorkingTime {
  let time = byZone.get(timeZone);
  if (!time) {
    time = new WorkingTime(calendar, workingSchedule(timeZone));
    byZone.set(timeZone, time);
  }
  return time;
}

/** When a deadline of this kind started at `from` falls due (REQUIREMENTS "Deadlines", default policy). */
export function deadlineDueAt(kind: DeadlineKind, from: Date, timeZone: string): Date {
  return dueAt(kind, workingTimeIn(timeZone), from, DEFAULT_DEADLINE_POLICY);
}

/** ROUTE (cl. 5): forwarded within 8 working hours of detection. */
export function routeDueAt(detectedAt: Date, timeZone: string): Date {
  return deadlineDueAt('ROUTE', detectedAt, timeZone);
}

/** When a deadline due at `due` turns AT_RISK (default policy: 120 working minutes left). */
export function deadlineAtRiskAt(due: Date, timeZone: string): Date {
  return atRiskFrom(workingTimeIn(timeZone), due, DEFAULT_DEADLINE_POLICY);
}

/**
 * The state a reader sees: a settled deadline keeps its state; an open one is OVERDUE once
 * past due, AT_RISK when less than the policy's working minutes remain, else ON_TRACK.
 */
export function currentDeadlineState(
  deadline: { state: StoredDeadlineState; dueAt: Date },
  now: Date,
  timeZone: string,
): DeadlineState {
  if (deadline.state !== 'ON_TRACK') return deadline.state;
  return deadlineState(workingTimeIn(timeZone), now, deadline.dueAt, DEFAULT_DEADLINE_POLICY);
}
