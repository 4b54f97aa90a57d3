import { DataSource, EntitySchema, MixedList } from 'typeorm';
import type { Logger } from 'pino';
import { ensureDatabase } from './database';
import { quoteIdent, redactUrl } from './database-url';
import { appRoleOf } from './tenant-policy';

// TypeORM's own option types for these lists.
type Entities = MixedList<string | (new () => unknown) | EntitySchema>;
type Migrations = MixedList<string | (new () => unknown)>;

export interface ServiceDatabaseOptions {
  /** The service's schema: intake, workflow or notify. */
  schema: string;
  /** Owner connection (CONTRACT: DATABASE_URL migrates; queries run as the application role). */
  databaseUrl: string;
  entities: Entities;
  migrations: Migrations;
  poolSize?: number;
  logger?: Logger;
}

const MIGRATIONS_TABLE = 'migrations';

/**
 * Creates the database, the schema and the application role when missing, then applies the
 * service's migrations as the owner. Replicas starting together serialise on an advisory lock,
 * so each migration runs once.
 */
export async function migrateServiceDatabase(options: ServiceDatabaseOptions): Promise<string[]> {
  await ensureDatabase(options.databaseUrl);
  const owner = new DataSource({
    type: 'postgres',
    url: options.databaseUrl,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: { max: 1, connectionTimeoutMillis: 10_000 },
  });
  await owner.initialize();
  const schema = quoteIdent(options.schema);
  const role = appRoleOf(options.schema);
  try {
    await owner.query('select pg_advisory_lock(hashtext($1))', [`otklik-migrate-${options.schema}`]);
    try {
      await owner.query(`create schema if not exists ${schema}`);
      await createRoleIfMissing(owner, role);
      await owner.query(`grant usage on schema ${schema} to ${quoteIdent(role)}`);
      // The owner must be a member to `set role` when it is not a superuser (production).
      await owner.query(`grant ${quoteIdent(role)} to current_user`).catch(() => undefined);
      const applied = await owner.runMigrations({ transaction: 'each' });
      const names = applied.map((m) => m.name);
      if (names.length > 0) options.logger?.info({ schema: options.schema, migrations: names }, 'migrations applied');
      return names;
    } finally {
      await owner.query('select pg_advisory_unlock(hashtext($1))', [`otklik-migrate-${options.schema}`]);
    }
  } finally {
    await owner.destroy();
  }
}

async function createRoleIfMissing(owner: DataSource, role: string): Promise<void> {
  const found = await owner.query<unknown[]>('select 1 from pg_roles where rolname = $1', [role]);
  if (found.length > 0) return;
  try {
    await owner.query(`create role ${quoteIdent(role)} nologin nosuperuser nobypassrls`);
  } catch (error) {
    // Roles are cluster-wide: another database's migration may have created it meanwhile.
    const code = (error as { code?: string }).code;
    if (code !== '42710' && code !== '23505') throw error;
  }
}

/**
 * The data source the service queries with: the owner's connection, switched to the
 * application role at connect time (`-c role=`), so row-level security applies.
 */
export function createAppDataSource(options: ServiceDatabaseOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.databaseUrl,
    schema: options.schema,
    entities: options.entities,
    synchronize: false,
    logging: false,
    extra: {
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 2_000,
      idleTimeoutMillis: 30_000,
      options: `-c role=${appRoleOf(options.schema)} -c search_path=${options.schema}`,
      application_name: `otklik-${options.schema}`,
    },
  });
}

export function describeDatabase(options: Pick<ServiceDatabaseOptions, 'databaseUrl' | 'schema'>): string {
  return `${redactUrl(options.databaseUrl)} (schema ${options.schema})`;
}

/**
 * Migrations declare more than entities do (foreign keys, checks, indexes, defaults, unique
 * keys): TypeORM's wish to drop those is not drift.
 */
const ONLY_IN_MIGRATIONS =
  /^(ALTER TABLE \S+ DROP CONSTRAINT |DROP INDEX |ALTER TABLE \S+ ALTER COLUMN \S+ DROP DEFAULT$)/;

/**
 * What the entities need that the migrated schema lacks — tables, columns, types,
 * nullability — as the SQL TypeORM would run; empty when migrations and entities agree
 * (STYLE.md §12; each service has a medium test of it).
 */
export async function pendingSchemaChanges(options: ServiceDatabaseOptions): Promise<string[]> {
  await migrateServiceDatabase(options);
  const owner = new DataSource({
    type: 'postgres',
    url: options.databaseUrl,
    schema: options.schema,
    entities: options.entities,
    synchronize: false,
    logging: false,
    extra: { max: 1 },
  });
  await owner.initialize();
  try {
    const sql = await owner.driver.createSchemaBuilder().log();
    return sql.upQueries.map((q) => q.query).filter((query) => !ONLY_IN_MIGRATIONS.test(query));
  } finally {
    await owner.destroy();
  }
}
