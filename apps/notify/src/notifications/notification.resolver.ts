import { Args, Context, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AnyViewer, CurrentViewer, Viewer } from '@otklik/auth';
import { NotificationLoader } from './notification.loader';
import { toNotificationConnection, toNotificationModel } from './notification.mapper';
import { NotificationConnectionModel, NotificationModel } from './notification.model';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, NotificationService } from './notification.service';

/** Every field here is about the viewer's own notifications: any signed-in user may call them. */
@Resolver(() => NotificationModel)
export class NotificationResolver {
  constructor(
    private readonly service: NotificationService,
    private readonly loader: NotificationLoader,
  ) {}

  @Query(() => NotificationConnectionModel, { description: "The viewer's own notifications, newest first." })
  @AnyViewer()
  async notifications(
    @CurrentViewer() viewer: Viewer,
    @Args('unreadOnly', { type: () => Boolean, nullable: true }) unreadOnly?: boolean | null,
    @Args('first', {
      type: () => Int,
      nullable: true,
      description: `Page size, 0 to ${MAX_PAGE_SIZE}; default ${DEFAULT_PAGE_SIZE}.`,
    })
    first?: number | null,
    @Args('after', { type: () => String, nullable: true, description: 'The endCursor of the previous page.' })
    after?: string | null,
  ): Promise<NotificationConnectionModel> {
    return toNotificationConnection(await this.service.feed(viewer, { unreadOnly, first, after }));
  }

  @Query(() => NotificationModel, {
    nullable: true,
    description: "One of the viewer's own notifications; null otherwise.",
  })
  @AnyViewer()
  async notification(
    @CurrentViewer() viewer: Viewer,
    @Args('id', { type: () => ID }) id: string,
    @Context('req') req: object,
  ): Promise<NotificationModel | null> {
    this.service.assertIds([id]);
    const found = await this.loader.ownById(req, viewer, id);
    return found ? toNotificationModel(found) : null;
  }

  @Mutation(() => [NotificationModel], {
    description: "Marks the viewer's own notifications among ids read; returns them. Other ids are ignored.",
  })
  @AnyViewer()
  async markNotificationsRead(
    @CurrentViewer() viewer: Viewer,
    @Args('ids', { type: () => [ID] }) ids: string[],
  ): Promise<NotificationModel[]> {
    return (await this.service.markRead(viewer, ids)).map(toNotificationModel);
  }

  @Mutation(() => Int, {
    description: "Marks all the viewer's unread notifications read; returns how many there were.",
  })
  @AnyViewer()
  markAllNotificationsRead(@CurrentViewer() viewer: Viewer): Promise<number> {
    return this.service.markAllRead(viewer);
  }
}
