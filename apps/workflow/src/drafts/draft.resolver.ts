import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { StaffLoader } from '../staff/staff.loader';
import { ViewerModel } from '../staff/viewer.model';
import { DraftModel } from './draft.model';

@Resolver(() => DraftModel)
export class DraftResolver {
  constructor(private readonly staff: StaffLoader) {}

  @ResolveField('author', () => ViewerModel, { nullable: true, description: 'The executor who wrote it' })
  author(@Parent() draft: DraftModel, @Context() context: object): Promise<ViewerModel | null> {
    return this.staff.load(context, draft.authorUserId);
  }
}
