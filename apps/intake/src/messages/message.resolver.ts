import { Args, Context, ID, Parent, Query, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { AnyViewer, CurrentViewer, Viewer } from '@otklik/auth';
import { mayReadMessage } from './message.access';
import { MessageLoader } from './message.loader';
import { toMessageModel, toMessageVersionModel } from './message.mapper';
import { MessageModel, MessageVersionModel } from './message.model';

@Resolver(() => MessageModel)
export class MessageResolver {
  constructor(private readonly loader: MessageLoader) {}

  @Query(() => MessageModel, { nullable: true, description: 'A message of an organisation the viewer may see' })
  @AnyViewer()
  async message(
    @Args('id', { type: () => ID }) id: string,
    @CurrentViewer() viewer: Viewer,
    @Context('req') req: object,
  ): Promise<MessageModel | null> {
    const found = await this.loader.load(req, id);
    return found && mayReadMessage(viewer, found.organizationId) ? toMessageModel(found) : null;
  }

  @ResolveField(() => [MessageVersionModel], {
    description: 'The versions its author replaced by editing it, oldest first (empty when never edited)',
  })
  async versions(@Parent() message: MessageModel, @Context('req') req: object): Promise<MessageVersionModel[]> {
    return (await this.loader.versions(req, message.id)).map(toMessageVersionModel);
  }

  /** The gateway resolving `Case.message` and the like: batched, and filtered by the viewer's organisations. */
  @ResolveReference()
  async reference(@Parent() reference: { id: string }, @Context('req') req: object): Promise<MessageModel | null> {
    const found = await this.loader.load(req, reference.id);
    return found ? toMessageModel(found) : null;
  }
}
