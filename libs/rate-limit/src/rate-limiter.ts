import { createHash } from 'node:crypto';
import type { Logger } from '@otklik/observability';
import type { QueryConfig, QueryResult } from 'pg';
import type { DataSource } from 'typeorm';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { describeRateLimit, RateLimitSetting } from './rate-limit.settings';
import { RATE_LIMIT_TABLE } from './rate-limit.table';

/** What one request's `consume` decided. */
export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** One limit (per IP, per user, per source…) whose counters every replica shares. */
export interface RateLimit {
  /** Names the limit in refusals (`limit`), and keeps its counters apart from other limits in the table. */
  readonly name: string;
  /** null: off, everything is allowed. */
  readonly setting: RateLimitSetting | null;
  /** Counts `points` (1 unless told) against `key`'s budget; refused once the window's budget is spent. */
  consume(key: string, points?: number): Promise<RateLimitDecision>;
}

/** What the limiter needs of a pg Pool (a TypeORM DataSource's pool will do: it must reach the table). */
export interface RateLimitPool {
  query(config: QueryConfig): Promise<QueryResult>;
}

/**
 * The pg Pool under a service's TypeORM data source (createAppDataSource: connected as its
 * application role), so the counters use the same login and connections as the service.
 */
export function rateLimitPoolOf(dataSource: DataSource): RateLimitPool {
  if (!dataSource.isInitialized) throw new Error('the data source is not connected yet');
  // TypeORM's PostgresDriver types its pg Pool as `any`.
  return (dataSource.driver as unknown as { master: RateLimitPool }).master;
}

export interface RateLimiterOptions {
  /** Connections as the service's application role, which may read and write the table. */
  pool: RateLimitPool;
  /** The service's schema, where its migration made the table (rateLimitTableSql). */
  schema: string;
  table?: string;
  name: string;
  setting: RateLimitSetting | null;
  logger: Pick<Logger, 'warn' | 'info'>;
  /** After a failed query, how long requests skip the database (so none waits for it) before one tries again. */
  retryAfterFailureMs?: number;
}

const ALLOWED: RateLimitDecision = { allowed: true };

/** Longer keys (a source id from a URL path can be anything) are stored as their hash: the column is varchar(255). */
const MAX_PLAIN_KEY = 128;

/**
 * A limit shared across replicas through PostgreSQL (`RateLimiterPostgres`: one upsert per
 * request on the service's `rate_limits` table). Two things keep the database from becoming the
 * weak point:
 *  - a key over its budget is refused from this replica's memory until its window ends
 *    (`inMemoryBlockOnConsumed`), so a flood costs one query per key and replica, not one per request;
 *  - when the database fails, each replica counts on its own (`insuranceLimiter`, the same budget
 *    in memory): limits hold per replica instead of refusing or failing every request. For the
 *    next 5 s requests do not wait for the database (an unreachable host would make each wait for
 *    the pool's connection timeout); then one tries it again. Logged once when it starts and once
 *    when the database answers again.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimit {
  const { name, setting, logger } = options;
  if (!setting) return { name, setting, consume: () => Promise.resolve(ALLOWED) };

  // The pool as the library's store, watched: it logs the switch to and from memory and skips a
  // failing database for a while. By hand: rate-limiter-flexible reports neither and has no such
  // pause, and a breaker library for two variables is more than the job.
  const retryAfterFailureMs = options.retryAfterFailureMs ?? 5_000;
  let perReplica = false;
  let retryAt = 0;
  const store = {
    query: (config: QueryConfig): Promise<QueryResult> => {
      // The library's insurance takes over on any rejection, this one included.
      if (perReplica && Date.now() < retryAt) return Promise.reject(new Error('the database failed just now'));
      return options.pool.query(config).then(
        (result) => {
          if (perReplica) {
            perReplica = false;
            logger.info({ limit: name }, 'rate limit: the database answers again; counts are shared by replicas again');
          }
          return result;
        },
        (error: unknown) => {
          retryAt = Date.now() + retryAfterFailureMs;
          if (!perReplica) {
            perReplica = true;
            logger.warn(
              { limit: name, err: error },
              `rate limit "${name}": its table cannot be used; each replica counts alone (${describeRateLimit(setting)} each) until it can`,
            );
          }
          throw error;
        },
      );
    },
  };
  const budget = { keyPrefix: name, points: setting.points, duration: setting.durationSeconds };
  const limiter = new RateLimiterPostgres({
    ...budget,
    storeClient: store,
    // Tells the library `store` is a pool (it would guess from the class name otherwise).
    storeType: 'pool',
    schemaName: options.schema,
    tableName: options.table ?? RATE_LIMIT_TABLE,
    tableCreated: true,
    inMemoryBlockOnConsumed: setting.points,
    insuranceLimiter: new RateLimiterMemory(budget),
  });

  return {
    name,
    setting,
    consume: async (key, points = 1) => {
      try {
        await limiter.consume(storedKey(key), points);
        return ALLOWED;
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)) };
      }
    },
  };
}

function storedKey(key: string): string {
  if (key.length <= MAX_PLAIN_KEY) return key;
  return `sha256:${createHash('sha256').update(key).digest('hex')}`;
}
