import { Logger, Module } from '@nestjs/common';
import { SERVICE_CONFIG, ServiceConfig } from '@otklik/service-kit';
import { PreferencesModule } from '../preferences/preferences.module';
import type { ChannelSender } from './channel.sender';
import { DeliveryClock } from './delivery.clock';
import { DELIVERY_CONFIG, DeliveryConfig, loadDeliveryConfig } from './delivery.config';
import { DeliveryRepository } from './delivery.repository';
import { DeliveryResolver } from './delivery.resolver';
import { DeliveryService } from './delivery.service';
import { CHANNEL_SENDERS, DeliveryWorker } from './delivery.worker';
import { EmailSender } from './email.sender';
import { StaffBotController } from './staff-bot.controller';
import { TelegramLinkRepository } from './telegram-link.repository';
import { TelegramLinkService } from './telegram-link.service';
import { TelegramSender } from './telegram.sender';
import { WorkingHours } from './working-hours';

@Module({
  imports: [PreferencesModule],
  providers: [
    {
      provide: DELIVERY_CONFIG,
      // Read once as the app starts; a ConfigError stops it there, naming the setting.
      useFactory: (service: ServiceConfig): DeliveryConfig => {
        const config = loadDeliveryConfig(process.env, service.production);
        if (!service.printSchema) {
          const logger = new Logger('Delivery');
          if (!config.email) logger.warn('SMTP_URL is not set: e-mail notifications are off');
          if (!config.telegram) logger.log('NOTIFY_TELEGRAM_BOT_TOKEN is not set: the staff Telegram bot is off');
        }
        return config;
      },
      inject: [SERVICE_CONFIG],
    },
    {
      provide: CHANNEL_SENDERS,
      useFactory: (config: DeliveryConfig): ChannelSender[] => [
        ...(config.email ? [new EmailSender(config.email)] : []),
        ...(config.telegram ? [new TelegramSender(config.telegram)] : []),
      ],
      inject: [DELIVERY_CONFIG],
    },
    DeliveryClock,
    WorkingHours,
    DeliveryRepository,
    DeliveryService,
    DeliveryWorker,
    TelegramLinkRepository,
    TelegramLinkService,
    DeliveryResolver,
  ],
  controllers: [StaffBotController],
  exports: [DeliveryService, WorkingHours],
})
export class DeliveryModule {}
