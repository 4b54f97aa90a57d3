import { addressKey, graphqlRateLimitBody, rateLimitMiddleware } from '@otklik/rate-limit';
import type { Request, RequestHandler } from 'express';
import { authenticationOf } from '../http/authentication';
import type { GatewayRateLimits } from './gateway.rate-limits';

/**
 * The limits of `POST|GET /graphql`: per client address before anything else is done for the
 * request, per login once it is authenticated. A refusal is 429 with Retry-After and a
 * GraphQL-shaped body: `extensions.code` RATE_LIMITED, the `limit` (ip, user) and `retryAfterSeconds`.
 */
export function httpRateLimits(limits: Pick<GatewayRateLimits, 'ip' | 'user'>): {
  perAddress: RequestHandler;
  perUser: RequestHandler;
} {
  return {
    perAddress: rateLimitMiddleware({
      choose: (req) => ({ limit: limits.ip, key: addressKey(req.ip) }),
      body: graphqlRateLimitBody,
    }),
    perUser: rateLimitMiddleware({
      choose: (req, res) => {
        const authentication = authenticationOf(res);
        if (!authentication.ok) return undefined; // answered UNAUTHENTICATED; counted per address only
        return { limit: limits.user, key: authentication.authenticated.login, points: operationsIn(req) };
      },
      body: graphqlRateLimitBody,
    }),
  };
}

/** A batch costs one point per operation (GRAPHQL_MAX_BATCH allows more than one). */
function operationsIn(req: Request): number {
  const body: unknown = req.body;
  return Array.isArray(body) && body.length > 0 ? body.length : 1;
}
