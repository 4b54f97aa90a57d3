import type { Logger } from '@otklik/observability';
import { DatabaseHealth, OpenServiceDatabaseOptions, openServiceDatabase } from '@otklik/persistence';
import { createRateLimiter, RateLimit, rateLimitPoolOf } from '@otklik/rate-limit';
import type { GatewayConfig } from '../config/gateway.config';
import { MIGRATIONS } from '../migrations/migrations';

/** The gateway's schema: its rate-limit counters, nothing else. */
export const GATEWAY_SCHEMA = 'gateway';

/** The limits of /graphql, over HTTP and the WebSocket; every replica counts in the same table. */
export interface GatewayRateLimits {
  /** Per client address, before authentication: every HTTP request, every WebSocket connection. */
  readonly ip: RateLimit;
  /** Per login, after authentication: every HTTP operation, every Subscribe message. */
  readonly user: RateLimit;
  /** For /health: whether the database answers (503 otherwise, as every app answers). */
  databaseReachable(): Promise<boolean>;
  close(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 60_000;

/**
 * Migrates schema `gateway` and opens a small pool, logged in as its application role, for the
 * counters — through libs/persistence's openServiceDatabase, as every other app starts.
 */
export async function openGatewayRateLimits(
  config: Pick<GatewayConfig, 'databaseUrl' | 'appDatabaseUrl' | 'appDatabasePassword' | 'rateLimits'>,
  logger: Logger,
): Promise<GatewayRateLimits> {
  const database: OpenServiceDatabaseOptions = {
    schema: GATEWAY_SCHEMA,
    databaseUrl: config.databaseUrl,
    appDatabaseUrl: config.appDatabaseUrl,
    appPassword: config.appDatabasePassword,
    entities: [],
    migrations: MIGRATIONS,
    poolSize: 5,
    logger,
    startupTimeoutMs: STARTUP_TIMEOUT_MS,
  };
  const dataSource = await openServiceDatabase(database);
  const health = new DatabaseHealth(dataSource);
  const pool = rateLimitPoolOf(dataSource);
  const limitLogger = logger.child({ component: 'rate-limit' });
  const limit = (name: 'ip' | 'user') =>
    createRateLimiter({ pool, schema: GATEWAY_SCHEMA, name, setting: config.rateLimits[name], logger: limitLogger });
  return {
    ip: limit('ip'),
    user: limit('user'),
    databaseReachable: () => health.check().then(({ ok }) => ok),
    close: () => dataSource.destroy(),
  };
}
