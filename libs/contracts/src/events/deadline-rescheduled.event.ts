import { IsIn, IsISO8601, IsOptional, IsUUID } from 'class-validator';
import { defineEvent } from '../event';
import { DEADLINE_EVENT_KINDS, DeadlineEventKind } from './deadline-at-risk.event';

/** Why an open deadline was recomputed: its working calendar changed, or its organisation's deadline policy. */
export const DEADLINE_RESCHEDULE_REASONS = ['CALENDAR', 'POLICY'] as const;
export type DeadlineRescheduleReason = (typeof DEADLINE_RESCHEDULE_REASONS)[number];

/** workflow: an open deadline's due moment moved (docs/deadlines.md, "Recomputing"). */
export class DeadlineRescheduledV1 {
  @IsUUID() deadlineId: string;
  @IsUUID() caseId: string;
  @IsIn(DEADLINE_EVENT_KINDS) kind: DeadlineEventKind;
  @IsISO8601() previousDueAt: string;
  @IsISO8601() dueAt: string;
  @IsOptional() @IsUUID() responsibleUserId?: string;
  @IsIn(DEADLINE_RESCHEDULE_REASONS) reason: DeadlineRescheduleReason;
  /** When it was recomputed. */
  @IsISO8601() at: string;
}

export const DeadlineRescheduled = defineEvent('deadline.rescheduled', 1, DeadlineRescheduledV1);
