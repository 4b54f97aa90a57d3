import type { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { isAuthError } from '@otklik/auth';
import type { Logger } from '@otklik/observability';
import express, { NextFunction, Request, Response } from 'express';
import { Authenticator, GatewayContext, gatewayContext } from '../auth/auth.context';
import type { TrustProxy } from '../config/gateway.config';
import { authenticationMiddleware, authenticationOf } from './authentication';
import { correlationMiddleware } from './correlation';
import { INTERNAL_ERROR_MESSAGE } from '../graph/error.formatter';
import type { OperationLimits } from '../limits/limits.config';
import { httpOperationLimits } from '../limits/http.limits';
import type { GatewayRateLimits } from '../rate-limit/gateway.rate-limits';
import { httpRateLimits } from '../rate-limit/http.rate-limits';

export interface Health {
  nats: boolean;
  supergraph: boolean;
  /** The rate limits' database (CONTRACT: 503 while it is unreachable, as every app answers). */
  database: boolean;
  /** The staff access list (revoked sessions) is loaded and followed (auth/staff-access.watcher.ts). */
  staffAccess: boolean;
}

export interface HttpAppOptions {
  apollo: ApolloServer<GatewayContext>;
  authenticator: Authenticator;
  internalSecret: string;
  health: () => Promise<Health>;
  logger: Pick<Logger, 'error'>;
  /** Body size, batch, tokens and the allow-list, checked before Apollo Server (limits/http.limits.ts). */
  limits: OperationLimits;
  /** Per client address before authentication, per login after it (rate-limit/). */
  rateLimits: Pick<GatewayRateLimits, 'ip' | 'user'>;
  /** GATEWAY_TRUST_PROXY: Express's 'trust proxy', where `req.ip` (the per-address key) comes from. */
  trustProxy: TrustProxy;
  /** `PUT|GET /attachments/:key` of attachments kept on workflow's local disk. */
  attachments?: express.Router;
}

/**
 * `POST /graphql` (rate-limited per address, then held to the operation limits, authenticated
 * and rate-limited per login before Apollo parses it), `GET /health`, and the signed attachment URLs.
 */
export function createHttpApp(options: HttpAppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy);
  const rateLimits = httpRateLimits(options.rateLimits);

  app.get('/health', (_req, res, next) => {
    options.health().then((health) => {
      const ok = health.nats && health.supergraph && health.database && health.staffAccess;
      res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', ...health });
    }, next);
  });

  app.use(
    '/graphql',
    correlationMiddleware,
    rateLimits.perAddress,
    ...httpOperationLimits(options.limits),
    authenticationMiddleware(options.authenticator),
    rateLimits.perUser,
    expressMiddleware(options.apollo, {
      // Apollo Server awaits the context inside its own try: a throw here is answered like a rejection.
      context: ({ res }): Promise<GatewayContext> => {
        const authentication = authenticationOf(res);
        if (!authentication.ok) {
          const { error } = authentication;
          // A GraphQLError reaches the client as it is (401, UNAUTHENTICATED); anything else is masked.
          throw isAuthError(error) ? error.toGraphQLError(401) : error;
        }
        const { viewer } = authentication.authenticated;
        return Promise.resolve(gatewayContext(viewer, res.locals.correlationId as string, options.internalSecret));
      },
    }),
  );

  if (options.attachments) app.use(options.attachments);

  // Body-parser failures (bad JSON, too large) as GraphQL-shaped JSON rather than Express's HTML page.
  app.use((error: { status?: number; message?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const status = typeof error.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) options.logger.error({ err: error }, 'unexpected HTTP error');
    const message = status === 500 ? INTERNAL_ERROR_MESSAGE : (error.message ?? 'bad request');
    res
      .status(status)
      .json({ errors: [{ message, extensions: { code: status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST' } }] });
  });
  return app;
}
