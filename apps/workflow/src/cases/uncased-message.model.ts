import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import type { Platform } from '@otklik/contracts';
import { PageInfoModel } from '@otklik/service-kit';
import { PlatformEnum } from '../publications/publication.model';

@ObjectType('UncasedMessage', {
  description:
    'A message that opened no case (cl. 1): criticality found it not critical — praise, chatter, news, an advertisement — and screening flagged nothing. Kept; an official may open a case from it',
})
export class UncasedMessageModel {
  @Field(() => ID, { description: 'The message’s id in intake (Message.id)' }) id: string;
  @Field(() => PlatformEnum) platform: Platform;
  @Field({ description: 'The message as it arrived (intake’s Message has it all, with criticality’s signals)' })
  text: string;
  @Field(() => GraphQLISODateTime, { description: 'When intake received it' }) receivedAt: Date;
  @Field(() => GraphQLISODateTime, { description: 'When workflow kept it without a case' }) keptAt: Date;
  /** Resolved by UncasedMessageResolver.organization. */
  organizationId: string;
}

@ObjectType('UncasedMessageEdge')
export class UncasedMessageEdgeModel {
  @Field() cursor: string;
  @Field(() => UncasedMessageModel) node: UncasedMessageModel;
}

@ObjectType('UncasedMessageConnection', { description: 'Messages without a case, newest first' })
export class UncasedMessageConnectionModel {
  @Field(() => [UncasedMessageEdgeModel]) edges: UncasedMessageEdgeModel[];
  @Field(() => PageInfoModel) pageInfo: PageInfoModel;
  @Field(() => Int, { description: 'All of them, on every page' }) totalCount: number;
}

@InputType('OpenCaseInput')
export class OpenCaseInput {
  @Field(() => ID, { description: 'A message kept without a case (UncasedMessage.id)' }) messageId: string;
  @Field({ description: 'Why it needs an answer after all: written to the case’s history' }) reason: string;
}
