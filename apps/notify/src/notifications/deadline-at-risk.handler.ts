import { Injectable } from '@nestjs/common';
import { DeadlineAtRisk, DeadlineAtRiskV1, EventEnvelope } from '@otklik/contracts';
import { EventHandler, HandlesEvent } from '@otklik/messaging';
import { NotificationService } from './notification.service';

@Injectable()
@HandlesEvent(DeadlineAtRisk, { durable: 'deadline-at-risk' })
export class DeadlineAtRiskHandler implements EventHandler<DeadlineAtRiskV1> {
  constructor(private readonly notifications: NotificationService) {}

  async handle(payload: DeadlineAtRiskV1, envelope: EventEnvelope<DeadlineAtRiskV1>): Promise<void> {
    await this.notifications.notifyDeadline('AT_RISK', envelope.organizationId, payload);
  }
}
