import { Injectable } from '@nestjs/common';
import { AuthorErased, AuthorErasedV1, EventEnvelope } from '@otklik/contracts';
import { EventHandler, HandlesEvent } from '@otklik/messaging';
import { AuthorErasureService } from './author-erasure.service';

/**
 * intake erased an author (152-FZ): their messages' copies in workflow are anonymised. Every
 * organisation is in scope: a case may have been routed away from the message's organisation
 * (the event's); the handler touches only the rows of the messages the event names.
 */
@Injectable()
@HandlesEvent(AuthorErased, { durable: 'author-erased', scope: 'all-organizations' })
export class AuthorErasedHandler implements EventHandler<AuthorErasedV1> {
  constructor(private readonly erasures: AuthorErasureService) {}

  async handle(event: AuthorErasedV1, envelope: EventEnvelope<AuthorErasedV1>): Promise<void> {
    await this.erasures.erase(envelope.organizationId, event);
  }
}
