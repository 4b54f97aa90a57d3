import { IsIn, IsISO8601, IsOptional, IsUUID } from 'class-validator';
import { defineEvent } from '../event';

/** The kinds of deadline of the regulation (REQUIREMENTS.md, Deadlines). */
export const DEADLINE_EVENT_KINDS = ['ROUTE', 'DRAFT', 'ANSWER', 'FINAL'] as const;
export type DeadlineEventKind = (typeof DEADLINE_EVENT_KINDS)[number];

/** workflow: less than the policy's working time (120 minutes by default) is left on an open deadline. */
export class DeadlineAtRiskV1 {
  @IsUUID() deadlineId: string;
  @IsUUID() caseId: string;
  @IsIn(DEADLINE_EVENT_KINDS) kind: DeadlineEventKind;
  @IsISO8601() dueAt: string;
  @IsOptional() @IsUUID() responsibleUserId?: string;
  @IsISO8601() firedAt: string;
}

export const DeadlineAtRisk = defineEvent('deadline.at_risk', 1, DeadlineAtRiskV1);
