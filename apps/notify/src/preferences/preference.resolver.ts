import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AnyViewer, CurrentViewer, Viewer } from '@otklik/auth';
import { NotificationChannelEnum, NotificationPreferenceModel } from './preference.model';
import type { Channel } from './preference.rules';
import { PreferenceService } from './preference.service';

/** The viewer's own preferences: any signed-in user may read and set theirs. */
@Resolver(() => NotificationPreferenceModel)
export class PreferenceResolver {
  constructor(private readonly preferences: PreferenceService) {}

  @Query(() => [NotificationPreferenceModel], {
    description: "The viewer's preferences: every notification kind × channel, their choices over the defaults.",
  })
  @AnyViewer()
  notificationPreferences(@CurrentViewer() viewer: Viewer): Promise<NotificationPreferenceModel[]> {
    return this.preferences.listFor(viewer);
  }

  @Mutation(() => NotificationPreferenceModel, {
    description: 'Switches one kind of notification on or off on one channel (EMAIL or TELEGRAM) for the viewer.',
  })
  @AnyViewer()
  setNotificationPreference(
    @CurrentViewer() viewer: Viewer,
    @Args('kind') kind: string,
    @Args('channel', { type: () => NotificationChannelEnum }) channel: Channel,
    @Args('enabled') enabled: boolean,
  ): Promise<NotificationPreferenceModel> {
    return this.preferences.set(viewer, kind, channel, enabled);
  }
}
