import { Injectable } from '@nestjs/common';
import { EventEnvelope, MessageAccepted, MessageAcceptedV1 } from '@otklik/contracts';
import { EventHandler, HandlesEvent } from '@otklik/messaging';
import { CaseService } from './case.service';

/** intake accepted a message: open its case. Runs in the scope of the message's organisation. */
@Injectable()
@HandlesEvent(MessageAccepted, { durable: 'open-case' })
export class OpenCaseOnMessageAccepted implements EventHandler<MessageAcceptedV1> {
  constructor(private readonly cases: CaseService) {}

  async handle(message: MessageAcceptedV1, envelope: EventEnvelope<MessageAcceptedV1>): Promise<void> {
    await this.cases.openForMessage(envelope.organizationId, message);
  }
}
