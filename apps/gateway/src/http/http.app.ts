import type { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { isAuthError } from '@otklik/auth';
import type { Logger } from '@otklik/observability';
import express, { NextFunction, Request, Response } from 'express';
import { Authenticator, GatewayContext, gatewayContext } from '../auth/auth.context';
import { correlationMiddleware } from './correlation';
import { INTERNAL_ERROR_MESSAGE } from '../graph/error.formatter';
import type { OperationLimits } from '../limits/limits.config';
import { httpOperationLimits } from '../limits/http.limits';

export interface Health {
  nats: boolean;
  supergraph: boolean;
}

export interface HttpAppOptions {
  apollo: ApolloServer<GatewayContext>;
  authenticator: Authenticator;
  internalSecret: string;
  health: () => Health;
  logger: Pick<Logger, 'error'>;
  /** Body size, batch, tokens and the allow-list, checked before Apollo Server (limits/http.limits.ts). */
  limits: OperationLimits;
  /** `PUT|GET /attachments/:key` of attachments kept on workflow's local disk. */
  attachments?: express.Router;
}

/**
 * `POST /graphql` (every request authenticated before it is parsed), `GET /health`, and the
 * signed attachment URLs.
 */
export function createHttpApp(options: HttpAppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');

  app.get('/health', (_req, res) => {
    const health = options.health();
    const ok = health.nats && health.supergraph;
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', ...health });
  });

  app.use(
    '/graphql',
    correlationMiddleware,
    ...httpOperationLimits(options.limits),
    expressMiddleware(options.apollo, {
      context: async ({ req, res }): Promise<GatewayContext> => {
        try {
          const { viewer } = await options.authenticator.authenticate(req.header('authorization'));
          return gatewayContext(viewer, res.locals.correlationId as string, options.internalSecret);
        } catch (error) {
          // A GraphQLError reaches the client as it is (401, UNAUTHENTICATED); anything else is masked.
          throw isAuthError(error) ? error.toGraphQLError(401) : error;
        }
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
