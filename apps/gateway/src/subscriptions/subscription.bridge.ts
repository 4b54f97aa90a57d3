import { AuthError, canSeeOrganization, Viewer } from '@otklik/auth';
import type { EventEnvelope } from '@otklik/contracts';
import type { Logger } from '@otklik/observability';
import { DEFAULT_MAX_BATCH, SubscriberStream } from './subscriber.stream';

/** Where events come from (NATS in the app, a plain function in tests). */
export interface EventSource {
  listen(listener: (event: EventEnvelope) => void): () => void;
}

/**
 * Fetches a batch of entities as the viewer sees them, with the subscriber's selection, in one
 * go: one result per id in the same order, the data keyed by the selection's response keys;
 * null where the viewer may not see the entity. `correlationIds[i]` is that of the event of `ids[i]`.
 */
export type EntityResolver<S> = (
  viewer: Viewer,
  ids: readonly string[],
  selection: S,
  correlationIds: readonly string[],
) => Promise<ReadonlyArray<Record<string, unknown> | null>>;

export type CaseEventType = 'OPENED' | 'UPDATED';

export interface CaseEventPayload {
  type: CaseEventType;
  at: string;
  /** The prefetched case, keyed by the subscriber's response keys. */
  entity: Record<string, unknown>;
}

export interface NotificationPayload {
  entity: Record<string, unknown>;
}

export interface SubscriptionBridgeOptions<S> {
  events: EventSource;
  resolveCase: EntityResolver<S>;
  resolveNotification: EntityResolver<S>;
  logger: Pick<Logger, 'warn' | 'error' | 'debug'>;
  /** Events waiting per subscriber before the oldest are dropped (default 1000). */
  maxQueue?: number;
  /** Queued events of a subscriber resolved with one entity fetch (default 100). */
  maxBatch?: number;
}

type Accepts = (event: EventEnvelope) => boolean;

const CASE_EVENT_PREFIX = 'case.';
const CASE_OPENED = 'case.opened';
const NOTIFICATION_CREATED = 'notification.created';

const stringField = (event: EventEnvelope, key: string): string | undefined => {
  const value = event.data[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/**
 * Carries events to GraphQL subscribers: each replica listens to every event once and fans
 * out to its subscribers, filtering by what each viewer may see, then fetching the entities
 * through the federated graph as that viewer (so a subscription returns what a query would),
 * one fetch per batch of the events queued for a subscriber.
 */
export class SubscriptionBridge<S> {
  /** Each live stream with the filter deciding which events it gets. */
  private readonly caseStreams = new Map<SubscriberStream<CaseEventPayload>, Accepts>();
  private readonly notificationStreams = new Map<SubscriberStream<NotificationPayload>, Accepts>();
  private unlisten?: () => void;
  private nextId = 1;

  constructor(private readonly options: SubscriptionBridgeOptions<S>) {}

  start(): void {
    this.unlisten ??= this.options.events.listen((event) => this.dispatch(event));
  }

  /** Stops listening and ends every subscriber's stream. */
  stop(): void {
    this.unlisten?.();
    this.unlisten = undefined;
    for (const stream of [...this.caseStreams.keys(), ...this.notificationStreams.keys()]) stream.close();
  }

  get subscriberCount(): number {
    return this.caseStreams.size + this.notificationStreams.size;
  }

  dispatch(event: EventEnvelope): void {
    const streams = event.type.startsWith(CASE_EVENT_PREFIX)
      ? this.caseStreams
      : event.type === NOTIFICATION_CREATED
        ? this.notificationStreams
        : undefined;
    for (const [stream, accepts] of streams ?? []) if (accepts(event)) stream.offer(event);
  }

  /** Case events the viewer may see; with `organizationId`, of that organisation only (FORBIDDEN if not visible). */
  caseEvents(
    viewer: Viewer,
    options: { organizationId?: string | null; selection: S },
  ): AsyncIterableIterator<CaseEventPayload> {
    const { organizationId, selection } = options;
    if (organizationId && !canSeeOrganization(viewer, organizationId)) {
      throw new AuthError('FORBIDDEN', `you may not see the events of organisation ${organizationId}`);
    }
    const stream = this.stream<CaseEventPayload>(viewer, this.caseStreams, {
      accepts: (event) =>
        canSeeOrganization(viewer, event.organizationId) &&
        (!organizationId || event.organizationId === organizationId) &&
        stringField(event, 'caseId') !== undefined,
      resolveBatch: async (events) => {
        const entities = await this.options.resolveCase(
          viewer,
          events.map((event) => stringField(event, 'caseId') as string),
          selection,
          events.map((event) => event.correlationId),
        );
        return events.map((event, i) => {
          const entity = entities[i];
          return entity
            ? { type: event.type === CASE_OPENED ? 'OPENED' : 'UPDATED', at: event.occurredAt, entity }
            : null;
        });
      },
    });
    return stream;
  }

  /** The viewer's own notifications. */
  notificationAdded(viewer: Viewer, selection: S): AsyncIterableIterator<NotificationPayload> {
    return this.stream<NotificationPayload>(viewer, this.notificationStreams, {
      accepts: (event) =>
        stringField(event, 'userId') === viewer.userId && stringField(event, 'notificationId') !== undefined,
      resolveBatch: async (events) => {
        const entities = await this.options.resolveNotification(
          viewer,
          events.map((event) => stringField(event, 'notificationId') as string),
          selection,
          events.map((event) => event.correlationId),
        );
        return events.map((_event, i) => {
          const entity = entities[i];
          return entity ? { entity } : null;
        });
      },
    });
  }

  private stream<T>(
    viewer: Viewer,
    streams: Map<SubscriberStream<T>, Accepts>,
    behaviour: { accepts: Accepts; resolveBatch(events: readonly EventEnvelope[]): Promise<Array<T | null>> },
  ): SubscriberStream<T> {
    const id = this.nextId++;
    const { logger } = this.options;
    const maxQueue = this.options.maxQueue ?? 1000;
    const stream: SubscriberStream<T> = new SubscriberStream<T>({
      maxQueue,
      maxBatch: this.options.maxBatch ?? DEFAULT_MAX_BATCH,
      resolveBatch: (events) => behaviour.resolveBatch(events),
      onOverflow: () =>
        logger.warn(
          { subscriber: id, login: viewer.login, maxQueue },
          'subscriber reads too slowly: dropping its oldest events beyond the queue limit',
        ),
      onResolveError: (error, events) =>
        logger.error(
          {
            err: error,
            subscriber: id,
            login: viewer.login,
            events: events.length,
            eventIds: events.map((e) => e.eventId),
            correlationIds: events.map((e) => e.correlationId),
          },
          'could not fetch the entities of a batch of events for a subscriber; those events skipped',
        ),
      onClose: () => {
        streams.delete(stream);
        logger.debug({ subscriber: id, login: viewer.login }, 'subscription ended');
      },
    });
    streams.set(stream, behaviour.accepts);
    return stream;
  }
}
