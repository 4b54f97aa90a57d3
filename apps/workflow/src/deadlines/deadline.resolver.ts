import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { StaffLoader } from '../staff/staff.loader';
import { ViewerModel } from '../staff/viewer.model';
import { DeadlineModel } from './deadline.model';

@Resolver(() => DeadlineModel)
export class DeadlineResolver {
  constructor(private readonly staff: StaffLoader) {}

  @ResolveField('responsible', () => ViewerModel, {
    nullable: true,
    description: 'Who answers for meeting it (cl. 18); null until someone is assigned',
  })
  responsible(@Parent() deadline: DeadlineModel, @Context() context: object): Promise<ViewerModel | null> | null {
    return deadline.responsibleUserId ? this.staff.load(context, deadline.responsibleUserId) : null;
  }
}
