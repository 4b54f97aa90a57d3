import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from '@otklik/observability';
import { ServiceConfig, SubgraphServiceModule } from '@otklik/service-kit';
import { DemoModule } from './demo/demo.module';
import { DeliveryEntity } from './delivery/delivery.entity';
import { DeliveryModule } from './delivery/delivery.module';
import { TelegramLinkCodeEntity, TelegramLinkEntity } from './delivery/telegram-link.entity';
import { MIGRATIONS } from './migrations/migrations';
import { CasePathEntity } from './notifications/case-path.entity';
import { CaseReference } from './notifications/case-reference.model';
import { NotificationEntity } from './notifications/notification.entity';
import { NotificationsModule } from './notifications/notifications.module';
import { PersonalDataModule } from './personal-data/personal-data.module';
import { PublicationEntity } from './publishing/publication.entity';
import { PublishingPaceEntity } from './publishing/publishing-pace.entity';
import { PublishingSourceEntity } from './publishing/publishing-source.entity';
import { PublishingModule } from './publishing/publishing.module';
import { PreferenceEntity } from './preferences/preference.entity';
import { PreferencesModule } from './preferences/preferences.module';
import { RecipientEntity } from './recipients/recipient.entity';
import { RecipientsModule } from './recipients/recipients.module';

/** Every table this service maps (also checked against the migrations by a medium test). */
export const ENTITIES = [
  RecipientEntity,
  NotificationEntity,
  PublishingSourceEntity,
  PublicationEntity,
  PublishingPaceEntity,
  DeliveryEntity,
  PreferenceEntity,
  TelegramLinkEntity,
  TelegramLinkCodeEntity,
  CasePathEntity,
];

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
          // Case is reached only as Notification.case, a stub of workflow's entity (STACK.md pitfall 3).
          orphanedTypes: [CaseReference],
        }),
        RecipientsModule,
        NotificationsModule,
        PublishingModule,
        PreferencesModule,
        DeliveryModule,
        PersonalDataModule,
        DemoModule,
      ],
    };
  }
}
