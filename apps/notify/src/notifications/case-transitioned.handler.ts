import { Injectable } from '@nestjs/common';
import { CaseTransitioned, CaseTransitionedV1, EventEnvelope } from '@otklik/contracts';
import { EventHandler, HandlesEvent } from '@otklik/messaging';
import { NotificationService } from './notification.service';

@Injectable()
@HandlesEvent(CaseTransitioned, { durable: 'case-transitioned' })
export class CaseTransitionedHandler implements EventHandler<CaseTransitionedV1> {
  constructor(private readonly notifications: NotificationService) {}

  async handle(payload: CaseTransitionedV1, envelope: EventEnvelope<CaseTransitionedV1>): Promise<void> {
    await this.notifications.notifyCaseTransitioned(envelope, payload);
  }
}
