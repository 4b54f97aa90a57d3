import { Injectable, Logger } from '@nestjs/common';
import { AuthorErased, AuthorErasedV1 } from '@otklik/contracts';
import { EventHandler, HandlesEvent } from '@otklik/messaging';
import { AuthorErasureRepository } from './author-erasure.repository';

/**
 * intake erased an author (152-FZ): the publications under their messages forget where the
 * messages were and who wrote them. Notifications never quote an author (notification.text.ts),
 * so they keep what they say. Every organisation is in scope: a publication belongs to its case's
 * organisation, which may not be the message's (the event's); only the messages named are touched.
 */
@Injectable()
@HandlesEvent(AuthorErased, { durable: 'author-erased', scope: 'all-organizations' })
export class AuthorErasedHandler implements EventHandler<AuthorErasedV1> {
  private readonly logger = new Logger(AuthorErasedHandler.name);

  constructor(private readonly erasures: AuthorErasureRepository) {}

  async handle(event: AuthorErasedV1): Promise<void> {
    const publications = await this.erasures.erasePublicationTargets(event.messageIds);
    this.logger.log(`erasure ${event.erasureId}: ${publications} publications' targets anonymised`);
  }
}
