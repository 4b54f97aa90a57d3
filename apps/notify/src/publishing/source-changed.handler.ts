import { Injectable } from '@nestjs/common';
import { EventEnvelope, SourceChanged, SourceChangedV1 } from '@otklik/contracts';
import { EventHandler, HandlesEvent } from '@otklik/messaging';
import { PublishingService } from './publishing.service';

/** intake changed a source: notify keeps its newest version to publish through. */
@Injectable()
@HandlesEvent(SourceChanged, { durable: 'source-changed' })
export class SourceChangedHandler implements EventHandler<SourceChangedV1> {
  constructor(private readonly publishing: PublishingService) {}

  async handle(payload: SourceChangedV1, envelope: EventEnvelope<SourceChangedV1>): Promise<void> {
    if (payload.organizationId !== envelope.organizationId) {
      // The subject names the organisation row-level security lets the handler write for: they must agree.
      throw new Error(
        `source.changed ${envelope.eventId} of source ${payload.sourceId} names organisation ${payload.organizationId} ` +
          `but was published for ${envelope.organizationId}`,
      );
    }
    await this.publishing.sourceChanged(payload);
  }
}
