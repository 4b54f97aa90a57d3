import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { MessagesModule } from '../messages/messages.module';
import { SourcesModule } from '../sources/sources.module';
import { DeliveryRepository } from './delivery.repository';
import { PlatformWebhookController } from './platform-webhook.controller';
import { PlatformWebhookService } from './platform-webhook.service';
import { WebhookBodyFilter } from './webhook-body.filter';
import { WebhookController } from './webhook.controller';
import { WebhookService } from './webhook.service';
import { loadWebhookRateLimitSettings, WEBHOOK_RATE_LIMITS, WebhookRateLimitMiddleware } from './webhook.rate-limit';

@Module({
  imports: [SourcesModule, MessagesModule],
  // The generic webhook first: the platform routes would match its path too.
  controllers: [WebhookController, PlatformWebhookController],
  providers: [
    WebhookService,
    PlatformWebhookService,
    DeliveryRepository,
    { provide: APP_FILTER, useClass: WebhookBodyFilter },
    // Read once as the app starts; a ConfigError stops it there, naming the setting.
    { provide: WEBHOOK_RATE_LIMITS, useFactory: () => loadWebhookRateLimitSettings(process.env) },
  ],
})
export class WebhooksModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // One path for both controllers' routes (per controller, a generic webhook would be counted twice).
    consumer
      .apply(WebhookRateLimitMiddleware)
      .forRoutes({ path: 'webhooks/:platform/:sourceId', method: RequestMethod.ALL });
  }
}
