import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { RunServiceOptions, ServiceConfig, SubgraphServiceModule } from '@otklik/service-kit';
import { APP_LOGGER } from './app.logger';
import { AuthorsModule } from './authors/authors.module';
import { ErasureRequestEntity } from './authors/erasure-request.entity';
import { DemoSeed } from './demo/demo.seed';
import { FeedStateEntity } from './feeds/feed-state.entity';
import { FeedPollerSettings, loadFeedPollerSettings } from './feeds/feed.settings';
import { FeedsModule } from './feeds/feeds.module';
import { MessageImportEntity } from './imports/message-import.entity';
import { ImportsModule } from './imports/imports.module';
import { MessageEntity } from './messages/message.entity';
import { MessageVersionEntity } from './messages/message-version.entity';
import { MessagesModule } from './messages/messages.module';
import { RegistrationModule } from './registration/registration.module';
import { MIGRATIONS } from './migrations/migrations';
import { PersonalDataReadEntity } from './personal-data/personal-data-read.entity';
import { PersonalDataModule } from './personal-data/personal-data.module';
import { RetentionRunEntity } from './retention/retention-run.entity';
import { RetentionModule } from './retention/retention.module';
import { loadRetentionSettings, RetentionSettings } from './retention/retention.settings';
import { SourceChangeEntity } from './sources/source-change.entity';
import { SourceEntity } from './sources/source.entity';
import { SourcesModule } from './sources/sources.module';
import { DeliveryEntity } from './webhooks/delivery.entity';
import { WebhooksModule } from './webhooks/webhooks.module';

/** How intake's HTTP server is set up: webhook bodies stay raw for their signatures; 1 MiB at most (CONTRACT.md). */
export const INTAKE_HTTP: Pick<RunServiceOptions, 'rawBodyPaths' | 'bodyLimit'> = {
  rawBodyPaths: ['/webhooks'],
  bodyLimit: '1mb',
};

/** Every table this service maps (also checked against the migrations by a medium test). */
export const ENTITIES = [
  SourceEntity,
  SourceChangeEntity,
  MessageEntity,
  MessageVersionEntity,
  DeliveryEntity,
  FeedStateEntity,
  MessageImportEntity,
  RetentionRunEntity,
  PersonalDataReadEntity,
  ErasureRequestEntity,
];

@Module({})
export class AppModule {
  /**
   * `feeds`: the feed poller's settings, `retention`: the retention job's; read from the
   * environment at boot unless a test gives them.
   */
  static forConfig(
    config: ServiceConfig,
    logger: Logger,
    feeds: FeedPollerSettings = loadFeedPollerSettings(process.env),
    retention: RetentionSettings = loadRetentionSettings(process.env),
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        SubgraphServiceModule.forService({
          config,
          logger,
          entities: ENTITIES,
          migrations: MIGRATIONS,
        }),
        SourcesModule,
        MessagesModule,
        RegistrationModule,
        WebhooksModule,
        FeedsModule.forSettings(feeds),
        ImportsModule,
        RetentionModule.forSettings(retention),
        PersonalDataModule,
        AuthorsModule,
      ],
      providers: [{ provide: APP_LOGGER, useValue: logger }, DemoSeed],
      exports: [APP_LOGGER],
      global: true,
    };
  }
}
