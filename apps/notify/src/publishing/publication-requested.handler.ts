import { Injectable } from '@nestjs/common';
import { EventEnvelope, PublicationRequested, PublicationRequestedV1 } from '@otklik/contracts';
import { EventHandler, HandlesEvent } from '@otklik/messaging';
import { PublishingService } from './publishing.service';

/** workflow approved an answer: it is stored for the publishing workers (redelivered: stored once). */
@Injectable()
@HandlesEvent(PublicationRequested, { durable: 'publication-requested' })
export class PublicationRequestedHandler implements EventHandler<PublicationRequestedV1> {
  constructor(private readonly publishing: PublishingService) {}

  async handle(payload: PublicationRequestedV1, envelope: EventEnvelope<PublicationRequestedV1>): Promise<void> {
    await this.publishing.accept(envelope.organizationId, payload, envelope.correlationId);
  }
}
