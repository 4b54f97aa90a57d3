import { AuthError, canSeeOrganization, Viewer } from '@otklik/auth';
import type { EventEnvelope } from '@otklik/contracts';
import type { Logger } from '@otklik/observability';
import { SubscriberStream } from './subscriber.stream';

/** Where events come from (NATS in the app, a plain function in tests). */
export interface EventSource {
  listen(listener: (event: EventEnvelope) => void): () => void;
}

/**
 * Fetches an entity as the viewer sees it, with the subscriber's selection; the data is keyed
 * by the selection's response keys. Null when the viewer may not see it.
 */
export type EntityResolver<S> = (
  viewer: Viewer,
  id: string,
  selection: S,
  correlationId: string,
) => Promise<Record<string, unknown> | null>;

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
  /** Events waiting per subscriber before the oldest are dropped. */
  maxQueue?: number;
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
 * out to its subscribers, filtering by what each viewer may see, then fetching the entity
 * through the federated graph as that viewer (so a subscription returns what a query would).
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
      resolve: async (event) => {
        const entity = await this.options.resolveCase(
          viewer,
          stringField(event, 'caseId') as string,
          selection,
          event.correlationId,
        );
        return entity && { type: event.type === CASE_OPENED ? 'OPENED' : 'UPDATED', at: event.occurredAt, entity };
      },
    });
    return stream;
  }

  /** The viewer's own notifications. */
  notificationAdded(viewer: Viewer, selection: S): AsyncIterableIterator<NotificationPayload> {
    return this.stream<NotificationPayload>(viewer, this.notificationStreams, {
      accepts: (event) =>
        stringField(event, 'userId') === viewer.userId && stringField(event, 'notificationId') !== undefined,
      resolve: async (event) => {
        const entity = await this.options.resolveNotification(
          viewer,
          stringField(event, 'notificationId') as string,
          selection,
          event.correlationId,
        );
        return entity && { entity };
      },
    });
  }

  private stream<T>(
    viewer: Viewer,
    streams: Map<SubscriberStream<T>, Accepts>,
    behaviour: { accepts: Accepts; resolve(e: EventEnvelope): Promise<T | null> },
  ): SubscriberStream<T> {
    const id = this.nextId++;
    const { logger } = this.options;
    const maxQueue = this.options.maxQueue ?? 1000;
    const stream: SubscriberStream<T> = new SubscriberStream<T>({
      maxQueue,
      resolve: (event) => behaviour.resolve(event),
      onOverflow: () =>
        logger.warn(
          { subscriber: id, login: viewer.login, maxQueue },
          'subscriber reads too slowly: dropping its oldest events beyond the queue limit',
        ),
      onResolveError: (error, event) =>
        logger.error(
          { err: error, subscriber: id, eventId: event.eventId, correlationId: event.correlationId },
          'could not fetch the entity of an event for a subscriber; event skipped',
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
