import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module';
import { RecipientsModule } from '../recipients/recipients.module';
import { CasePathRepository } from './case-path.repository';
import { CaseOpenedHandler } from './case-opened.handler';
import { CaseTransitionedHandler } from './case-transitioned.handler';
import { DeadlineAtRiskHandler } from './deadline-at-risk.handler';
import { DeadlineBreachedHandler } from './deadline-breached.handler';
import { NotificationLoader } from './notification.loader';
import { NotificationRepository } from './notification.repository';
import { NotificationResolver } from './notification.resolver';
import { NotificationService } from './notification.service';
import { PublicationFailedHandler } from './publication-failed.handler';
import { TenantScope } from './tenant.scope';

@Module({
  imports: [RecipientsModule, DeliveryModule],
  providers: [
    NotificationRepository,
    CasePathRepository,
    NotificationService,
    NotificationLoader,
    NotificationResolver,
    TenantScope,
    CaseOpenedHandler,
    CaseTransitionedHandler,
    DeadlineAtRiskHandler,
    DeadlineBreachedHandler,
    PublicationFailedHandler,
  ],
})
export class NotificationsModule {}
