import { Module } from '@nestjs/common';
import { RecipientsModule } from '../recipients/recipients.module';
import { CaseOpenedHandler } from './case-opened.handler';
import { CaseTransitionedHandler } from './case-transitioned.handler';
import { DeadlineAtRiskHandler } from './deadline-at-risk.handler';
import { DeadlineBreachedHandler } from './deadline-breached.handler';
import { NotificationLoader } from './notification.loader';
import { NotificationRepository } from './notification.repository';
import { NotificationResolver } from './notification.resolver';
import { NotificationService } from './notification.service';
import { TenantScope } from './tenant.scope';

@Module({
  imports: [RecipientsModule],
  providers: [
    NotificationRepository,
    NotificationService,
    NotificationLoader,
    NotificationResolver,
    TenantScope,
    CaseOpenedHandler,
    CaseTransitionedHandler,
    DeadlineAtRiskHandler,
    DeadlineBreachedHandler,
  ],
})
export class NotificationsModule {}
