import { DynamicModule, Module } from '@nestjs/common';
import { MessagesModule } from '../messages/messages.module';
import { FeedPoller } from './feed.poller';
import { FEED_POLLER_SETTINGS, FeedService } from './feed.service';
import type { FeedPollerSettings } from './feed.settings';
import { FeedStateRepository } from './feed-state.repository';

/** Websites' RSS/Atom feeds, polled on a schedule (REQUIREMENTS cl. 2). */
@Module({})
export class FeedsModule {
  static forSettings(settings: FeedPollerSettings): DynamicModule {
    return {
      module: FeedsModule,
      imports: [MessagesModule],
      providers: [{ provide: FEED_POLLER_SETTINGS, useValue: settings }, FeedStateRepository, FeedService, FeedPoller],
      exports: [FeedPoller],
    };
  }
}
