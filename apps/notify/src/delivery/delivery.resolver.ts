import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AnyViewer, CurrentViewer, Viewer } from '@otklik/auth';
import { toDeliveryModel, toTelegramLinkModel } from './delivery.mapper';
import { NotificationDeliveryModel, TelegramLinkCodeModel, TelegramLinkModel } from './delivery.model';
import { DeliveryService } from './delivery.service';
import { TelegramLinkService } from './telegram-link.service';

/** The viewer's own delivery log and Telegram link: any signed-in user may call them. */
@Resolver()
export class DeliveryResolver {
  constructor(
    private readonly deliveries: DeliveryService,
    private readonly telegram: TelegramLinkService,
  ) {}

  @Query(() => [NotificationDeliveryModel], {
    description: "How one of the viewer's own notifications went on each channel (empty for anyone else's).",
  })
  @AnyViewer()
  async notificationDeliveries(
    @CurrentViewer() viewer: Viewer,
    @Args('notificationId', { type: () => ID }) notificationId: string,
  ): Promise<NotificationDeliveryModel[]> {
    return (await this.deliveries.ofNotification(viewer, notificationId)).map(toDeliveryModel);
  }

  @Query(() => TelegramLinkModel, { nullable: true, description: "The viewer's linked Telegram chat; null when none." })
  @AnyViewer()
  async telegramLink(@CurrentViewer() viewer: Viewer): Promise<TelegramLinkModel | null> {
    const link = await this.telegram.linkOf(viewer);
    return link ? toTelegramLinkModel(link) : null;
  }

  @Mutation(() => TelegramLinkCodeModel, {
    description:
      'A one-time code (15 minutes) to link the viewer’s Telegram chat with the staff bot; earlier codes stop working.',
  })
  @AnyViewer()
  createTelegramLinkCode(@CurrentViewer() viewer: Viewer): Promise<TelegramLinkCodeModel> {
    return this.telegram.createCode(viewer);
  }

  @Mutation(() => Boolean, { description: 'Unlinks the viewer’s Telegram chat; false when none was linked.' })
  @AnyViewer()
  unlinkTelegram(@CurrentViewer() viewer: Viewer): Promise<boolean> {
    return this.telegram.unlink(viewer);
  }
}
