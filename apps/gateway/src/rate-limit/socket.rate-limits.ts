import type { Logger } from '@otklik/observability';
import { addressKey, RATE_LIMITED, RateLimit, rateLimitRefusal } from '@otklik/rate-limit';
import { GraphQLError } from 'graphql';
import type { IncomingMessage } from 'node:http';
import type { VerifyClientCallbackAsync } from 'ws';
import type { GatewayRateLimits } from './gateway.rate-limits';

/** The limits as the graphql-ws server applies them (subscriptions/ws.server.ts). */
export interface SocketRateLimits {
  /**
   * ws's verifyClient: each connection counts against its address's budget; over it, the
   * upgrade is answered 429 Too Many Requests with Retry-After, and no socket is opened.
   */
  readonly verifyClient: VerifyClientCallbackAsync;
  /**
   * Each Subscribe message counts against its login's budget; over it, that operation gets an
   * Error message (RATE_LIMITED, retryAfterSeconds) and the socket stays open.
   */
  subscribe(login: string): Promise<GraphQLError[] | undefined>;
}

export function socketRateLimits(
  limits: Pick<GatewayRateLimits, 'ip' | 'user'>,
  clientAddress: (req: IncomingMessage) => string | undefined,
  logger: Pick<Logger, 'error'>,
): SocketRateLimits {
  return {
    verifyClient: (info, callback) => {
      limits.ip.consume(addressKey(clientAddress(info.req))).then(
        (decision) => {
          if (decision.allowed) return callback(true);
          const refusal = rateLimitRefusal(limits.ip, decision.retryAfterSeconds);
          callback(false, 429, refusal.message, { 'Retry-After': String(refusal.retryAfterSeconds) });
        },
        (error: unknown) => {
          logger.error({ err: error }, 'rate limit of a WebSocket connection failed');
          callback(false, 500, 'Internal Server Error');
        },
      );
    },
    subscribe: async (login) => {
      const decision = await limits.user.consume(login);
      return decision.allowed ? undefined : [rateLimitedError(limits.user, decision.retryAfterSeconds)];
    },
  };
}

function rateLimitedError(limit: RateLimit, retryAfterSeconds: number): GraphQLError {
  const refusal = rateLimitRefusal(limit, retryAfterSeconds);
  return new GraphQLError(refusal.message, {
    extensions: { code: RATE_LIMITED, limit: refusal.limit, retryAfterSeconds },
  });
}
