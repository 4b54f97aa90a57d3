import { Args, GraphQLISODateTime, ID, Query, Resolver } from '@nestjs/graphql';
import { AnyViewer } from '@otklik/auth';
import { DeadlineKindEnum } from './deadline.model';
import type { DeadlineKind } from './deadline.policy';
import { WorkingTimeService } from './working-time.service';

@Resolver()
export class WorkingTimeResolver {
  constructor(private readonly workingTime: WorkingTimeService) {}

  @Query(() => GraphQLISODateTime, {
    name: 'workingTime',
    description:
      'When a deadline of that kind started at `from` falls due, on the organisation’s working calendar and under its deadline policy (REQUIREMENTS "Deadlines")',
  })
  @AnyViewer()
  dueAt(
    @Args('organizationId', { type: () => ID }) organizationId: string,
    @Args('kind', { type: () => DeadlineKindEnum }) kind: DeadlineKind,
    @Args('from', { type: () => GraphQLISODateTime }) from: Date,
  ): Promise<Date> {
    return this.workingTime.dueAt(organizationId, kind, from);
  }
}
