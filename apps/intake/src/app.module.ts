import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { RunServiceOptions, ServiceConfig, SubgraphServiceModule } from '@otklik/service-kit';
import { APP_LOGGER } from './app.logger';
import { DemoSeed } from './demo/demo.seed';
import { MessageEntity } from './messages/message.entity';
import { MessagesModule } from './messages/messages.module';
import { RegistrationModule } from './registration/registration.module';
import { MIGRATIONS } from './migrations/migrations';
import { SourceEntity } from './sources/source.entity';
import { SourcesModule } from './sources/sources.module';
import { WebhooksModule } from './webhooks/webhooks.module';

/** How intake's HTTP server is set up: webhook bodies stay raw for their signatures; 1 MiB at most (CONTRACT.md). */
export const INTAKE_HTTP: Pick<RunServiceOptions, 'rawBodyPaths' | 'bodyLimit'> = {
  rawBodyPaths: ['/webhooks'],
  bodyLimit: '1mb',
};

/** Every table this service maps (also checked against the migrations by a medium test). */
export const ENTITIES = [SourceEntity, MessageEntity];

@Module({})
export class AppModule {
  static forConfig(config: ServiceConfig, logger: Logger): DynamicModule {
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
      ],
      providers: [{ provide: APP_LOGGER, useValue: logger }, DemoSeed],
      exports: [APP_LOGGER],
      global: true,
    };
  }
}
