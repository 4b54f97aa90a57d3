import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { CaseReference } from './case-reference.model';
import { PageInfoModel } from '@otklik/service-kit';

@ObjectType('Notification', { description: 'An in-app notification of the viewer.' })
export class NotificationModel {
  @Field(() => ID) id: string;
  @Field({ description: 'What happened, e.g. CASE_OPENED.' }) kind: string;
  @Field({ description: 'The message as shown to the user (Russian).' }) text: string;
  @Field(() => CaseReference, { nullable: true, description: 'The case it is about, if any.' })
  case: CaseReference | null;
  @Field(() => GraphQLISODateTime) createdAt: Date;
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'When the viewer marked it read; null while unread.',
  })
  readAt: Date | null;
}

@ObjectType('NotificationEdge')
export class NotificationEdgeModel {
  @Field() cursor: string;
  @Field(() => NotificationModel) node: NotificationModel;
}

@ObjectType('NotificationConnection')
export class NotificationConnectionModel {
  @Field(() => [NotificationEdgeModel]) edges: NotificationEdgeModel[];
  @Field(() => PageInfoModel) pageInfo: PageInfoModel;
  @Field(() => Int, { description: 'Notifications that match, over all pages.' }) totalCount: number;
}
