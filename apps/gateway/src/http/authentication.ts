import type { RequestHandler, Response } from 'express';
import type { Authenticated, Authenticator } from '../auth/auth.context';

/** How authenticating one HTTP request ended; read by the per-user limit and by Apollo's context. */
export type Authentication = { ok: true; authenticated: Authenticated } | { ok: false; error: unknown };

/**
 * Authenticates the request once, before the per-user rate limit, and keeps the outcome: a
 * failure is not answered here but by Apollo's context (401 UNAUTHENTICATED, as before), so the
 * checks of the body and the operation still come first in what the client is told.
 */
export function authenticationMiddleware(authenticator: Authenticator): RequestHandler {
  return (req, res, next) => {
    authenticator.authenticate(req.header('authorization')).then(
      (authenticated) => {
        res.locals.authentication = { ok: true, authenticated } satisfies Authentication;
        next();
      },
      (error: unknown) => {
        res.locals.authentication = { ok: false, error } satisfies Authentication;
        next();
      },
    );
  };
}

export function authenticationOf(res: Response): Authentication {
  const authentication = res.locals.authentication as Authentication | undefined;
  return authentication ?? { ok: false, error: new Error('the request was not authenticated') };
}
