import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { MessagesModule } from '../messages/messages.module';
import { SourcesModule } from '../sources/sources.module';
import { DeliveryRepository } from './delivery.repository';
import { PlatformWebhookController } from './platform-webhook.controller';
import { PlatformWebhookService } from './platform-webhook.service';
import { WebhookBodyFilter } from './webhook-body.filter';
import { WebhookController } from './webhook.controller';
import { WebhookService } from './webhook.service';

@Module({
  imports: [SourcesModule, MessagesModule],
  // The generic webhook first: the platform routes would match its path too.
  controllers: [WebhookController, PlatformWebhookController],
  providers: [
    WebhookService,
    PlatformWebhookService,
    DeliveryRepository,
    { provide: APP_FILTER, useClass: WebhookBodyFilter },
  ],
})
export class WebhooksModule {}
