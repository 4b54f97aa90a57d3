import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DataSource } from 'typeorm';
import { createLogger } from '@otklik/observability';
import { createAppDataSource, migrateServiceDatabase } from '@otklik/persistence';
import { createTestDatabase } from '@otklik/testing';
import { createRateLimiter, RateLimit, RateLimitPool, rateLimitPoolOf } from './rate-limiter';
import { dropRateLimitTableSql, rateLimitTableSql } from './rate-limit.table';

const SCHEMA = 'ratelimit_test';

class RateLimits1700000000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(rateLimitTableSql(SCHEMA));
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query(dropRateLimitTableSql(SCHEMA));
  }
}

/** One replica: its own connections as the application role, counting the queries it sends. */
interface Replica {
  limit: RateLimit;
  queries: () => number;
}

describe('rate limits shared by replicas through PostgreSQL (medium: real database, as the application role)', () => {
  let drop: () => Promise<void>;
  let databaseUrl: string;
  const dataSources: DataSource[] = [];
  const logger = createLogger('rate-limit-test', 'silent');
  const options = (url: string) => ({
    schema: SCHEMA,
    databaseUrl: url,
    entities: [],
    migrations: [RateLimits1700000000000],
    logger,
  });

  beforeAll(async () => {
    const db = await createTestDatabase('rate_limit');
    drop = db.drop;
    databaseUrl = db.url;
    await migrateServiceDatabase(options(db.url));
  });

  afterAll(async () => {
    for (const dataSource of dataSources) await dataSource.destroy();
    await drop?.();
  });

  const replica = async (name: string, points: number): Promise<Replica> => {
    const dataSource = createAppDataSource({ ...options(databaseUrl), poolSize: 4 });
    await dataSource.initialize();
    dataSources.push(dataSource);
    const pool = rateLimitPoolOf(dataSource);
    let sent = 0;
    const counting: RateLimitPool = { query: (config) => (sent++, pool.query(config)) };
    const limit = createRateLimiter({
      pool: counting,
      schema: SCHEMA,
      name,
      setting: { points, durationSeconds: 60 },
      logger,
    });
    return { limit, queries: () => sent };
  };

  it('two replicas over one table spend one budget: what one allowed, the other counts', async () => {
    const [a, b] = [await replica('ip', 5), await replica('ip', 5)];
    const allowed = [];
    for (const r of [a, a, a, b, b]) allowed.push((await r.limit.consume('203.0.113.7')).allowed);
    expect(allowed).toEqual([true, true, true, true, true]);

    const refusedByA = await a.limit.consume('203.0.113.7');
    const refusedByB = await b.limit.consume('203.0.113.7');
    for (const refusal of [refusedByA, refusedByB]) {
      expect(refusal).toEqual({ allowed: false, retryAfterSeconds: expect.any(Number) });
      const { retryAfterSeconds } = refusal as { retryAfterSeconds: number };
      expect(retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(retryAfterSeconds).toBeLessThanOrEqual(60);
    }
    // Another key, and the same key under another limit's name, have budgets of their own.
    expect(await b.limit.consume('198.51.100.1')).toEqual({ allowed: true });
    const user = await replica('user', 5);
    expect(await user.limit.consume('203.0.113.7')).toEqual({ allowed: true });

    // The counters as stored: one row per limit and key, with the end of its window.
    const rows = await dataSources[0].query<Array<{ key: string; points: number; expire: string }>>(
      `select key, points, expire from ${SCHEMA}.rate_limits where key in ('ip:203.0.113.7', 'user:203.0.113.7')`,
    );
    // 5 allowed and A's refusal; B refused from memory, having seen the budget spent by its own last request.
    expect(rows.map((r) => [r.key, r.points]).sort()).toEqual([
      ['ip:203.0.113.7', 6],
      ['user:203.0.113.7', 1],
    ]);
    for (const row of rows) expect(Number(row.expire)).toBeGreaterThan(Date.now());
  });

  it('concurrent requests through both replicas: exactly the budget is allowed', async () => {
    const [a, b] = [await replica('burst', 10), await replica('burst', 10)];
    const decisions = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? a : b).limit.consume('198.51.100.9')),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
  });

  it('a key over its budget is refused from the replica’s memory: a flood does not reach the database', async () => {
    const a = await replica('flood', 2);
    await a.limit.consume('192.0.2.1');
    await a.limit.consume('192.0.2.1');
    expect((await a.limit.consume('192.0.2.1')).allowed).toBe(false);
    const before = a.queries();
    for (let i = 0; i < 50; i++) expect((await a.limit.consume('192.0.2.1')).allowed).toBe(false);
    expect(a.queries()).toBe(before);
  });
});
