import { Injectable } from '@nestjs/common';
import { DeadlineBreached, DeadlineBreachedV1, EventEnvelope } from '@otklik/contracts';
import { EventHandler, HandlesEvent } from '@otklik/messaging';
import { NotificationService } from './notification.service';

@Injectable()
@HandlesEvent(DeadlineBreached, { durable: 'deadline-breached' })
export class DeadlineBreachedHandler implements EventHandler<DeadlineBreachedV1> {
  constructor(private readonly notifications: NotificationService) {}

  async handle(payload: DeadlineBreachedV1, envelope: EventEnvelope<DeadlineBreachedV1>): Promise<void> {
    await this.notifications.notifyDeadline('BREACHED', envelope.organizationId, payload);
  }
}
