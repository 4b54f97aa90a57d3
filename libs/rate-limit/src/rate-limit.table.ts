import { appRoleOf, quoteIdent } from '@otklik/persistence';

/** The table each service keeps its rate-limit counters in, in its own schema. */
export const RATE_LIMIT_TABLE = 'rate_limits';

const qualified = (schema: string, table: string) => `${quoteIdent(schema)}.${quoteIdent(table)}`;

/**
 * For a service's migration: the counters' table as RateLimiterPostgres reads and writes it —
 * `key`, `points`, `expire` (epoch milliseconds), in that order, because it inserts without
 * naming the columns — and the grants its application role needs (the library deletes expired
 * rows itself). Unlogged: counters need no crash safety or replication, and are written on every
 * request. No organisation: the table is on the row-level-security allow-list.
 */
export function rateLimitTableSql(schema: string, table = RATE_LIMIT_TABLE): string {
  return (
    `create unlogged table ${qualified(schema, table)} ` +
    `(key varchar(255) primary key, points integer not null default 0, expire bigint); ` +
    `grant select, insert, update, delete on ${qualified(schema, table)} to ${quoteIdent(appRoleOf(schema))}`
  );
}

/** The migration's `down`. */
export function dropRateLimitTableSql(schema: string, table = RATE_LIMIT_TABLE): string {
  return `drop table ${qualified(schema, table)}`;
}
