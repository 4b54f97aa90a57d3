import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { MessageAccepted, MessageAcceptedV1, Platform } from '@otklik/contracts';
import { EventOutbox } from '@otklik/messaging';
import { callContext, newCorrelationId } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';
import { screenText } from '@otklik/screening';
import { MessageEntity, StoredAttachment, StoredAuthor, StoredScreening } from './message.entity';
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
}

export interface AcceptedMessage {
  messageId: string;
  duplicate: boolean;
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
   * Stores a message once per (source, external id), with screening's verdict (cl. 11), and
   * announces it with MessageAccepted in the same transaction; the same message again answers with the stored id and emits nothing.
   * Runs in the caller's organisation scope, which must include the message's organisation.
   */
  accept(incoming: IncomingMessage): Promise<AcceptedMessage> {
    const screening = screeningOf(incoming.text);
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
        acceptedEvent(id, incoming, stored.receivedAt, screening),
      );
      return { messageId: id, duplicate: false };
    });
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
  };
}
