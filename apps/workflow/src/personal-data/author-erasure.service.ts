import { Injectable, Logger } from '@nestjs/common';
import { AuthorErasedV1, ERASED_TEXT, MessageAcceptedV1 } from '@otklik/contracts';
import { UnitOfWork } from '@otklik/persistence';
import { OrganizationTree } from '../organizations/organization.tree';
import { AuthorErasureRepository } from './author-erasure.repository';
import { erasedMessage } from './erased-message';

/** Who asks for the retraining of a model whose examples an erasure removed. */
export const ERASURE_ACTOR = 'author-erasure';

/**
 * intake erased an author at their request (152-FZ): workflow anonymises its copies of the
 * messages named — the cases stay with their status, deadlines, history and answers; their text,
 * author and addresses go — and remembers the ids, so that a message whose message.accepted comes
 * after its erasure opens its case already anonymised.
 */
@Injectable()
export class AuthorErasureService {
  private readonly logger = new Logger(AuthorErasureService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly erasures: AuthorErasureRepository,
    private readonly tree: OrganizationTree,
  ) {}

  /** Runs in the handler's transaction; `organizationId`: the messages' organisation (the event's). */
  async erase(organizationId: string, event: AuthorErasedV1): Promise<void> {
    const at = new Date(event.erasedAt);
    await this.uow.run(async () => {
      await this.erasures.remember(organizationId, event.erasureId, event.messageIds, at);
      const cases = await this.erasures.eraseCases(event.messageIds, ERASED_TEXT);
      const replies = await this.erasures.eraseJoinedReplies(event.messageIds, ERASED_TEXT);
      const uncased = await this.erasures.eraseUncased(event.messageIds, ERASED_TEXT);
      const filedUnder = cases.length > 0 ? await this.erasures.dropRoutingExamples(cases.map((c) => c.id)) : [];
      if (filedUnder.length > 0) {
        // A tree's models are kept by the organisation at its top: every organisation on the way up may own one.
        const tree = await this.tree.current();
        const owners = new Set(filedUnder.flatMap((id) => tree.pathOf(id)));
        await this.erasures.requestRetraining([...owners], ERASURE_ACTOR, new Date());
      }
      this.logger.log(
        `erasure ${event.erasureId}: ${event.messageIds.length} messages, ${cases.length} cases, ` +
          `${replies} joined replies, ${uncased} kept without a case anonymised; ` +
          `routing examples dropped under ${filedUnder.length} organisations`,
      );
    });
  }

  /** The message as it may be kept: anonymised when its author was erased before it got here. */
  async unlessErased(message: MessageAcceptedV1): Promise<MessageAcceptedV1> {
    const erased = await this.uow.run(() => this.erasures.isErased(message.messageId));
    return erased ? erasedMessage(message) : message;
  }
}
