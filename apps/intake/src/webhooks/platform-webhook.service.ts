import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import {
  connectorFor,
  INBOUND_CONNECTORS,
  InboundConnector,
  InboundEvent,
  InboundMessage,
  InboundRequest,
  PlatformReply,
} from '@otklik/channels';
import { callContext, newCorrelationId, orgsScope } from '@otklik/observability';
import { isDatabaseUnavailable, UnitOfWork } from '@otklik/persistence';
import { APP_LOGGER } from '../app.logger';
import { EditedMessage, IncomingMessage, MessageService } from '../messages/message.service';
import { Source, toConnectorSource } from '../sources/source.secrets';
import { SourceService } from '../sources/source.service';
import type { DeliveryOutcome } from './delivery.entity';
import { DeliveryRepository } from './delivery.repository';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth';
import { MessageStoreUnavailable, WebhookException } from './webhook.exception';

export interface PlatformWebhookCall {
  /** The path segment naming the platform: `/webhooks/{platform}/{sourceId}`. */
  platform: string;
  sourceId: string;
  request: InboundRequest;
}

type Delivery = Extract<ReturnType<InboundConnector['receive']>, { kind: 'DELIVERY' }>;

/**
 * Platform webhooks (VK's Callback API, Telegram, MAX, …): the connector of the path's platform
 * checks and reads the request; what it read is stored — once per delivery, in the source
 * organisation's scope, in one transaction — and only then is the platform's reply sent, so a
 * platform that retries until it gets its reply never loses a message to a failed write.
 */
@Injectable()
export class PlatformWebhookService {
  constructor(
    private readonly sources: SourceService,
    private readonly messages: MessageService,
    private readonly deliveries: DeliveryRepository,
    private readonly uow: UnitOfWork,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {}

  async receive(call: PlatformWebhookCall): Promise<PlatformReply> {
    const logged = { sourceId: call.sourceId.slice(0, 100), platform: call.platform.slice(0, 50) };
    try {
      return await this.checkAndStore(call);
    } catch (error) {
      // One line per refusal, so an operator can tell a misconfigured platform from an outage.
      if (error instanceof WebhookException) {
        this.logger.info({ ...logged, code: error.code, reason: error.message }, 'platform webhook refused');
      } else if (error instanceof MessageStoreUnavailable) {
        this.logger.warn(
          { ...logged, err: (error.cause as Error | undefined)?.message },
          'platform webhook deferred: database unreachable',
        );
      }
      throw error;
    }
  }

  private async checkAndStore(call: PlatformWebhookCall): Promise<PlatformReply> {
    // The generic webhook's own route takes its POSTs; anything else on its path ends here.
    if (call.platform === 'generic') throw WebhookException.methodNotServed('generic', call.request.method, ['POST']);
    const connector = connectorFor(call.platform);
    if (!connector)
      throw WebhookException.unknownPlatform(
        call.platform,
        INBOUND_CONNECTORS.map((c) => c.path),
      );
    if (!connector.methods.includes(call.request.method)) {
      throw WebhookException.methodNotServed(connector.path, call.request.method, connector.methods);
    }
    const source = await this.sourceFor(connector, call.sourceId);
    // No platform nests this deep; what does would overflow the stack of whatever reads it next.
    if (nestsDeeperThan(call.request.body)) {
      throw WebhookException.refusedByConnector(
        400,
        `the body nests arrays and objects over ${MAX_JSON_DEPTH} levels deep`,
      );
    }
    const now = new Date();
    const verdict = connector.receive(call.request, toConnectorSource(source, now), now);
    switch (verdict.kind) {
      case 'ANSWER':
        this.logger.info({ sourceId: source.id, platform: connector.path }, 'platform webhook answered a handshake');
        return verdict.reply;
      case 'REFUSE':
        throw WebhookException.refusedByConnector(verdict.status, verdict.reason);
      case 'DELIVERY': {
        const { repeat, outcome } = await this.store(source, verdict, call.request.body, now);
        this.logger.info(
          {
            sourceId: source.id,
            platform: connector.path,
            eventType: verdict.eventType,
            deliveryId: verdict.deliveryId,
            repeat,
            ...(repeat ? {} : outcome),
          },
          repeat ? 'platform webhook delivery was a repeat' : 'platform webhook delivery stored',
        );
        return verdict.reply;
      }
    }
  }

  /** The source the path names, if it is enabled and of the connector's kind (404 otherwise). */
  private async sourceFor(connector: InboundConnector, sourceId: string): Promise<Source> {
    const source = await unlessDatabaseDown(() => this.sources.findForWebhook(sourceId));
    if (!source) throw WebhookException.unknownSource(sourceId);
    if (!source.enabled) throw WebhookException.disabledSource(sourceId);
    if (source.kind !== connector.sourceKind) {
      throw WebhookException.otherKind(sourceId, source.kind, connector.sourceKind);
    }
    return source;
  }

  /**
   * The delivery's id first (a repeat stops there: nothing is stored twice), then each event,
   * then what they did — one transaction in the source organisation's scope: a webhook may write
   * only where its source belongs.
   */
  private store(
    source: Source,
    delivery: Delivery,
    body: Uint8Array,
    now: Date,
  ): Promise<{ repeat: boolean; outcome: DeliveryOutcome }> {
    const correlationId = callContext.correlationId() ?? newCorrelationId();
    const outcome: DeliveryOutcome = {
      accepted: 0,
      duplicates: 0,
      edited: 0,
      unchanged: 0,
      deleted: 0,
      unknownDeleted: [],
      ...(delivery.ignored ? { ignored: storable(delivery.ignored) } : {}),
    };
    const deliveryId = storedDeliveryId(delivery.deliveryId);
    return callContext.run(
      { correlationId, orgScope: orgsScope([source.organizationId]), actor: `source:${source.id}` },
      () =>
        unlessDatabaseDown(() =>
          this.uow.run(async () => {
            const fresh = await this.deliveries.insertIfNew({
              sourceId: source.id,
              deliveryId,
              organizationId: source.organizationId,
              eventType: storable(delivery.eventType),
              correlationId,
            });
            if (!fresh) return { repeat: true, outcome };
            const raw = bodyAsStored(body);
            for (const event of delivery.events) await this.apply(source, event, raw, now, outcome);
            await this.deliveries.recordOutcome(source.id, deliveryId, outcome);
            return { repeat: false, outcome };
          }),
        ),
    );
  }

  private async apply(
    source: Source,
    event: InboundEvent,
    body: unknown,
    now: Date,
    outcome: DeliveryOutcome,
  ): Promise<void> {
    switch (event.type) {
      case 'MESSAGE': {
        const accepted = await this.messages.accept(incomingOf(source, event.message, body));
        if (accepted.duplicate) outcome.duplicates++;
        else outcome.accepted++;
        return;
      }
      case 'EDIT': {
        const edited = await this.messages.edit(
          incomingOf(source, event.message, body),
          event.editedAt ? instant(event.editedAt, 'editedAt') : now,
        );
        outcome[EDIT_COUNTED_AS[edited.outcome]]++;
        return;
      }
      case 'DELETE': {
        const externalId = storedExternalId(event.externalId);
        const deleted = await this.messages.markDeleted(
          source.id,
          externalId,
          event.deletedAt ? instant(event.deletedAt, 'deletedAt') : now,
          event.deletedBy === undefined ? undefined : storedId(event.deletedBy, LIMITS.personId),
        );
        if (!deleted) outcome.unknownDeleted.push(externalId);
        else if (deleted.marked) outcome.deleted++;
        else outcome.unchanged++;
        return;
      }
    }
  }
}

/** An edit of a message never seen is counted as the new message it became. */
const EDIT_COUNTED_AS: Record<EditedMessage['outcome'], 'edited' | 'unchanged' | 'accepted' | 'duplicates'> = {
  EDITED: 'edited',
  UNCHANGED: 'unchanged',
  ACCEPTED: 'accepted',
  DUPLICATE: 'duplicates',
};

/**
 * What MessageAccepted (libs/contracts) and intake's columns hold. The generic webhook refuses
 * more (400); a platform's delivery is acknowledged instead — refused, it would come back
 * forever — so what does not fit is made to: an identifier becomes its digest (unique still,
 * and the same again on a repeat), a name is cut short, a link too long to be one is left out.
 */
const LIMITS = { externalId: 500, threadId: 500, deliveryId: 200, personId: 200, name: 500, url: 2000 };

function incomingOf(source: Source, message: InboundMessage, body: unknown): IncomingMessage {
  const author = message.author && storable(message.author);
  return storable({
    organizationId: source.organizationId,
    sourceId: source.id,
    externalId: storedExternalId(message.externalId),
    platform: message.platform,
    url: withinLength(message.url, LIMITS.url),
    text: message.text,
    postedAt: instant(message.postedAt, 'postedAt'),
    author: author && {
      ...(author.id === undefined ? {} : { id: storedId(author.id, LIMITS.personId) }),
      ...(author.name === undefined ? {} : { name: author.name.slice(0, LIMITS.name) }),
      ...(withinLength(author.url, LIMITS.url) === undefined ? {} : { url: author.url }),
    },
    threadId: message.threadId === undefined ? undefined : storedId(message.threadId, LIMITS.threadId),
    attachments: message.attachments
      .filter((a) => a.url.length <= LIMITS.url)
      .map((a) => ({ type: a.type, url: a.url })),
    raw: message.raw === undefined ? body : message.raw,
  });
}

/** A platform's id of a message as intake stores it (and finds it again to edit or delete it). */
export function storedExternalId(externalId: string): string {
  return storedId(externalId, LIMITS.externalId);
}

/** A platform's id of a delivery as intake.deliveries keeps it. */
export function storedDeliveryId(deliveryId: string): string {
  return storedId(deliveryId, LIMITS.deliveryId);
}

/** Storable, and no longer than `limit`: a longer id is named by its digest. */
function storedId(id: string, limit: number): string {
  const value = storable(id);
  return value.length <= limit ? value : `sha256:${createHash('sha256').update(value).digest('hex')}`;
}

function withinLength(value: string | undefined, limit: number): string | undefined {
  return value !== undefined && value.length <= limit ? value : undefined;
}

/** A connector's ISO 8601 instant; one that is not is the connector's bug, not the platform's. */
function instant(iso: string, field: string): Date {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new Error(`a connector gave ${field} "${iso}", which is not a date`);
  return date;
}

/** The body kept as a message's raw payload when its connector names none: its JSON, or its text. */
function bodyAsStored(body: Uint8Array): unknown {
  const text = Buffer.from(body).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { body: text };
  }
}

/** U+0000 and unpaired surrogates, which PostgreSQL's text and jsonb refuse. */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * The value with every string made storable (such characters become U+FFFD). A platform's
 * message is the citizen's words: refusing it would make the platform retry it forever.
 */
export function storable<T>(value: T): T {
  if (typeof value === 'string') return value.replace(UNSTORABLE, '\ufffd') as T;
  if (Array.isArray(value)) return value.map((item: unknown) => storable(item)) as T;
  if (value instanceof Date || typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [storable(k), storable(v)])) as T;
}

async function unlessDatabaseDown<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw isDatabaseUnavailable(error) ? new MessageStoreUnavailable(error) : error;
  }
}
