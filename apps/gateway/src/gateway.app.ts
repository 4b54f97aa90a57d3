import { CLOCK_TOLERANCE_SECONDS, createJwtVerifier, DEFAULT_MAX_TOKEN_LIFETIME_SECONDS } from '@otklik/auth';
import type { Logger } from '@otklik/observability';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Authenticator, gatewayContext } from './auth/auth.context';
import { ViewerRefresher } from './auth/live.viewer';
import { StaffAccessWatcher } from './auth/staff-access.watcher';
import { ViewerClient, ViewerLookup } from './auth/viewer.client';
import type { GatewayConfig } from './config/gateway.config';
import { readSubscriptionsSdl, readSupergraph } from './config/repo.files';
import { createGatewayServer } from './graph/apollo.server';
import { withCheckedScalars } from './graph/checked.inputs';
import { createErrorFormatter } from './graph/error.formatter';
import { upgradeClientAddress } from './http/client-address';
import { createHttpApp } from './http/http.app';
import { createAttachmentRoutes } from './attachments/attachment.routes';
import { ownOperation } from './limits/own.operation';
import { socketOperationLimits } from './limits/socket.limits';
import { openGatewayRateLimits } from './rate-limit/gateway.rate-limits';
import { socketRateLimits } from './rate-limit/socket.rate-limits';
import { batchIndexOf, batchVariables, EntitySelection, readBatch } from './subscriptions/entity.query';
import { NatsEventFeed } from './subscriptions/nats.feed';
import { EntityResolver, SubscriptionBridge } from './subscriptions/subscription.bridge';
import { buildSubscriptionSchema, extendWithSubscriptions } from './subscriptions/subscription.schema';
import { startSubscriptionServer } from './subscriptions/ws.server';

export interface RunningGateway {
  readonly httpServer: Server;
  readonly port: number;
  readonly feed: NatsEventFeed;
  /** Live subscriptions on this replica. */
  subscribers(): number;
  /** Closes HTTP, WebSocket and NATS, letting work in flight finish. */
  stop(): Promise<void>;
}

export interface GatewayOverrides {
  /** Replaces the workflow lookup (tests). */
  viewers?: ViewerLookup;
}

/**
 * Wires the gateway: supergraph → Apollo Gateway over HTTP; NATS → bridge → graphql-ws; rate
 * limits (counted in PostgreSQL, shared by replicas) and auth in front of both.
 */
export async function startGateway(
  config: GatewayConfig,
  logger: Logger,
  overrides: GatewayOverrides = {},
): Promise<RunningGateway> {
  const rateLimits = await openGatewayRateLimits(config, logger);
  const supergraph = readSupergraph(config.supergraphPath);
  const subscriptionsSdl = readSubscriptionsSdl();
  const formatError = createErrorFormatter(logger, { production: config.production });
  // One lookup (cached 30 s, concurrent lookups shared) for HTTP requests and open WebSockets alike.
  const viewers =
    overrides.viewers ??
    new ViewerClient({ workflowBaseUrl: config.workflowBaseUrl, internalSecret: config.internalSecret });
  const subscriptionsLogger = logger.child({ component: 'subscriptions' });
  // Revoked sessions and access changes, from workflow through NATS KV: refused on HTTP, applied to open sockets at once.
  const staffAccess = new StaffAccessWatcher({
    servers: config.natsServers,
    security: config.natsSecurity,
    prefix: config.eventsPrefix,
    retentionSeconds:
      (config.auth.maxTokenLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS.production) + CLOCK_TOLERANCE_SECONDS,
    logger: logger.child({ component: 'staff-access' }),
  });
  const liveViewers = new ViewerRefresher(viewers, subscriptionsLogger);
  staffAccess.subscribe(liveViewers);
  const authenticator = new Authenticator(createJwtVerifier(config.auth), viewers, staffAccess);

  const { apollo, gateway } = createGatewayServer({
    supergraphSdl: supergraph.sdl,
    subgraphUrls: config.subgraphUrls,
    extendSchema: (apiSchema) => extendWithSubscriptions(withCheckedScalars(apiSchema), subscriptionsSdl),
    formatError,
    logger,
    limits: config.limits,
  });
  await apollo.start();
  const apiSchema = gateway.apiSchema;
  if (!apiSchema) throw new Error(`the supergraph ${supergraph.path} loaded no schema`);
  logger.info({ supergraph: supergraph.path }, 'supergraph loaded');

  /**
   * Runs the entity query of a batch of events through the gateway as the subscriber, in one
   * operation; an entry is null when the viewer may not see that entity (or it failed).
   */
  const resolveEntities: EntityResolver<EntitySelection> = async (viewer, ids, selection, correlationIds) => {
    if (ids.length === 0) return [];
    const response = await apollo.executeOperation(
      { query: selection.queryFor(ids.length), variables: batchVariables(selection, ids) },
      // One request for the batch: it carries the first event's correlation id (all are logged on errors).
      // Up to 100 aliased entities of a subscription checked when it started: exempt from the shape and cost limits.
      { contextValue: ownOperation(gatewayContext(viewer, correlationIds[0], config.internalSecret)) },
    );
    if (response.body.kind !== 'single') throw new Error('unexpected incremental response to an entity query');
    const { data, errors } = response.body.singleResult;
    // No data at all: the whole batch failed (the bridge logs it with the events and skips them).
    if (!data) throw Object.assign(new Error('entity query of subscription events failed'), { errors });
    if (errors?.length) {
      const failed = new Set(errors.map((e) => batchIndexOf(e.path?.[0])));
      logger.warn(
        { errors, ids, correlationIds, failedIds: ids.filter((_id, i) => failed.has(i)), login: viewer.login },
        'entity query of subscription events answered with errors',
      );
    }
    return readBatch(selection, data, ids.length);
  };

  const feed = new NatsEventFeed({
    servers: config.natsServers,
    security: config.natsSecurity,
    prefix: config.eventsPrefix,
    logger: logger.child({ component: 'nats-feed' }),
  });
  const bridge = new SubscriptionBridge<EntitySelection>({
    events: feed,
    resolveCase: resolveEntities,
    resolveNotification: resolveEntities,
    logger: subscriptionsLogger,
  });
  bridge.start();

  const app = createHttpApp({
    apollo,
    authenticator,
    internalSecret: config.internalSecret,
    health: async () => ({
      nats: feed.connected,
      supergraph: true,
      database: await rateLimits.databaseReachable(),
      staffAccess: staffAccess.ready,
    }),
    logger,
    limits: config.limits,
    rateLimits,
    trustProxy: config.trustProxy,
    attachments: createAttachmentRoutes({
      workflowBaseUrl: config.workflowBaseUrl,
      internalSecret: config.internalSecret,
      logger: logger.child({ component: 'attachments' }),
    }),
  });
  const httpServer = createServer(app);
  const socketSchema = buildSubscriptionSchema(apiSchema, subscriptionsSdl, bridge);
  const ws = startSubscriptionServer({
    httpServer,
    path: '/graphql',
    schema: socketSchema,
    limits: socketOperationLimits(socketSchema, config.limits),
    rateLimits: socketRateLimits(rateLimits, (req) => upgradeClientAddress(app, req), logger),
    authenticator,
    viewers: liveViewers,
    internalSecret: config.internalSecret,
    apollo,
    formatError,
    logger,
  });
  staffAccess.start();
  // Serve with the revocation list loaded; without NATS start anyway (/health 503, requests refused until it loads).
  await staffAccess
    .untilLoaded(5000)
    .catch((error: unknown) => logger.warn({ err: error }, 'starting before the staff access list is loaded'));
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  feed.start();
  logger.info({ port, graphql: `http://127.0.0.1:${port}/graphql` }, 'gateway listening');

  let stopping: Promise<void> | undefined;
  const stop = async () => {
    const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
    httpServer.closeIdleConnections();
    await ws.close();
    bridge.stop();
    await feed.stop();
    await staffAccess.stop();
    await apollo.stop();
    await rateLimits.close();
    const forced = setTimeout(() => httpServer.closeAllConnections(), 5000).unref();
    await closed;
    clearTimeout(forced);
    logger.info('gateway stopped');
  };
  return { httpServer, port, feed, subscribers: () => bridge.subscriberCount, stop: () => (stopping ??= stop()) };
}
