import type { Logger } from '@otklik/observability';
import {
  assertAppLogin,
  createAppDataSource,
  describeDatabase,
  isDatabaseUnavailable,
  migrateServiceDatabase,
  ServiceDatabaseOptions,
} from '@otklik/persistence';
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
 * Migrates schema `gateway` (as the owner, retrying while the database is not reachable yet, as
 * the other apps do) and opens a small pool, logged in as its application role, for the counters.
 */
export async function openGatewayRateLimits(
  config: Pick<GatewayConfig, 'databaseUrl' | 'appDatabaseUrl' | 'appDatabasePassword' | 'rateLimits'>,
  logger: Logger,
): Promise<GatewayRateLimits> {
  const database: ServiceDatabaseOptions = {
    schema: GATEWAY_SCHEMA,
    databaseUrl: config.databaseUrl,
    appDatabaseUrl: config.appDatabaseUrl,
    appPassword: config.appDatabasePassword,
    entities: [],
    migrations: MIGRATIONS,
    poolSize: 5,
    logger,
  };
  await migrate(database, logger);
  const dataSource = createAppDataSource(database);
  await dataSource.initialize();
  await assertAppLogin(dataSource, GATEWAY_SCHEMA).catch(async (error: unknown) => {
    await dataSource.destroy();
    throw error;
  });
  const pool = rateLimitPoolOf(dataSource);
  const limitLogger = logger.child({ component: 'rate-limit' });
  const limit = (name: 'ip' | 'user') =>
    createRateLimiter({ pool, schema: GATEWAY_SCHEMA, name, setting: config.rateLimits[name], logger: limitLogger });
  return {
    ip: limit('ip'),
    user: limit('user'),
    databaseReachable: () =>
      dataSource.query('select 1').then(
        () => true,
        () => false,
      ),
    close: () => dataSource.destroy(),
  };
}

async function migrate(database: ServiceDatabaseOptions, logger: Logger): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      await migrateServiceDatabase(database);
      return;
    } catch (error) {
      if (!isDatabaseUnavailable(error) || Date.now() > deadline) {
        throw new Error(`cannot open the database ${describeDatabase(database)}: ${(error as Error).message}`, {
          cause: error,
        });
      }
      logger.warn({ attempt, err: (error as Error).message }, 'database not reachable yet; retrying');
      await new Promise((resolve) => setTimeout(resolve, Math.min(500 * attempt, 5_000)));
    }
  }
}
