import { ArrayUnique, IsArray, IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { CASE_ACTIONS, CASE_STATUSES, CaseAction, CaseStatus, EXCLUSION_REASONS, ExclusionReason } from '../case';
import { defineEvent } from '../event';

/**
 * workflow moved a case from one status to another (or reassigned it within one). Published on
 * the subject of the organisation the case belongs to after the move; `fromOrganizationId`
 * names the one it left when it was routed elsewhere.
 */
export class CaseTransitionedV1 {
  @IsUUID() caseId: string;
  @IsUUID() messageId: string;
  @IsIn(CASE_ACTIONS) action: CaseAction;
  @IsIn(CASE_STATUSES) fromStatus: CaseStatus;
  @IsIn(CASE_STATUSES) toStatus: CaseStatus;
  /** The login of who did it, or `system`. */
  @IsString() @MaxLength(200) actor: string;
  @IsOptional() @IsString() @MaxLength(4000) reason?: string;
  @IsISO8601() at: string;
  /** The executor after the transition, when there is one. */
  @IsOptional() @IsUUID() executorUserId?: string;
  @IsOptional() @IsUUID() fromOrganizationId?: string;
  /**
   * The case's organisation and every one above it, nearest first (a sel'sovet, then its
   * district): whom to tell beyond the organisation itself, e.g. the district's coordinator.
   */
  @IsArray() @IsUUID('all', { each: true }) organizationPath: string[];
  /** EXCLUDE only: the reasons of cl. 11 the official confirmed. */
  @IsOptional() @IsArray() @ArrayUnique() @IsIn(EXCLUSION_REASONS, { each: true }) exclusionReasons?: ExclusionReason[];
}

export const CaseTransitioned = defineEvent('case.transitioned', 1, CaseTransitionedV1);
