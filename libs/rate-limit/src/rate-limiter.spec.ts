import type { QueryConfig, QueryResult } from 'pg';
import { createRateLimiter, RateLimitPool } from './rate-limiter';

/** A pool that fails like an unreachable database until told otherwise, then answers as PostgreSQL would. */
class SwitchablePool implements RateLimitPool {
  down = true;
  readonly sent: QueryConfig[] = [];

  query(config: QueryConfig): Promise<QueryResult> {
    this.sent.push(config);
    if (this.down) {
      return Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
    }
    // The row the upsert returns: the first request of a fresh window.
    const row = { points: Number((config.values as unknown[])[1]), expire: String(Date.now() + 60_000) };
    return Promise.resolve({ rows: [row], rowCount: 1 } as QueryResult);
  }
}

function logger() {
  return { warn: jest.fn(), info: jest.fn() };
}

describe('createRateLimiter: shared through PostgreSQL, per replica while the database is away', () => {
  const setting = { points: 3, durationSeconds: 60 };

  it('database down: each replica still counts (the same budget, in memory) instead of refusing or failing everything', async () => {
    const pool = new SwitchablePool();
    const log = logger();
    const limit = createRateLimiter({ pool, schema: 'gateway', name: 'ip', setting, logger: log });

    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await limit.consume('203.0.113.7'));
    expect(decisions.slice(0, 3)).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }]);
    expect(decisions[3]).toEqual({ allowed: false, retryAfterSeconds: expect.any(Number) });
    const wait = (decisions[3] as { retryAfterSeconds: number }).retryAfterSeconds;
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
    // Another key has a budget of its own.
    expect(await limit.consume('198.51.100.1')).toEqual({ allowed: true });
    // The database was asked once: for a while after a failure, no request waits for it. The outage is logged once, with its cause.
    expect(pool.sent).toHaveLength(1);
    expect(log.warn).toHaveBeenCalledTimes(1);
    expect(log.warn.mock.calls[0][0]).toMatchObject({ limit: 'ip', err: { code: 'ECONNREFUSED' } });
    expect(log.warn.mock.calls[0][1]).toContain('each replica counts alone (3 requests per 60 s each)');
  });

  it('the database back: counts go to it again, said once', async () => {
    const pool = new SwitchablePool();
    const log = logger();
    const limit = createRateLimiter({
      pool,
      schema: 'gateway',
      name: 'user',
      setting,
      logger: log,
      retryAfterFailureMs: 0,
    });
    await limit.consume('official');
    pool.down = false;
    expect(await limit.consume('coordinator')).toEqual({ allowed: true });
    expect(await limit.consume('head')).toEqual({ allowed: true });
    expect(log.info).toHaveBeenCalledTimes(1);
    expect(log.info.mock.calls[0][1]).toContain('shared by replicas again');
    expect(log.warn).toHaveBeenCalledTimes(1);
  });

  it('writes to the schema’s table, with the limit’s name before the key', async () => {
    const pool = new SwitchablePool();
    pool.down = false;
    const limit = createRateLimiter({ pool, schema: 'intake', name: 'source', setting, logger: logger() });
    await limit.consume('demo-webhook', 2);
    expect(pool.sent).toHaveLength(1);
    expect(pool.sent[0].text).toContain('INSERT INTO "intake"."rate_limits" VALUES ($1, $2, $3)');
    expect((pool.sent[0].values as unknown[]).slice(0, 2)).toEqual(['source:demo-webhook', 2]);
  });

  it('a long key (anything a URL may carry) is stored as its hash, within the column’s 255 characters', async () => {
    const pool = new SwitchablePool();
    pool.down = false;
    const limit = createRateLimiter({ pool, schema: 'intake', name: 'source', setting, logger: logger() });
    await limit.consume('x'.repeat(5000));
    const key = (pool.sent[0].values as string[])[0];
    expect(key).toMatch(/^source:sha256:[0-9a-f]{64}$/);
  });

  it('off: everything is allowed and the database is not asked', async () => {
    const pool = new SwitchablePool();
    const limit = createRateLimiter({ pool, schema: 'gateway', name: 'ip', setting: null, logger: logger() });
    for (let i = 0; i < 10; i++) expect(await limit.consume('203.0.113.7')).toEqual({ allowed: true });
    expect(pool.sent).toEqual([]);
  });
});
