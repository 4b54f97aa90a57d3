import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { MessageAccepted, MessageAcceptedV1, MessageDeleted, MessageEdited, Platform } from '@otklik/contracts';
import { EventOutbox } from '@otklik/messaging';
import { callContext, newCorrelationId } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';
import { assessCriticality } from '@otklik/criticality';
import { screenText } from '@otklik/screening';
import type { MessageVersionEntity } from './message-version.entity';
import { MessageEntity, StoredAttachment, StoredAuthor, StoredCriticality, StoredScreening } from './message.entity';
import { MessageRepository } from './message.repository';

/** A message as a channel delivered it, already checked, with the source that vouches for it. */
export interface IncomingMessage {
  organizationId: string;
  sourceId: string;
  externalId: string;
  platform: Platform;
  url?: string;
  text: string;
  postedAt: Date;
  author?: StoredAuthor;
  threadId?: string;
  attachments: StoredAttachment[];
  /** The body as received. */
  raw: unknown;
  /**
   * Set when a person, not a platform, brought the message in (registerMessage): it is critical
   * whatever its words say — the official registered it because it needs an answer.
   */
  criticalAsDecidedBy?: string;
}

export interface AcceptedMessage {
  messageId: string;
  duplicate: boolean;
}

/**
 * What an edit did: EDITED (the earlier version kept), UNCHANGED (the same text and attachments
 * again), or — for a message never seen — ACCEPTED / DUPLICATE as accept() would.
 */
export interface EditedMessage {
  messageId: string;
  outcome: 'EDITED' | 'UNCHANGED' | 'ACCEPTED' | 'DUPLICATE';
}

export interface DeletedMessage {
  messageId: string;
  /** false when it was marked deleted already. */
  marked: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class MessageService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly messages: MessageRepository,
    private readonly outbox: EventOutbox,
  ) {}

  /**
   * Stores a message once per (source, external id), with screening's verdict (cl. 11) and
   * criticality's (cl. 1), and
   * announces it with MessageAccepted in the same transaction; the same message again answers with the stored id and emits nothing.
   * Runs in the caller's organisation scope, which must include the message's organisation.
   */
  accept(incoming: IncomingMessage): Promise<AcceptedMessage> {
    const screening = screeningOf(incoming.text);
    const criticality = criticalityOf(incoming.text, incoming.criticalAsDecidedBy);
    return this.uow.run(async () => {
      const id = randomUUID();
      const stored = await this.messages.insertIfNew({
        id,
        organizationId: incoming.organizationId,
        sourceId: incoming.sourceId,
        externalId: incoming.externalId,
        platform: incoming.platform,
        url: incoming.url ?? null,
        text: incoming.text,
        postedAt: incoming.postedAt,
        author: incoming.author ?? null,
        threadId: incoming.threadId ?? null,
        attachments: incoming.attachments,
        raw: incoming.raw,
        correlationId: callContext.correlationId() ?? newCorrelationId(),
        screening,
        criticality,
      });
      if (!stored) {
        const existing = await this.messages.findIdByExternalId(incoming.sourceId, incoming.externalId);
        if (!existing)
          throw new Error(`message ${incoming.sourceId}/${incoming.externalId} conflicted but cannot be read back`);
        return { messageId: existing, duplicate: true };
      }
      await this.outbox.add(
        MessageAccepted,
        incoming.organizationId,
        acceptedEvent(id, incoming, stored.receivedAt, screening, criticality),
      );
      return { messageId: id, duplicate: false };
    });
  }

  /**
   * The author changed a message: its text and attachments become the new ones, the version
   * they replace is appended to its history, screening (cl. 11) looks at the new text, and
   * MessageEdited announces it — all in one transaction. A message never seen is accepted as
   * new (the platform told us of it first by its edit).
   */
  edit(incoming: IncomingMessage, editedAt: Date): Promise<EditedMessage> {
    return this.uow.run(async () => {
      const stored = await this.messages.findForChange(incoming.sourceId, incoming.externalId);
      if (!stored) {
        const accepted = await this.accept(incoming);
        return { messageId: accepted.messageId, outcome: accepted.duplicate ? 'DUPLICATE' : 'ACCEPTED' };
      }
      if (stored.text === incoming.text && sameAttachments(stored.attachments, incoming.attachments)) {
        return { messageId: stored.id, outcome: 'UNCHANGED' };
      }
      const screening = screeningOf(incoming.text);
      const previousVersions = await this.messages.appendVersion(stored, editedAt);
      await this.messages.replaceContent(stored.id, {
        text: incoming.text,
        attachments: incoming.attachments,
        screening,
        editedAt,
      });
      await this.outbox.add(MessageEdited, stored.organizationId, {
        messageId: stored.id,
        sourceId: incoming.sourceId,
        platform: stored.platform,
        externalId: incoming.externalId,
        text: incoming.text,
        attachments: incoming.attachments,
        editedAt: editedAt.toISOString(),
        previousVersions,
        screening: { reasons: screening.reasons },
      });
      return { messageId: stored.id, outcome: 'EDITED' };
    });
  }

  /**
   * The message was deleted on its platform: marked with when and by whom, never erased, and
   * announced with MessageDeleted once. null when the source never delivered it.
   */
  markDeleted(
    sourceId: string,
    externalId: string,
    deletedAt: Date,
    deletedBy: string | undefined,
  ): Promise<DeletedMessage | null> {
    return this.uow.run(async () => {
      const stored = await this.messages.findForChange(sourceId, externalId);
      if (!stored) return null;
      if (stored.deletedAt) return { messageId: stored.id, marked: false };
      await this.messages.markDeleted(stored.id, deletedAt, deletedBy ?? null);
      await this.outbox.add(MessageDeleted, stored.organizationId, {
        messageId: stored.id,
        sourceId,
        platform: stored.platform,
        externalId,
        deletedAt: deletedAt.toISOString(),
        deletedBy,
      });
      return { messageId: stored.id, marked: true };
    });
  }

  /** The earlier versions of each message, oldest first, in the order of the ids. */
  async versionsOf(messageIds: readonly string[]): Promise<MessageVersionEntity[][]> {
    const wellFormed = messageIds.filter((id) => UUID.test(id));
    const rows = wellFormed.length > 0 ? await this.uow.run(() => this.messages.findVersions(wellFormed)) : [];
    const byMessage = new Map<string, MessageVersionEntity[]>();
    for (const row of rows) {
      const key = row.messageId.toLowerCase();
      const versions = byMessage.get(key);
      if (versions) versions.push(row);
      else byMessage.set(key, [row]);
    }
    return messageIds.map((id) => byMessage.get(id.toLowerCase()) ?? []);
  }

  /** The messages with these ids that the caller may see, in the order of the ids (null where none). */
  async findByIds(ids: readonly string[]): Promise<Array<MessageEntity | null>> {
    const wellFormed = ids.filter((id) => UUID.test(id));
    const rows = wellFormed.length > 0 ? await this.uow.run(() => this.messages.findByIds(wellFormed)) : [];
    return inKeyOrder(ids, rows, (row) => row.id);
  }
}

/** Screening's verdict (cl. 11) in the form it is stored and shown. */
export function screeningOf(text: string): StoredScreening {
  const verdict = screenText(text);
  return { excluded: verdict.excluded, reasons: [...verdict.reasons], evidence: [...verdict.evidence] };
}

/** Criticality's verdict (cl. 1) in the form it is stored and shown; `decidedBy`: a person's decision overrides the words. */
export function criticalityOf(text: string, decidedBy?: string): StoredCriticality {
  const verdict = assessCriticality(text);
  const signals = verdict.signals.map((s) => ({ ...s }));
  if (decidedBy !== undefined) return { critical: true, score: verdict.score, signals, decidedBy };
  return { critical: verdict.critical, score: verdict.score, signals };
}

function sameAttachments(a: readonly StoredAttachment[], b: readonly StoredAttachment[]): boolean {
  return a.length === b.length && a.every((x, i) => x.type === b[i].type && x.url === b[i].url);
}

/** DataLoader's contract: one result per key, in key order; a key without a row gets null. */
export function inKeyOrder<T>(keys: readonly string[], rows: readonly T[], keyOf: (row: T) => string): Array<T | null> {
  const byKey = new Map(rows.map((row) => [keyOf(row).toLowerCase(), row]));
  return keys.map((key) => byKey.get(key.toLowerCase()) ?? null);
}

function acceptedEvent(
  messageId: string,
  m: IncomingMessage,
  receivedAt: Date,
  screening: StoredScreening,
  criticality: StoredCriticality,
): MessageAcceptedV1 {
  return {
    messageId,
    sourceId: m.sourceId,
    platform: m.platform,
    externalId: m.externalId,
    url: m.url,
    text: m.text,
    postedAt: m.postedAt.toISOString(),
    receivedAt: receivedAt.toISOString(),
    author: m.author,
    threadId: m.threadId,
    attachments: m.attachments,
    screening: { reasons: screening.reasons },
    criticality: { critical: criticality.critical },
  };
}
