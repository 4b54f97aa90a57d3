import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { MessagesModule } from '../messages/messages.module';
import { SourcesModule } from '../sources/sources.module';
import { WebhookBodyFilter } from './webhook-body.filter';
import { WebhookController } from './webhook.controller';
import { WebhookService } from './webhook.service';

@Module({
  imports: [SourcesModule, MessagesModule],
  controllers: [WebhookController],
  providers: [WebhookService, { provide: APP_FILTER, useClass: WebhookBodyFilter }],
})
export class WebhooksModule {}
