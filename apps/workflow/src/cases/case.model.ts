import {
  Directive,
  Field,
  Float,
  GraphQLISODateTime,
  ID,
  InputType,
  Int,
  ObjectType,
  registerEnumType,
} from '@nestjs/graphql';
import { DraftKind, EXCLUSION_REASONS, ExclusionReason, Platform } from '@otklik/contracts';
import { PageInfoModel } from '@otklik/service-kit';
import { DeadlineStateEnum } from '../deadlines/deadline.model';
import type { DeadlineState } from '../deadlines/deadline.policy';
import { DraftAttachmentInput } from '../drafts/draft.model';
import { DraftKindEnum, PlatformEnum } from '../publications/publication.model';
import { CASE_STATUSES, CaseStatus } from './case.status';

export const CaseStatusEnum = Object.fromEntries(CASE_STATUSES.map((s) => [s, s])) as { [S in CaseStatus]: S };
registerEnumType(CaseStatusEnum, { name: 'CaseStatus' });

export const ExclusionReasonEnum = Object.fromEntries(EXCLUSION_REASONS.map((r) => [r, r])) as {
  [R in ExclusionReason]: R;
};
registerEnumType(ExclusionReasonEnum, {
  name: 'ExclusionReason',
  description: 'Why a message is not processed or answered (cl. 11)',
});

export const CASE_SORTS = ['NEWEST', 'DUE_SOONEST'] as const;
export type CaseSort = (typeof CASE_SORTS)[number];
export const CaseSortEnum = { NEWEST: 'NEWEST', DUE_SOONEST: 'DUE_SOONEST' } as const;
registerEnumType(CaseSortEnum, {
  name: 'CaseSort',
  description: 'NEWEST first (by detection), or DUE_SOONEST: by the earliest open deadline, cases without one last',
});

@ObjectType('Case', { description: 'A critical message on its way through the regulation (owned by workflow)' })
@Directive('@key(fields: "id")')
export class CaseModel {
  @Field(() => ID) id: string;
  @Field(() => CaseStatusEnum) status: CaseStatus;
  @Field(() => GraphQLISODateTime, { description: 'When the message was received: the ROUTE deadline starts here' })
  detectedAt: Date;
  /** Resolved by CaseResolver.organization. */
  organizationId: string;
  @Field(() => PlatformEnum, { description: 'Where the message was posted: the answer goes there' })
  platform: Platform;
  @Field(() => GraphQLISODateTime) updatedAt: Date;
  @Field(() => Int, { description: 'Bumped by every change' }) version: number;
  @Field(() => [ExclusionReasonEnum], { nullable: true, description: 'EXCLUDED: the reasons confirmed (cl. 11)' })
  exclusionReasons: ExclusionReason[] | null;
  @Field(() => String, { nullable: true, description: 'EXCLUDED or DISMISSED: the login of who decided' })
  decidedBy: string | null;
  @Field(() => String, { nullable: true, description: 'EXCLUDED or DISMISSED: why' })
  decisionReason: string | null;
  /** Resolved by CaseResolver.message as a reference to intake's Message. */
  messageId: string;
  /** Resolved by CaseResolver.executor. */
  executorUserId: string | null;
  /** Resolved by CaseResolver.repeatOf. */
  repeatOfId: string | null;
}

@ObjectType('CaseComment', { description: 'A note inside the team; never published' })
export class CaseCommentModel {
  @Field() author: string;
  @Field() text: string;
  @Field(() => GraphQLISODateTime) at: Date;
}

@ObjectType('CaseReply', {
  description: 'A later message of the author that joined the case (a reply to a clarification request, cl. 7)',
})
export class CaseReplyModel {
  @Field(() => ID, { description: 'The message’s id in intake' }) messageId: string;
  @Field() text: string;
  @Field(() => String, { nullable: true }) url: string | null;
  @Field(() => GraphQLISODateTime) postedAt: Date;
  @Field(() => GraphQLISODateTime) joinedAt: Date;
}

@ObjectType('CaseTransition', { description: 'One step of a case’s history: who, when, from what, to what, and why' })
export class CaseTransitionModel {
  @Field(() => CaseStatusEnum, { nullable: true, description: 'null for the first step' }) from: CaseStatus | null;
  @Field(() => CaseStatusEnum) to: CaseStatus;
  @Field(() => GraphQLISODateTime) at: Date;
  @Field({ description: 'What moved it: OPEN, ROUTE, REGISTER, ASSIGN, REASSIGN, SUBMIT_DRAFT, …' }) action: string;
  @Field({ description: 'The login of who made it, or `system`' }) actor: string;
  @Field(() => String, { nullable: true }) reason: string | null;
}

@InputType('CaseFilter')
export class CaseFilterInput {
  @Field(() => [CaseStatusEnum], { nullable: true, description: 'Any of these statuses' }) status?: CaseStatus[];
  @Field(() => ID, { nullable: true, description: 'Cases of this organisation only' }) organizationId?: string;
  @Field(() => [DeadlineStateEnum], {
    nullable: true,
    description: 'Cases with an open deadline in any of these states (ON_TRACK, AT_RISK, OVERDUE)',
  })
  deadlineState?: DeadlineState[];
  @Field(() => String, { nullable: true, description: 'Cases assigned to this executor (login)' })
  executorLogin?: string;
  @Field({
    nullable: true,
    description: 'Only the cases that wait for the viewer: see CaseFilter docs in docs/cases.md',
  })
  mine?: boolean;
  @Field(() => [PlatformEnum], { nullable: true }) platform?: Platform[];
  @Field(() => String, { nullable: true, description: 'Words the message contains (case-insensitive)' })
  text?: string;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Detected at or after' }) detectedFrom?: Date;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Detected before' }) detectedTo?: Date;
  @Field(() => CaseSortEnum, { nullable: true, description: 'NEWEST unless given' }) sort?: CaseSort;
}

@ObjectType('ScreeningReview', {
  description:
    'How screening’s proposals (cl. 11) fared with the officials: a first decision that excludes a flagged case confirms it, one that routes or dismisses it overrules it',
})
export class ScreeningReviewModel {
  @Field(() => Int, { description: 'Flagged by screening and decided by an official' }) flagged: number;
  @Field(() => Int, { description: 'Flagged and excluded' }) confirmed: number;
  @Field(() => Int, { description: 'Flagged, and routed or dismissed instead' }) overruled: number;
  @Field(() => Int, { description: 'Flagged and awaiting a first decision' }) pending: number;
  @Field(() => Int, { description: 'Excluded though screening found nothing' }) missed: number;
  @Field(() => Float, { nullable: true, description: 'confirmed / flagged; null when nothing flagged was decided' })
  precision: number | null;
  @Field(() => Float, {
    nullable: true,
    description: 'confirmed / (confirmed + missed); null when nothing was excluded',
  })
  recall: number | null;
}

@InputType('ScreeningReviewFilter')
export class ScreeningReviewFilterInput {
  @Field(() => ID, { nullable: true, description: 'Cases of this organisation only' }) organizationId?: string;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Detected at or after' }) detectedFrom?: Date;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Detected before' }) detectedTo?: Date;
}

@InputType('RouteCaseInput')
export class RouteCaseInput {
  @Field(() => ID) caseId: string;
  @Field(() => ID, { description: 'The reception or subdivision (or sel’sovet) that is to act' })
  organizationId: string;
  @Field(() => String, { nullable: true }) comment?: string | null;
}

@InputType('RegisterCaseInput')
export class RegisterCaseInput {
  @Field(() => ID) caseId: string;
}

@InputType('AssignCaseInput')
export class AssignCaseInput {
  @Field(() => ID) caseId: string;
  @Field() executorLogin: string;
  @Field(() => String, {
    nullable: true,
    description: 'Required when the case has an executor already (a change of executor)',
  })
  reason?: string | null;
}

@InputType('SubmitDraftInput')
export class SubmitDraftInput {
  @Field(() => ID) caseId: string;
  @Field(() => DraftKindEnum) kind: DraftKind;
  @Field() text: string;
  @Field(() => [DraftAttachmentInput], { nullable: true }) attachments?: DraftAttachmentInput[] | null;
  @Field(() => String, {
    nullable: true,
    description: 'What was done: required when the case repeats an earlier one (cl. 9)',
  })
  measures?: string | null;
}

@InputType('DraftPreviewInput')
export class DraftPreviewInput {
  @Field(() => ID) caseId: string;
  @Field() text: string;
  @Field(() => [DraftAttachmentInput], { nullable: true }) attachments?: DraftAttachmentInput[] | null;
}

@InputType('ReturnDraftInput')
export class ReturnDraftInput {
  @Field(() => ID) caseId: string;
  @Field({ description: 'What to change' }) comment: string;
}

@InputType('ApproveDraftInput')
export class ApproveDraftInput {
  @Field(() => ID) caseId: string;
}

@InputType('ExcludeCaseInput')
export class ExcludeCaseInput {
  @Field(() => ID) caseId: string;
  @Field(() => [ExclusionReasonEnum]) reasons: ExclusionReason[];
  @Field(() => String, { nullable: true }) comment?: string | null;
}

@InputType('DismissCaseInput')
export class DismissCaseInput {
  @Field(() => ID) caseId: string;
  @Field({ description: 'Why the message is not critical' }) reason: string;
}

@InputType('CloseCaseInput')
export class CloseCaseInput {
  @Field(() => ID) caseId: string;
  @Field(() => String, { nullable: true }) comment?: string | null;
}

@InputType('ReopenCaseInput')
export class ReopenCaseInput {
  @Field(() => ID) caseId: string;
  @Field({ description: 'Why (the author wrote again)' }) reason: string;
}

@InputType('AddCaseCommentInput')
export class AddCaseCommentInput {
  @Field(() => ID) caseId: string;
  @Field() text: string;
}

@InputType('LinkCasesInput')
export class LinkCasesInput {
  @Field(() => ID) caseId: string;
  @Field(() => ID) relatedCaseId: string;
}

@InputType('RecordManualPublicationInput')
export class RecordManualPublicationInput {
  @Field(() => ID) caseId: string;
  @Field({ description: 'The address of the answer as published' }) url: string;
  @Field(() => DraftKindEnum, {
    nullable: true,
    description: 'Which answer; that of the pending publication unless given',
  })
  kind?: DraftKind | null;
}

@InputType('RetryPublicationInput')
export class RetryPublicationInput {
  @Field(() => ID, { description: 'A FAILED publication (Publication.id), or one left to be published by hand' })
  publicationId: string;
}

@ObjectType('CaseEdge')
export class CaseEdgeModel {
  @Field() cursor: string;
  @Field(() => CaseModel) node: CaseModel;
}

@ObjectType('CaseConnection', { description: 'Cases the viewer may see, newest first' })
export class CaseConnectionModel {
  @Field(() => [CaseEdgeModel]) edges: CaseEdgeModel[];
  @Field(() => PageInfoModel) pageInfo: PageInfoModel;
  @Field(() => Int, { description: 'All cases that match the filter, on every page' }) totalCount: number;
}
