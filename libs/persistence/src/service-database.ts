import { DataSource, EntitySchema, MixedList } from 'typeorm';
import type { Logger } from 'pino';
import { appLoginUrl, AppLoginOptions, describeLogin, scramSha256Verifier } from './app-login';
import { ensureDatabase } from './database';
import { quoteIdent, redactUrl } from './database-url';
import { appRoleOf } from './tenant-policy';

// TypeORM's own option types for these lists.
type Entities = MixedList<string | (new () => unknown) | EntitySchema>;
type Migrations = MixedList<string | (new () => unknown)>;

export interface ServiceDatabaseOptions extends AppLoginOptions {
  /** The service's schema: intake, workflow, notify (or gateway). */
  schema: string;
  /** Owner connection (CONTRACT: DATABASE_URL migrates; queries run as the application role's own login). */
  databaseUrl: string;
  entities: Entities;
  migrations: Migrations;
  poolSize?: number;
  logger?: Logger;
}

const MIGRATIONS_TABLE = 'migrations';

/**
 * Creates the database, the schema and the application role when missing (a login, not
 * superuser, not BYPASSRLS; its password set when `appPassword` is given), then applies the
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
      await ensureAppLogin(owner, role, options.appPassword);
      await owner.query(`grant usage on schema ${schema} to ${quoteIdent(role)}`);
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

type RoleState = { login: boolean; superuser: boolean; bypassrls: boolean };

/**
 * The application role as a login of its own. Only what is missing is changed (a role made by a
 * DBA, already a login, needs no rights over it), except a given password, set on every start.
 * Roles are cluster-wide: several databases' migrations may reach here at once.
 */
async function ensureAppLogin(owner: DataSource, role: string, password: string | undefined): Promise<void> {
  // The verifier, not the password, goes over the wire, and it is safe as a literal: base64, digits, $ : +/=.
  const withPassword = password ? ` password '${scramSha256Verifier(password)}'` : '';
  for (let attempt = 1; ; attempt++) {
    const [state] = await owner.query<RoleState[]>(
      'select rolcanlogin as login, rolsuper as superuser, rolbypassrls as bypassrls from pg_roles where rolname = $1',
      [role],
    );
    try {
      if (!state) {
        await owner.query(`create role ${quoteIdent(role)} login nosuperuser nobypassrls${withPassword}`);
        return;
      }
      if (state.superuser || state.bypassrls) {
        throw new Error(
          `the application role ${role} is ${state.superuser ? 'a superuser' : 'BYPASSRLS'}: row-level security ` +
            `would not bind it; run \`alter role ${role} nosuperuser nobypassrls\` as a superuser`,
        );
      }
      if (!state.login || withPassword) await owner.query(`alter role ${quoteIdent(role)} login${withPassword}`);
      return;
    } catch (error) {
      const { code, message } = error as { code?: string; message?: string };
      // 42710/23505: created meanwhile; XX000 "tuple concurrently updated": altered meanwhile. Look again.
      const raced = code === '42710' || code === '23505' || (code === 'XX000' && /concurrently/.test(message ?? ''));
      if (!raced || attempt >= 3) throw error;
    }
  }
}

/**
 * The data source the service queries with: a login of the application role itself
 * (appLoginUrl), so row-level security applies and there is no owner's session to return to.
 */
export function createAppDataSource(options: ServiceDatabaseOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: appLoginUrl(options),
    schema: options.schema,
    entities: options.entities,
    synchronize: false,
    logging: false,
    extra: {
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 2_000,
      idleTimeoutMillis: 30_000,
      options: `-c search_path=${options.schema}`,
      application_name: `otklik-${options.schema}`,
    },
  });
}

/**
 * Refuses a data source whose session is not the schema's application role, or is one that
 * row-level security does not bind (APP_DATABASE_URL pointing at the owner, a role altered by hand).
 */
export async function assertAppLogin(dataSource: DataSource, schema: string): Promise<void> {
  const [me] = await dataSource.query<Array<{ user: string; superuser: boolean; bypassrls: boolean }>>(
    `select current_user as user, r.rolsuper as superuser, r.rolbypassrls as bypassrls
       from pg_roles r where r.rolname = current_user`,
  );
  const role = appRoleOf(schema);
  if (me?.user !== role) throw new Error(`queries must log in as ${role}, not as ${me?.user}`);
  if (me.superuser || me.bypassrls) {
    throw new Error(`${role} is ${me.superuser ? 'a superuser' : 'BYPASSRLS'}: row-level security would not bind it`);
  }
}

/** The application login, for errors: which role, on which server, without its password. */
export function describeAppLogin(options: ServiceDatabaseOptions): string {
  return describeLogin(appLoginUrl(options));
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
