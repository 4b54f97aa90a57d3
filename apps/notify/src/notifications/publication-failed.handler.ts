import { Injectable } from '@nestjs/common';
import { EventEnvelope, PublicationCompleted, PublicationCompletedV1 } from '@otklik/contracts';
import { EventHandler, HandlesEvent } from '@otklik/messaging';
import { NotificationService } from './notification.service';

/** An answer that could not be published is told to the officials (issue 5, "a failed publication → the official"). */
@Injectable()
@HandlesEvent(PublicationCompleted, { durable: 'publication-failed' })
export class PublicationFailedHandler implements EventHandler<PublicationCompletedV1> {
  constructor(private readonly notifications: NotificationService) {}

  async handle(payload: PublicationCompletedV1, envelope: EventEnvelope<PublicationCompletedV1>): Promise<void> {
    if (payload.status !== 'FAILED') return;
    await this.notifications.notifyPublicationFailed(envelope, payload);
  }
}
