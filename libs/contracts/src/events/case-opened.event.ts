import { IsISO8601, IsString, IsUUID } from 'class-validator';
import { defineEvent } from '../event';

/** workflow opened a case (status DETECTED) for an accepted message. */
export class CaseOpenedV1 {
  @IsUUID() caseId: string;
  @IsUUID() messageId: string;
  @IsString() status: string;
  @IsISO8601() openedAt: string;
  @IsISO8601() routeDueAt: string;
}

export const CaseOpened = defineEvent('case.opened', 1, CaseOpenedV1);
