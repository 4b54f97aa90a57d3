import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { RateLimit } from './rate-limiter';
import { describeRateLimit } from './rate-limit.settings';

/** A request refused by a limit: which one, and when to try again. */
export interface RateLimitRefusal {
  /** The limit's name: `ip`, `user`, `source`… */
  limit: string;
  retryAfterSeconds: number;
  /** For people: which limit, its budget, when to try again. */
  message: string;
}

/** The extensions.code of a refusal, over HTTP and the WebSocket alike. */
export const RATE_LIMITED = 'RATE_LIMITED';

/** Which limit applies to a request and under which key (undefined: none; the request goes on). */
export type RateLimitChoice = { limit: RateLimit; key: string; points?: number } | undefined;

export interface RateLimitMiddlewareOptions {
  choose(req: Request, res: Response): RateLimitChoice | Promise<RateLimitChoice>;
  /** The JSON body of the 429 answer (graphqlRateLimitBody, plainRateLimitBody). */
  body(refusal: RateLimitRefusal): object;
}

export function rateLimitRefusal(limit: RateLimit, retryAfterSeconds: number): RateLimitRefusal {
  return {
    limit: limit.name,
    retryAfterSeconds,
    message:
      `too many requests: the "${limit.name}" limit is ${describeRateLimit(limit.setting)}; ` +
      `try again in ${retryAfterSeconds} s`,
  };
}

/** `{ errors: [...] }` as a GraphQL client reads it: extensions.code RATE_LIMITED, the limit, the wait. */
export function graphqlRateLimitBody(refusal: RateLimitRefusal): { errors: object[] } {
  const { limit, retryAfterSeconds, message } = refusal;
  return { errors: [{ message, extensions: { code: RATE_LIMITED, limit, retryAfterSeconds } }] };
}

/** `{ error, limit, retryAfterSeconds }`: the shape of intake's webhook refusals (`{ error }` and details). */
export function plainRateLimitBody(refusal: RateLimitRefusal): {
  error: string;
  limit: string;
  retryAfterSeconds: number;
} {
  return { error: refusal.message, limit: refusal.limit, retryAfterSeconds: refusal.retryAfterSeconds };
}

/** 429 Too Many Requests with `Retry-After` (seconds) and the body. */
export function sendRateLimited(res: Response, refusal: RateLimitRefusal, body: object): void {
  res.status(429).set('Retry-After', String(refusal.retryAfterSeconds)).json(body);
}

/**
 * Express middleware: counts the request against the limit `choose` picks and answers 429 with
 * `Retry-After` once its budget is spent; otherwise the request goes on. An error (a bug: the
 * limiter itself falls back to memory when its database fails) goes to Express's error handling.
 */
export function rateLimitMiddleware(options: RateLimitMiddlewareOptions): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    void (async () => {
      const choice = await options.choose(req, res);
      if (!choice) return next();
      const decision = await choice.limit.consume(choice.key, choice.points);
      if (decision.allowed) return next();
      const refusal = rateLimitRefusal(choice.limit, decision.retryAfterSeconds);
      sendRateLimited(res, refusal, options.body(refusal));
    })().catch(next);
  };
}
