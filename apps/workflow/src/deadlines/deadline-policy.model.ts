import { Field, Float, GraphQLISODateTime, ID, InputType, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('DeadlinePolicy', {
  description:
    'The deadline policy an organisation’s deadlines follow (REQUIREMENTS "Deadlines"): its own, else its nearest ancestor’s, else the defaults',
})
export class DeadlinePolicyModel {
  @Field(() => ID) organizationId: string;
  @Field(() => Float, { description: 'ROUTE (cl. 5): working hours from detection; default 8' }) routeHours: number;
  @Field(() => Int, {
    description: 'ANSWER (cl. 6, 9): due at the end of this working day after the day of registration; default 1',
  })
  answerWorkingDays: number;
  @Field(() => Int, {
    description: 'FINAL (cl. 8): due at the end of this working day after the day of the interim answer; default 7',
  })
  finalWorkingDays: number;
  @Field(() => Int, {
    nullable: true,
    description:
      'AT_RISK when less than this many working minutes are left (default 120); null when atRiskShare is set',
  })
  atRiskMinutes: number | null;
  @Field(() => Float, {
    nullable: true,
    description:
      'AT_RISK when less than this share (0–1) of the deadline’s working time, start to due, is left; null when atRiskMinutes is set',
  })
  atRiskShare: number | null;
  @Field(() => ID, {
    nullable: true,
    description: 'Whose own policy it is: this organisation or an ancestor; null for the defaults',
  })
  definedByOrganizationId: string | null;
  @Field(() => String, { nullable: true, description: 'Who last set it; null for the defaults' })
  updatedBy: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it was last set; null for the defaults' })
  updatedAt: Date | null;
  @Field(() => Int, {
    nullable: true,
    description: 'Open deadlines whose moments the change moved: only on setDeadlinePolicy; null otherwise',
  })
  recomputedDeadlines: number | null;
}

@InputType('SetDeadlinePolicyInput', {
  description:
    'The organisation’s own policy: a setting left out keeps the value in effect now (its own, an ancestor’s or the default). Give at most one of atRiskMinutes and atRiskShare; either replaces the other.',
})
export class SetDeadlinePolicyInput {
  @Field(() => ID) organizationId: string;
  @Field(() => Float, { nullable: true, description: 'More than 0, at most 200' }) routeHours?: number | null;
  @Field(() => Int, { nullable: true, description: '1 to 60' }) answerWorkingDays?: number | null;
  @Field(() => Int, { nullable: true, description: '1 to 60' }) finalWorkingDays?: number | null;
  @Field(() => Int, { nullable: true, description: '0 to 4800 working minutes' }) atRiskMinutes?: number | null;
  @Field(() => Float, { nullable: true, description: 'Between 0 and 1, both excluded (0.25: a quarter of its time)' })
  atRiskShare?: number | null;
}
