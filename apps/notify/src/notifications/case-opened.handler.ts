import { Injectable } from '@nestjs/common';
import { CaseOpened, CaseOpenedV1, EventEnvelope } from '@otklik/contracts';
import { EventHandler, HandlesEvent } from '@otklik/messaging';
import { NotificationService } from './notification.service';

@Injectable()
@HandlesEvent(CaseOpened, { durable: 'case-opened' })
export class CaseOpenedHandler implements EventHandler<CaseOpenedV1> {
  constructor(private readonly notifications: NotificationService) {}

  async handle(payload: CaseOpenedV1, envelope: EventEnvelope<CaseOpenedV1>): Promise<void> {
    await this.notifications.notifyCaseOpened(envelope.organizationId, payload);
  }
}
