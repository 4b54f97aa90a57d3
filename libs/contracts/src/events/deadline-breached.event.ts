import { IsIn, IsISO8601, IsOptional, IsUUID } from 'class-validator';
import { defineEvent } from '../event';
import { DEADLINE_EVENT_KINDS, DeadlineEventKind } from './deadline-at-risk.event';

/** workflow: an open deadline passed its due moment unmet. */
export class DeadlineBreachedV1 {
  @IsUUID() deadlineId: string;
  @IsUUID() caseId: string;
  @IsIn(DEADLINE_EVENT_KINDS) kind: DeadlineEventKind;
  @IsISO8601() dueAt: string;
  @IsOptional() @IsUUID() responsibleUserId?: string;
  @IsISO8601() firedAt: string;
}

export const DeadlineBreached = defineEvent('deadline.breached', 1, DeadlineBreachedV1);
