import { Module } from '@nestjs/common';
import { RecipientsModule } from '../recipients/recipients.module';
import { CaseOpenedHandler } from './case-opened.handler';
import { NotificationLoader } from './notification.loader';
import { NotificationRepository } from './notification.repository';
import { NotificationResolver } from './notification.resolver';
import { NotificationService } from './notification.service';

@Module({
  imports: [RecipientsModule],
  providers: [NotificationRepository, NotificationService, NotificationLoader, NotificationResolver, CaseOpenedHandler],
})
export class NotificationsModule {}
