import { AuthError, canSeeOrganization, Viewer } from '@otklik/auth';
import { CaseOpened, CaseTransitioned, EventEnvelope } from '@otklik/contracts';
import type { Logger } from '@otklik/observability';
import { DEFAULT_MAX_BATCH, SubscriberStream } from './subscriber.stream';

/** Where events come from (NATS in the app, a plain function in tests). */
export interface EventSource {
  listen(listener: (event: EventEnvelope) => void): () => void;
}

/**
 * Who a subscription is for (a LiveViewer in the app): the viewer as last known, cheap to read
 * for every event, and the viewer as it is now, asked for before each batch is fetched.
 */
export interface Subscriber {
  /** The login of the connection's verified JWT. */
  readonly login: string;
  /** The last known viewer. */
  readonly viewer: Viewer;
  /** Whether the last known viewer may be out of date (it may see organisations it does not show yet). */
  readonly stale: boolean;
  /** The viewer as it is now (at most ~30 s old), or null when the person no longer exists. */
  current(): Promise<Viewer | null>;
  /**
   * Calls `listener` whenever the viewer is found changed between events (a role withdrawn,
   * announced on the staff access list); returns how to stop listening.
   */
  onChange?(listener: (viewer: Viewer) => void): () => void;
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

export type CaseEventType = 'OPENED' | 'TRANSITIONED' | 'PUBLISHED' | 'PUBLICATION_FAILED' | 'UPDATED';

/** What a case.transitioned event says of the move; every field null for other case events. */
export interface CaseTransitionFields {
  action: string | null;
  from: string | null;
  to: string | null;
  actor: string | null;
  reason: string | null;
}

export interface CaseEventPayload extends CaseTransitionFields {
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

/** How a stream picks and resolves its events; `viewer` is always the current one. */
interface StreamBehaviour<T> {
  /** Whether an arriving event is queued (with the last known viewer: cheap, may let through a few too many). */
  offered: Accepts;
  /** An error ending the subscription when the viewer may no longer have it at all. */
  refusal?(viewer: Viewer): AuthError | undefined;
  /** Whether the viewer may still see a queued event. */
  visible(viewer: Viewer, event: EventEnvelope): boolean;
  /** Resolves the visible events of a batch, one result per event. */
  resolve(viewer: Viewer, events: readonly EventEnvelope[]): Promise<ReadonlyArray<T | null>>;
}

const CASE_EVENT_PREFIX = 'case.';
const NOTIFICATION_CREATED = 'notification.created';

const stringField = (event: EventEnvelope, key: string): string | undefined => {
  const value = event.data[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/**
 * The organisations a case event concerns: the one it was published for (the case's, after the
 * event) and, for a case routed elsewhere, the one it left (`fromOrganizationId`).
 */
export function organizationsOf(event: EventEnvelope): string[] {
  const left = stringField(event, 'fromOrganizationId');
  return left && left !== event.organizationId ? [event.organizationId, left] : [event.organizationId];
}

/** Transitions that report a publication's outcome (notify's publication.completed, as workflow recorded it). */
const PUBLICATION_EVENTS: Readonly<Record<string, CaseEventType>> = {
  ANSWER_PUBLISHED: 'PUBLISHED',
  PUBLICATION_FAILED: 'PUBLICATION_FAILED',
};

/** How a case event shows to subscribers: its CaseEventType and, for a transition, the move. */
export function describeCaseEvent(event: EventEnvelope): { type: CaseEventType } & CaseTransitionFields {
  const field = (key: string) => stringField(event, key) ?? null;
  if (event.type === CaseTransitioned.name) {
    return {
      type: PUBLICATION_EVENTS[field('action') ?? ''] ?? 'TRANSITIONED',
      action: field('action'),
      from: field('fromStatus'),
      to: field('toStatus'),
      actor: field('actor'),
      reason: field('reason'),
    };
  }
  const type = event.type === CaseOpened.name ? 'OPENED' : 'UPDATED';
  return { type, action: null, from: null, to: null, actor: null, reason: null };
}

/**
 * Carries events to GraphQL subscribers: each replica listens to every event once and fans
 * out to its subscribers, filtering by what each viewer may see, then fetching the entities
 * through the federated graph as that viewer (so a subscription returns what a query would),
 * one fetch per batch of the events queued for a subscriber. Events are queued with the
 * viewer as last known; each batch is checked and fetched with the viewer as it is now, so a
 * change of roles or organisations reaches open subscriptions within the viewer cache's 30 s —
 * at once when workflow announced it on the staff access list (the subscriber's onChange).
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

  /**
   * Case events the viewer may see; with `organizationId`, of that organisation only (FORBIDDEN
   * if not visible, at subscribe or later). An event concerns the case's organisation and, when
   * the case was routed elsewhere, the one it left: a subscriber of either gets it, as long as
   * the case itself is still visible to them when fetched. Visibility is checked again against
   * the current viewer before each batch is fetched.
   */
  caseEvents(
    subscriber: Subscriber,
    options: { organizationId?: string | null; selection: S },
  ): AsyncIterableIterator<CaseEventPayload> {
    const { organizationId, selection } = options;
    const refusal = (viewer: Viewer) =>
      organizationId && !canSeeOrganization(viewer, organizationId)
        ? new AuthError('FORBIDDEN', `you may not see the events of organisation ${organizationId}`)
        : undefined;
    const refused = refusal(subscriber.viewer);
    if (refused) throw refused;
    return this.stream<CaseEventPayload>(subscriber, this.caseStreams, {
      // An out-of-date viewer may see more than it shows: its events are queued and checked against the current one.
      offered: (event) => {
        const concerned = organizationsOf(event);
        return (
          (!organizationId || concerned.includes(organizationId)) &&
          stringField(event, 'caseId') !== undefined &&
          (subscriber.stale || concerned.some((id) => canSeeOrganization(subscriber.viewer, id)))
        );
      },
      refusal,
      visible: (viewer, event) => organizationsOf(event).some((id) => canSeeOrganization(viewer, id)),
      resolve: async (viewer, events) => {
        const entities = await this.options.resolveCase(
          viewer,
          events.map((event) => stringField(event, 'caseId') as string),
          selection,
          events.map((event) => event.correlationId),
        );
        return events.map((event, i) => {
          const entity = entities[i];
          return entity ? { ...describeCaseEvent(event), at: event.occurredAt, entity } : null;
        });
      },
    });
  }

  /** The viewer's own notifications. */
  notificationAdded(subscriber: Subscriber, selection: S): AsyncIterableIterator<NotificationPayload> {
    const own = (viewer: Viewer, event: EventEnvelope) => stringField(event, 'userId') === viewer.userId;
    return this.stream<NotificationPayload>(subscriber, this.notificationStreams, {
      offered: (event) => own(subscriber.viewer, event) && stringField(event, 'notificationId') !== undefined,
      visible: own,
      resolve: async (viewer, events) => {
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
    subscriber: Subscriber,
    streams: Map<SubscriberStream<T>, Accepts>,
    behaviour: StreamBehaviour<T>,
  ): SubscriberStream<T> {
    const id = this.nextId++;
    const { login } = subscriber;
    const { logger } = this.options;
    const maxQueue = this.options.maxQueue ?? 1000;

    /** The batch as the viewer is now: ends the stream if the person is gone or may no longer have it. */
    const resolveBatch = async (events: readonly EventEnvelope[]): Promise<ReadonlyArray<T | null>> => {
      const skipped = events.map(() => null);
      const viewer = await subscriber.current();
      if (!viewer) {
        logger.debug({ subscriber: id, login }, 'the subscriber no longer exists: subscription completed');
        stream.close();
        return skipped;
      }
      const refusal = behaviour.refusal?.(viewer);
      if (refusal) {
        logger.debug({ subscriber: id, login, reason: refusal.message }, 'subscription refused now: ended');
        stream.fail(refusal);
        return skipped;
      }
      // Queued with the last known viewer: events the viewer may no longer see are left out.
      const shown = events.map((event) => behaviour.visible(viewer, event));
      const visible = events.filter((_event, i) => shown[i]);
      if (visible.length === 0) return skipped;
      const resolved = await behaviour.resolve(viewer, visible);
      if (resolved.length !== visible.length)
        throw new Error(`resolving ${visible.length} events gave ${resolved.length} results`);
      let next = 0;
      return shown.map((isShown) => (isShown ? resolved[next++] : null));
    };

    const stream: SubscriberStream<T> = new SubscriberStream<T>({
      maxQueue,
      maxBatch: this.options.maxBatch ?? DEFAULT_MAX_BATCH,
      resolveBatch,
      onOverflow: () =>
        logger.warn(
          { subscriber: id, login, maxQueue },
          'subscriber reads too slowly: dropping its oldest events beyond the queue limit',
        ),
      onResolveError: (error, events) =>
        logger.error(
          {
            err: error,
            subscriber: id,
            login,
            events: events.length,
            eventIds: events.map((e) => e.eventId),
            correlationIds: events.map((e) => e.correlationId),
          },
          'could not fetch the entities of a batch of events for a subscriber; those events skipped',
        ),
      onClose: () => {
        unwatch?.();
        streams.delete(stream);
        logger.debug({ subscriber: id, login }, 'subscription ended');
      },
    });
    // A subscription the changed viewer may no longer have ends at once, not at its next event.
    const unwatch = subscriber.onChange?.((viewer) => {
      const refusal = behaviour.refusal?.(viewer);
      if (!refusal) return;
      logger.debug({ subscriber: id, login, reason: refusal.message }, 'subscription refused now: ended');
      stream.fail(refusal);
    });
    streams.set(stream, behaviour.offered);
    return stream;
  }
}
