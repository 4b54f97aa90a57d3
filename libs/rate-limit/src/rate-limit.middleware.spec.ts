import type { NextFunction, Request, Response } from 'express';
import {
  graphqlRateLimitBody,
  plainRateLimitBody,
  RateLimitChoice,
  rateLimitMiddleware,
  RateLimitRefusal,
} from './rate-limit.middleware';
import type { RateLimit, RateLimitDecision } from './rate-limiter';

/** A limit that answers what the test says, remembering what it was asked. */
function limitAnswering(decision: RateLimitDecision | Error) {
  const asked: Array<[string, number | undefined]> = [];
  const limit: RateLimit = {
    name: 'ip',
    setting: { points: 600, durationSeconds: 60 },
    consume: (key, points) => {
      asked.push([key, points]);
      return decision instanceof Error ? Promise.reject(decision) : Promise.resolve(decision);
    },
  };
  return { limit, asked };
}

/** Runs the middleware once; resolves when it called next or answered. */
function run(choose: () => RateLimitChoice, body: (refusal: RateLimitRefusal) => object = graphqlRateLimitBody) {
  const sent: { status?: number; headers: Record<string, string>; body?: unknown } = { headers: {} };
  let done: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const res = {
    status(code: number) {
      sent.status = code;
      return res;
    },
    set(name: string, value: string) {
      sent.headers[name] = value;
      return res;
    },
    json(value: unknown) {
      sent.body = value;
      done();
      return res;
    },
  } as unknown as Response;
  const nextCalls: unknown[][] = [];
  const next = ((...args: unknown[]) => {
    nextCalls.push(args);
    done();
  }) as NextFunction;
  rateLimitMiddleware({ choose, body })({} as Request, res, next);
  return finished.then(() => ({ sent, nextCalls }));
}

describe('rateLimitMiddleware: 429 with Retry-After once the budget is spent, otherwise on to the next handler', () => {
  it('a request within the budget goes on, and nothing is answered', async () => {
    const { limit, asked } = limitAnswering({ allowed: true });
    const { sent, nextCalls } = await run(() => ({ limit, key: '203.0.113.7' }));
    expect(nextCalls).toEqual([[]]);
    expect(sent.status).toBeUndefined();
    expect(asked).toEqual([['203.0.113.7', undefined]]);
  });

  it('a request over the budget is answered 429 with Retry-After and a GraphQL-shaped body naming the limit', async () => {
    const { limit } = limitAnswering({ allowed: false, retryAfterSeconds: 17 });
    const { sent, nextCalls } = await run(() => ({ limit, key: '203.0.113.7' }));
    expect(nextCalls).toEqual([]);
    expect(sent.status).toBe(429);
    expect(sent.headers).toEqual({ 'Retry-After': '17' });
    expect(sent.body).toEqual({
      errors: [
        {
          message: 'too many requests: the "ip" limit is 600 requests per 60 s; try again in 17 s',
          extensions: { code: 'RATE_LIMITED', limit: 'ip', retryAfterSeconds: 17 },
        },
      ],
    });
  });

  it('the webhooks’ plain body: { error, limit, retryAfterSeconds }', async () => {
    const { limit } = limitAnswering({ allowed: false, retryAfterSeconds: 3 });
    const { sent } = await run(() => ({ limit, key: 'demo-webhook' }), plainRateLimitBody);
    expect(sent.body).toEqual({
      error: 'too many requests: the "ip" limit is 600 requests per 60 s; try again in 3 s',
      limit: 'ip',
      retryAfterSeconds: 3,
    });
  });

  it('no limit chosen: the request goes on without counting', async () => {
    const { asked } = limitAnswering({ allowed: false, retryAfterSeconds: 1 });
    const { nextCalls } = await run(() => undefined);
    expect(nextCalls).toEqual([[]]);
    expect(asked).toEqual([]);
  });

  it('the points chosen are what is counted (a batch of 3 operations costs 3)', async () => {
    const { limit, asked } = limitAnswering({ allowed: true });
    await run(() => ({ limit, key: 'official', points: 3 }));
    expect(asked).toEqual([['official', 3]]);
  });

  it('a limiter that fails is Express’s error to handle, not an answer of its own', async () => {
    const failure = new Error('bug');
    const { limit } = limitAnswering(failure);
    const { sent, nextCalls } = await run(() => ({ limit, key: 'k' }));
    expect(nextCalls).toEqual([[failure]]);
    expect(sent.status).toBeUndefined();
  });
});
