import {
  Directive,
  Field,
  GraphQLISODateTime,
  ID,
  InputType,
  Int,
  ObjectType,
  registerEnumType,
} from '@nestjs/graphql';
import { CASE_STATUSES, CaseStatus } from './case.status';
import { PageInfoModel } from '@otklik/service-kit';

export const CaseStatusEnum = Object.fromEntries(CASE_STATUSES.map((s) => [s, s])) as { [S in CaseStatus]: S };
registerEnumType(CaseStatusEnum, { name: 'CaseStatus' });

@ObjectType('Case', { description: 'A critical message on its way through the regulation (owned by workflow)' })
@Directive('@key(fields: "id")')
export class CaseModel {
  @Field(() => ID) id: string;
  @Field(() => CaseStatusEnum) status: CaseStatus;
  @Field(() => GraphQLISODateTime, { description: 'When the message was received: the ROUTE deadline starts here' })
  detectedAt: Date;
  /** Resolved by CaseResolver.organization. */
  organizationId: string;
  /** Resolved by CaseResolver.message as a reference to intake's Message. */
  messageId: string;
}

@ObjectType('CaseTransition', { description: 'One step of a case’s history: who, when, from what, to what, and why' })
export class CaseTransitionModel {
  @Field(() => CaseStatusEnum, { nullable: true, description: 'null for the first step' }) from: CaseStatus | null;
  @Field(() => CaseStatusEnum) to: CaseStatus;
  @Field(() => GraphQLISODateTime) at: Date;
  @Field({ description: 'The login of who made it, or `system`' }) actor: string;
  @Field(() => String, { nullable: true }) reason: string | null;
}

@InputType('CaseFilter')
export class CaseFilterInput {
  @Field(() => [CaseStatusEnum], { nullable: true, description: 'Any of these statuses' }) status?: CaseStatus[];
  @Field(() => ID, { nullable: true, description: 'Cases of this organisation only' }) organizationId?: string;
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
