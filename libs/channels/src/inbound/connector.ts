import type { Platform } from '@otklik/contracts';

/**
 * A platform's inbound side (REQUIREMENTS cl. 2): how one webhook request from it is checked and
 * read. Framework-free: intake's controller hands over the request as bytes and headers, stores
 * what the connector read, and only then sends back the reply the connector chose — so a
 * platform that retries until it gets its reply never loses a message to a failed write.
 */
export interface InboundRequest {
  method: 'GET' | 'POST';
  /** Header names in lower case. */
  headers: Readonly<Record<string, string | undefined>>;
  query: Readonly<Record<string, string | undefined>>;
  /** The exact bytes received (empty for GET). */
  body: Uint8Array;
}

/** The source a webhook names in its path, as a connector needs it. */
export interface ConnectorSource {
  id: string;
  platform: Platform;
  /** Every secret valid now: the current one first, the previous one during a rotation's overlap. */
  secrets: readonly string[];
  /** Settings that are not secret (VK group id and confirmation string, Meta page ids, …). */
  settings: Readonly<Record<string, unknown>>;
  /** Secret settings, decrypted (Meta's verify token, access tokens, …). */
  credentials: Readonly<Record<string, string>>;
}

/** What the platform gets back. */
export interface PlatformReply {
  status: number;
  contentType: 'text/plain' | 'application/json';
  body: string;
}

export const INBOUND_ATTACHMENT_TYPES = ['PHOTO', 'VIDEO', 'DOCUMENT', 'LINK', 'AUDIO'] as const;
export type InboundAttachmentType = (typeof INBOUND_ATTACHMENT_TYPES)[number];

/** A citizen's message as a platform delivered it, in Otklik's terms. */
export interface InboundMessage {
  /** Unique within the source; the same message edited keeps it. */
  externalId: string;
  platform: Platform;
  url?: string;
  text: string;
  /** ISO 8601. */
  postedAt: string;
  author?: { id?: string; name?: string; url?: string };
  /** The post, chat or topic the message belongs to (replies and repeats are found by it). */
  threadId?: string;
  attachments: Array<{ type: InboundAttachmentType; url: string }>;
  /**
   * What to keep as the message's raw payload: the platform's own object for this message.
   * Leave it out only when the whole body may be kept — never when the body carries a secret
   * (VK puts its secret key in every body).
   */
  raw?: unknown;
}

export type InboundEvent =
  | { type: 'MESSAGE'; message: InboundMessage }
  /** The author changed a message: the new text replaces the old, which is kept in its history. */
  | { type: 'EDIT'; message: InboundMessage; editedAt?: string }
  /** The message was deleted on the platform: marked, never erased. */
  | { type: 'DELETE'; externalId: string; deletedAt?: string; deletedBy?: string };

export type InboundVerdict =
  /** Answer at once and store nothing: handshakes (VK's confirmation, Meta's verify token, X's CRC). */
  | { kind: 'ANSWER'; reply: PlatformReply }
  /** The request is not the platform's, or is malformed: refused, with the reason in words. */
  | { kind: 'REFUSE'; status: 400 | 401 | 403; reason: string }
  /**
   * A delivery. `deliveryId` is the platform's own id of it (VK's event_id, Telegram's
   * update_id, …): a delivery seen before for the same source is answered again and stored
   * no second time. `events` may be empty (an event type citizens do not write in) — then
   * `ignored` says which type it was, for the log.
   */
  | {
      kind: 'DELIVERY';
      deliveryId: string;
      eventType: string;
      events: InboundEvent[];
      ignored?: string;
      reply: PlatformReply;
    };

export interface InboundConnector {
  /** The path segment: `/webhooks/{path}/{sourceId}`. */
  readonly path: string;
  /** The kind of source it serves (intake.sources.kind). */
  readonly sourceKind: string;
  /** The HTTP methods the platform uses (GET for handshakes that come as GET). */
  readonly methods: ReadonlyArray<'GET' | 'POST'>;
  receive(request: InboundRequest, source: ConnectorSource, now: Date): InboundVerdict;
}

export function textReply(body: string, status = 200): PlatformReply {
  return { status, contentType: 'text/plain', body };
}

export function jsonReply(body: unknown, status = 200): PlatformReply {
  return { status, contentType: 'application/json', body: JSON.stringify(body) };
}
