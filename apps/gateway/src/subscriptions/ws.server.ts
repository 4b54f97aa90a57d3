import type { ApolloServer } from '@apollo/server';
import { isAuthError } from '@otklik/auth';
import { newCorrelationId, type Logger } from '@otklik/observability';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import {
  ExecutionArgs,
  ExecutionResult,
  GraphQLError,
  GraphQLFormattedError,
  GraphQLSchema,
  print,
  subscribe,
} from 'graphql';
import type { Server } from 'node:http';
import { WebSocketServer } from 'ws';
import { Authenticator, GatewayContext, gatewayContext } from '../auth/auth.context';
import type { LiveViewer, ViewerRefresher } from '../auth/live.viewer';
import type { SocketOperationLimits } from '../limits/socket.limits';
import type { SocketRateLimits } from '../rate-limit/socket.rate-limits';
import { prefetchedFieldResolver, SubscriptionContext } from './subscription.schema';

export interface SubscriptionServerOptions {
  httpServer: Server;
  path: string;
  /** The schema from buildSubscriptionSchema. */
  schema: GraphQLSchema;
  authenticator: Authenticator;
  /** Keeps each connection's viewer current (the same cached lookup as the authenticator's). */
  viewers: ViewerRefresher;
  internalSecret: string;
  /** Queries and mutations sent over the socket run through the gateway like HTTP ones. */
  apollo: ApolloServer<GatewayContext>;
  /** The operation limits, applied to every Subscribe message and to the size of every message. */
  limits: SocketOperationLimits;
  /** Per address at the upgrade (429), per login for each Subscribe message (RATE_LIMITED, socket kept). */
  rateLimits?: SocketRateLimits;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
}

interface ConnectionExtra extends Record<PropertyKey, unknown> {
  /** Set once the connection is authenticated. */
  viewer?: LiveViewer;
}

/** setTimeout's limit; a token valid for longer is re-checked when this fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * graphql-ws (protocol graphql-transport-ws) on the gateway's HTTP server. The connection
 * authenticates once with `connectionParams.authorization = "Bearer <JWT>"`; without a valid
 * token it is closed with 4403 Forbidden (graphql-ws's convention, so a client may retry with a
 * fresh token) and the reason, and it is closed the same way when the token expires or is
 * revoked, or the person no longer exists. The login of the token is kept: each operation, and
 * each batch of a subscription's events, uses the viewer as it is now (workflow's answer, cached
 * 30 s, dropped at once when the staff access list says the person's access changed).
 */
export function startSubscriptionServer(options: SubscriptionServerOptions): { close(): Promise<void> } {
  const { authenticator, logger } = options;
  const wss = new WebSocketServer({
    server: options.httpServer,
    path: options.path,
    maxPayload: options.limits.maxMessageBytes,
    verifyClient: options.rateLimits?.verifyClient,
  });

  const server = useServer<Record<string, unknown> | undefined, ConnectionExtra>(
    {
      schema: options.schema,
      onConnect: async (ctx) => {
        const authorization = ctx.connectionParams?.authorization;
        const { socket } = ctx.extra;
        try {
          const { login, viewer, expiresAt, token } = await authenticator.authenticate(
            typeof authorization === 'string' ? authorization : undefined,
          );
          const live = options.viewers.track(
            { login, viewer, token },
            {
              gone: () => {
                logger.info({ login }, 'the user of a WebSocket no longer exists: closing it');
                socket.close(CloseCode.Forbidden, 'Forbidden: unknown user');
              },
              revoked: (reason) => {
                logger.info({ login, reason }, 'the session of a WebSocket was revoked: closing it');
                socket.close(CloseCode.Forbidden, `Forbidden: ${reason}`);
              },
            },
          );
          // Closed while authenticating: no 'close' event is left to come.
          if (socket.readyState === socket.CLOSING || socket.readyState === socket.CLOSED) live.dispose();
          else socket.once('close', () => live.dispose());
          ctx.extra.viewer = live;
          closeAtExpiry(socket, expiresAt);
          return true;
        } catch (error) {
          if (!isAuthError(error)) throw error;
          logger.info({ reason: error.message }, 'WebSocket connection refused');
          // graphql-ws would close with a bare "Forbidden"; the reason tells the client what to fix.
          socket.close(CloseCode.Forbidden, closeReason(`Forbidden: ${error.message}`));
          return false;
        }
      },
      // The operation limits, then the login's rate limit; then each operation starts with the viewer as it is now (an unknown user's socket is being closed).
      onSubscribe: async (ctx, _id, payload) => {
        const refused = options.limits.check(payload);
        if (refused) return refused;
        const live = ctx.extra.viewer;
        const limited = live && (await options.rateLimits?.subscribe(live.login));
        if (limited) return limited;
        if (live && !(await live.current())) return [live.revoked ? sessionRevoked() : unknownUser()];
      },
      context: (ctx): SubscriptionContext => {
        const live = ctx.extra.viewer;
        if (!live) throw new GraphQLError('not authenticated', { extensions: { code: 'UNAUTHENTICATED' } });
        return { ...gatewayContext(live.viewer, newCorrelationId(), options.internalSecret), subscriber: live };
      },
      subscribe: (args: ExecutionArgs) => subscribe({ ...args, fieldResolver: prefetchedFieldResolver }),
      execute: (args: ExecutionArgs) => executeThroughGateway(options.apollo, args),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map((e) => formatOne(e, options.formatError)) } : undefined,
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatOne(e, options.formatError)),
    },
    wss,
  );

  return {
    close: async () => {
      await server.dispose();
    },
  };
}

const unknownUser = () => new GraphQLError('unknown user', { extensions: { code: 'UNAUTHENTICATED' } });
const sessionRevoked = () => new GraphQLError('session revoked', { extensions: { code: 'UNAUTHENTICATED' } });

/** A WebSocket close reason is at most 123 bytes (RFC 6455). */
function closeReason(reason: string): string {
  let cut = reason;
  while (Buffer.byteLength(cut) > 123) cut = cut.slice(0, -1);
  return cut;
}

function closeAtExpiry(
  socket: { close(code: number, reason: string): void; once(event: 'close', fn: () => void): unknown },
  expiresAt: Date,
): void {
  let timer: NodeJS.Timeout;
  const arm = () => {
    const remaining = expiresAt.getTime() - Date.now();
    timer =
      remaining > MAX_TIMER_MS
        ? setTimeout(arm, MAX_TIMER_MS)
        : setTimeout(() => socket.close(CloseCode.Forbidden, 'Forbidden: token expired'), remaining);
    timer.unref();
  };
  arm();
  socket.once('close', () => clearTimeout(timer));
}

/** Errors may be GraphQLErrors (subscriptions) or already formatted by Apollo (queries over the socket). */
function formatOne(
  error: GraphQLError | GraphQLFormattedError,
  format: SubscriptionServerOptions['formatError'],
): GraphQLFormattedError {
  return error instanceof GraphQLError ? format(error.toJSON(), error) : error;
}

async function executeThroughGateway(
  apollo: ApolloServer<GatewayContext>,
  args: ExecutionArgs,
): Promise<ExecutionResult> {
  const response = await apollo.executeOperation(
    {
      query: print(args.document),
      operationName: args.operationName ?? undefined,
      variables: args.variableValues ?? undefined,
    },
    { contextValue: args.contextValue as GatewayContext },
  );
  if (response.body.kind !== 'single') throw new Error('incremental delivery is not supported over WebSocket');
  const { data, errors, extensions } = response.body.singleResult;
  // Apollo has formatted (and masked) these already; graphql-ws serialises them as they are.
  return { data, errors: errors as unknown as GraphQLError[] | undefined, extensions };
}
