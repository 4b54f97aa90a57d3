import { Field, GraphQLISODateTime, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DEADLINE_KINDS, DEADLINE_STATES, DeadlineKind, DeadlineState } from './deadline.policy';

export const DeadlineKindEnum = Object.fromEntries(DEADLINE_KINDS.map((k) => [k, k])) as { [K in DeadlineKind]: K };
registerEnumType(DeadlineKindEnum, {
  name: 'DeadlineKind',
  description: 'ROUTE (cl. 5), DRAFT (cl. 7), ANSWER (cl. 6, 9), FINAL (cl. 8)',
});

export const DeadlineStateEnum = Object.fromEntries(DEADLINE_STATES.map((s) => [s, s])) as { [S in DeadlineState]: S };
registerEnumType(DeadlineStateEnum, {
  name: 'DeadlineState',
  description:
    'Open: ON_TRACK, AT_RISK (less time left than the organisation’s deadline policy allows; by default under 2 working hours), OVERDUE; settled: MET, MISSED, or CANCELLED when the case was excluded or dismissed',
});

@ObjectType('Deadline')
export class DeadlineModel {
  @Field(() => DeadlineKindEnum) kind: DeadlineKind;
  @Field(() => GraphQLISODateTime) startedAt: Date;
  @Field(() => GraphQLISODateTime) dueAt: Date;
  @Field(() => DeadlineStateEnum, { description: 'As of the moment of the request' }) state: DeadlineState;
  /** Resolved by DeadlineResolver.responsible. */
  responsibleUserId: string | null;
}
