import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource, QueryResult } from 'typeorm';
import { ALL_ORGS, createLogger, OrgScope, orgsScope } from '@otklik/observability';
import {
  appRoleOf,
  createAppDataSource,
  migrateServiceDatabase,
  orgScopeStatement,
  quoteIdent,
} from '@otklik/persistence';
import { createTestDatabase } from '@otklik/testing';
// This one test proves isolation below every service at once, in one database, so it applies
// each service's own migration list (and nothing else of theirs): no other way reaches them.
// eslint-disable-next-line @nx/enforce-module-boundaries -- see above
import { MIGRATIONS as INTAKE_MIGRATIONS } from '../../intake/src/migrations/migrations';
// eslint-disable-next-line @nx/enforce-module-boundaries -- see above
import { MIGRATIONS as NOTIFY_MIGRATIONS } from '../../notify/src/migrations/migrations';
// eslint-disable-next-line @nx/enforce-module-boundaries -- see above
import { MIGRATIONS as GATEWAY_MIGRATIONS } from '../../gateway/src/migrations/migrations';
import { MIGRATIONS } from '../src/migrations/migrations';

/*
 * Tenant isolation proven in PostgreSQL itself (docs/security.md, "Tenant isolation in the
 * database"): every table is found in the catalogue, seeded for two organisations as the owner,
 * and read and written as the services' application roles, connected exactly as libs/persistence
 * connects them (createAppDataSource: a login of the role `otklik_<schema>` itself, so there is no
 * owner's session underneath to return to) and scoped exactly as UnitOfWork scopes them
 * (orgScopeStatement). No application code runs.
 */

const SERVICES = [
  { schema: 'intake', migrations: INTAKE_MIGRATIONS },
  { schema: 'workflow', migrations: MIGRATIONS },
  { schema: 'notify', migrations: NOTIFY_MIGRATIONS },
  // The gateway's rate-limit counters: no outbox or inbox of its own.
  { schema: 'gateway', migrations: GATEWAY_MIGRATIONS },
];
const SCHEMAS = SERVICES.map((s) => s.schema);
const MESSAGING_SCHEMAS = SCHEMAS.filter((schema) => schema !== 'gateway');

/** Tables without row-level security, each with why it holds no organisation's data of its own. */
const NOT_TENANT_TABLES: Record<string, string> = {
  ...Object.fromEntries(
    SCHEMAS.map((schema) => [
      `${schema}.migrations`,
      'TypeORM’s record of applied migrations; the application role has no grant on it',
    ]),
  ),
  ...Object.fromEntries(
    MESSAGING_SCHEMAS.flatMap((schema) => [
      [
        `${schema}.outbox`,
        'events waiting for NATS, drained by the relay with no organisation in scope and deleted once ' +
          'published; consumers re-check the organisation of every event',
      ],
      [`${schema}.inbox`, 'consumer names and event ids already handled: no tenant data'],
    ]),
  ),
  'workflow.users':
    'staff accounts: one person may hold roles in several organisations, so a user is reached through ' +
    'role_assignments, which is a tenant table',
  'workflow.calendar_years': 'the federal production calendar, the same for every organisation',
  'workflow.calendar_changes': 'who loaded which production calendar: the same for every organisation',
  // A person's own settings, whatever organisations they work in: keyed by user, not organisation.
  'notify.notification_preferences': 'a user’s choice of channels per kind: keyed by user, not organisation',
  'notify.telegram_links': 'a user’s Telegram chat: keyed by user, not organisation',
  'notify.telegram_link_codes': 'one-time codes (hashed) linking a user’s Telegram chat: keyed by user',
  // Rate-limit counters (libs/rate-limit), keyed by address, login or source id, never read back as data.
  'gateway.rate_limits': 'rate-limit counters per client address and login: no organisation, only counts',
  'intake.rate_limits': 'rate-limit counters per webhook source and client address: no organisation, only counts',
  'intake.retention_runs':
    'the retention job’s runs (152-FZ purge of raw payloads): counts for every organisation at once, no ' +
    'organisation’s data',
};

/** Tables whose rows are a record: the application role may add and read them, never change or remove them. */
const APPEND_ONLY_TABLES = [
  'workflow.case_transitions',
  'workflow.case_comments',
  'workflow.deadline_policy_changes',
  'workflow.calendar_changes',
  'intake.source_changes',
  // Not intake.message_versions: its text may be erased (152-FZ), and its trigger lets nothing else through.
  'intake.message_imports',
  'intake.retention_runs',
  'intake.personal_data_reads',
  'intake.erasure_requests',
  'workflow.erased_messages',
];

/**
 * Values that the catalogue cannot tell (a check constraint across columns). Every other NOT
 * NULL column without a default is filled from its type, its foreign key or the first value of
 * its `check (x in (...))`.
 */
const ROW_OVERRIDES: Record<string, Record<string, unknown>> = {
  // sources_webhook_secret: a webhook source needs a sealed secret; a MANUAL one does not.
  'intake.sources': { kind: 'MANUAL' },
  // accepted + duplicates + rejected = total_rows; report is a JSON array.
  'intake.message_imports': { total_rows: 3, report: '[]' },
  // fields: at least one of the author's fields that are personal data.
  'intake.personal_data_reads': { fields: ['AUTHOR_NAME'] },
  // A PENDING delivery needs its next attempt's time.
  'notify.deliveries': { status: 'SENT' },
};

type Column = {
  name: string;
  type: string;
  typname: string;
  category: string;
  notNull: boolean;
  hasDefault: boolean;
  identity: boolean;
  generated: boolean;
  enumLabels: string[] | null;
};

type ForeignKey = {
  columns: string[];
  refTable: string;
  refColumns: string[];
};

type Policy = {
  name: string;
  permissive: string;
  roles: string[];
  cmd: string;
  qual: string | null;
  withCheck: string | null;
};

type Privileges = {
  select: boolean;
  insert: boolean;
  update: boolean;
  delete: boolean;
  /** Columns the role may UPDATE (a table-wide grant lists them all). */
  updatable: string[];
};

type Table = {
  /** schema.table */
  name: string;
  schema: string;
  qualified: string;
  enabled: boolean;
  forced: boolean;
  columns: Column[];
  checks: string[];
  foreignKeys: ForeignKey[];
  policies: Policy[];
  /** The column the policies key on, or null for a table without them. */
  tenantColumn: string | null;
  /** The service's application role's privileges. */
  app: Privileges;
  /** Row triggers before UPDATE or DELETE. */
  guardTriggers: string[];
};

type Row = Record<string, unknown>;

/**
 * `<column> = ANY (string_to_array(NULLIF(current_setting('app.org_ids', …` as PostgreSQL prints
 * the predicate of libs/persistence tenantPredicate.
 */
const TENANT_KEY =
  /(?:^|[\s(])("(?:[^"]|"")+"|[a-z_][a-z0-9_$]*) = ANY \(\(string_to_array\(NULLIF\(current_setting\('app\.org_ids'::text, true\)/;
const ALL_ORGS_KEY = /NULLIF\(current_setting\('app\.all_orgs'::text, true\), ''::text\) = 'on'::text/;

const unquote = (ident: string): string => (ident.startsWith('"') ? ident.slice(1, -1).replace(/""/g, '"') : ident);

async function readCatalogue(owner: Client): Promise<Map<string, Table>> {
  const tables = new Map<string, Table>();
  const found = await owner.query<{ oid: number; schema: string; name: string; enabled: boolean; forced: boolean }>(
    `select c.oid, n.nspname as schema, c.relname as name,
            c.relrowsecurity as enabled, c.relforcerowsecurity as forced
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = any($1) and c.relkind in ('r', 'p')
      order by 2, 3`,
    [SCHEMAS],
  );
  for (const t of found.rows) {
    const role = appRoleOf(t.schema);
    const columns = await owner.query<Column>(
      `select a.attname as name, format_type(a.atttypid, a.atttypmod) as type, ty.typname,
              ty.typcategory as category, a.attnotnull as "notNull", a.atthasdef as "hasDefault",
              a.attidentity <> '' as identity, a.attgenerated <> '' as generated,
              (select array_agg(e.enumlabel order by e.enumsortorder) from pg_enum e
                where e.enumtypid = ty.oid) as "enumLabels"
         from pg_attribute a join pg_type ty on ty.oid = a.atttypid
        where a.attrelid = $1 and a.attnum > 0 and not a.attisdropped
        order by a.attnum`,
      [t.oid],
    );
    const checks = await owner.query<{ def: string }>(
      `select pg_get_constraintdef(oid) as def from pg_constraint where conrelid = $1 and contype = 'c'`,
      [t.oid],
    );
    const foreignKeys = await owner.query<ForeignKey>(
      `select array(select a.attname from unnest(k.conkey) with ordinality as u(attnum, i)
                      join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.attnum order by u.i)::text[] as columns,
              rn.nspname || '.' || rc.relname as "refTable",
              array(select a.attname from unnest(k.confkey) with ordinality as u(attnum, i)
                      join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.attnum order by u.i)::text[] as "refColumns"
         from pg_constraint k
         join pg_class rc on rc.oid = k.confrelid join pg_namespace rn on rn.oid = rc.relnamespace
        where k.conrelid = $1 and k.contype = 'f'`,
      [t.oid],
    );
    const policies = await owner.query<Policy>(
      `select policyname as name, permissive, roles::text[] as roles, cmd, qual, with_check as "withCheck"
         from pg_policies where schemaname = $1 and tablename = $2 order by policyname`,
      [t.schema, t.name],
    );
    const [privileges] = (
      await owner.query<Privileges>(
        `select has_table_privilege($1, $2::oid, 'SELECT') as select,
                has_table_privilege($1, $2::oid, 'INSERT') as insert,
                has_any_column_privilege($1, $2::oid, 'UPDATE') as update,
                has_table_privilege($1, $2::oid, 'DELETE') as delete,
                array(select a.attname from pg_attribute a
                       where a.attrelid = $2 and a.attnum > 0 and not a.attisdropped
                         and has_column_privilege($1, $2::oid, a.attnum, 'UPDATE') order by a.attnum)::text[] as updatable`,
        [role, t.oid],
      )
    ).rows;
    // tgtype bits: 1 row, 2 before, 8 delete, 16 update.
    const triggers = await owner.query<{ name: string }>(
      `select tgname as name from pg_trigger
        where tgrelid = $1 and not tgisinternal and tgtype & 3 = 3 and tgtype & 24 <> 0`,
      [t.oid],
    );
    const keys = policies.rows
      .map((p) => TENANT_KEY.exec(p.qual ?? p.withCheck ?? '')?.[1])
      .filter((k) => k !== undefined);
    tables.set(`${t.schema}.${t.name}`, {
      name: `${t.schema}.${t.name}`,
      schema: t.schema,
      qualified: `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`,
      enabled: t.enabled,
      forced: t.forced,
      columns: columns.rows,
      checks: checks.rows.map((c) => c.def),
      foreignKeys: foreignKeys.rows,
      policies: policies.rows,
      tenantColumn: keys.length > 0 ? unquote(keys[0]) : null,
      app: privileges,
      guardTriggers: triggers.rows.map((r) => r.name),
    });
  }
  return tables;
}

/** Why a table fails the catalogue rule, or null when it is under forced row-level security with a tenant policy. */
function policyProblem(table: Table): string | null {
  if (!table.enabled) return 'row-level security is not enabled';
  if (!table.forced) return 'row-level security is not forced (the owner would bypass it)';
  if (table.policies.length === 0) return 'no policy: every query of the application role would read nothing';
  for (const p of table.policies) {
    // Permissive policies are OR-ed: one that does not key on the scope opens the table.
    // (Restrictive ones only narrow it.) INSERT has no USING; SELECT and DELETE no WITH CHECK;
    // ALL and UPDATE without WITH CHECK use USING for it.
    const keyed = (expr: string | null) => expr !== null && TENANT_KEY.test(expr) && ALL_ORGS_KEY.test(expr);
    if (p.permissive !== 'PERMISSIVE') continue;
    if (p.cmd !== 'INSERT' && !keyed(p.qual)) {
      return `policy ${p.name} (${p.cmd}) does not key USING on app.org_ids: ${p.qual}`;
    }
    if (p.cmd !== 'SELECT' && p.cmd !== 'DELETE' && !keyed(p.withCheck ?? p.qual)) {
      return `policy ${p.name} (${p.cmd}) does not key WITH CHECK on app.org_ids: ${p.withCheck}`;
    }
    const keys = new Set([p.qual, p.withCheck].filter((e) => e !== null).map((e) => TENANT_KEY.exec(e)?.[1]));
    if (keys.size !== 1) return `policy ${p.name} keys USING and WITH CHECK on different columns`;
  }
  return null;
}

/** Inserts minimal rows as the owner: the catalogue says which columns need what. */
class RowFactory {
  private readonly own = new Map<string, Promise<Row>>();

  constructor(
    private readonly owner: Client,
    private readonly tables: Map<string, Table>,
  ) {}

  /**
   * The values of a new row of `name` for organisation `org` (null for a table that has none),
   * inserting the rows its NOT NULL foreign keys need first.
   */
  async build(name: string, org: string | null, depth = 0): Promise<Row> {
    const table = this.tables.get(name);
    if (!table) throw new Error(`${name} is not in the catalogue of ${SCHEMAS.join(', ')}`);
    if (depth > 8) throw new Error(`add a row factory for ${name}: its foreign keys go round in a circle`);
    if (table.tenantColumn && !org)
      throw new Error(`${name} is a tenant table, reached from a table with no organisation`);
    const row: Row = {};
    for (const fk of table.foreignKeys) {
      const nullable = fk.columns.some((c) => !table.columns.find((col) => col.name === c)?.notNull);
      if (nullable) continue;
      const parent = this.tables.get(fk.refTable);
      // A reference to the organisation itself (organizations.id, deadline_policies' key) is
      // one row per organisation; any other reference gets a parent row of its own.
      const parentRow =
        parent?.tenantColumn && fk.refColumns.includes(parent.tenantColumn)
          ? await this.ownRow(fk.refTable, org)
          : await this.insert(fk.refTable, parent?.tenantColumn ? org : null, depth + 1);
      fk.columns.forEach((column, i) => (row[column] = parentRow[fk.refColumns[i]]));
    }
    if (table.tenantColumn) row[table.tenantColumn] = org;
    for (const column of table.columns) {
      if (column.name in row || !column.notNull || column.hasDefault || column.identity || column.generated) continue;
      row[column.name] = sampleValue(table, column);
    }
    return { ...row, ...ROW_OVERRIDES[name] };
  }

  async insert(name: string, org: string | null, depth = 0): Promise<Row> {
    const row = await this.build(name, org, depth);
    const table = this.tables.get(name) as Table;
    const { sql, values } = insertStatement(table, row);
    try {
      return (await this.owner.query<Row>(`${sql} returning *`, values)).rows[0];
    } catch (error) {
      throw new Error(`add a row override for ${name} in ROW_OVERRIDES: ${(error as Error).message}`);
    }
  }

  /** The organisation's one row of `name` that references point to (created once). */
  ownRow(name: string, org: string | null): Promise<Row> {
    const key = `${name}|${org}`;
    let row = this.own.get(key);
    if (!row) {
      row = this.insert(name, org);
      this.own.set(key, row);
    }
    return row;
  }
}

function insertStatement(table: Table, row: Row): { sql: string; values: unknown[] } {
  const names = Object.keys(row);
  const types = names.map((n) => table.columns.find((c) => c.name === n)?.type ?? 'text');
  return {
    sql:
      `insert into ${table.qualified} (${names.map(quoteIdent).join(', ')}) ` +
      `values (${names.map((_, i) => `$${i + 1}::${types[i]}`).join(', ')})`,
    values: names.map((n, i) =>
      types[i].startsWith('json') && typeof row[n] !== 'string' ? JSON.stringify(row[n]) : row[n],
    ),
  };
}

/** A value of the column's type that its `check (x in (...))`, if any, accepts. */
function sampleValue(table: Table, column: Column): unknown {
  const ident = `(?:${column.name}|"${column.name}")`;
  // `x in ('A', 'B')` first: a check such as `(x = 'B') = (y is not null)` is no list of what x may be.
  for (const pattern of [
    `[(\\s]${ident} = ANY \\(\\(?ARRAY\\['((?:[^']|'')*)'`,
    `[(\\s]${ident} = '((?:[^']|'')*)'::`,
  ]) {
    for (const check of table.checks) {
      const found = new RegExp(pattern).exec(check);
      if (found) return found[1].replace(/''/g, "'");
    }
  }
  if (column.enumLabels?.length) return column.enumLabels[0];
  if (column.category === 'A') return [];
  switch (column.typname) {
    case 'uuid':
      return randomUUID();
    case 'text':
    case 'varchar':
    case 'bpchar':
    case 'citext':
      return `r${randomBytes(6).toString('hex')}`;
    case 'int2':
    case 'int4':
    case 'int8':
    case 'numeric':
    case 'float4':
    case 'float8':
      return 1;
    case 'bool':
      return false;
    case 'timestamptz':
    case 'timestamp':
      return new Date();
    case 'date':
      return new Date().toISOString().slice(0, 10);
    case 'jsonb':
    case 'json':
      return '{}';
    case 'inet':
      return '127.0.0.1';
    case 'bytea':
      return Buffer.from('x');
    case 'interval':
      return '1 hour';
    default:
      throw new Error(`add a row override for ${table.name}.${column.name} in ROW_OVERRIDES (type ${column.type})`);
  }
}

const codeOf = (error: unknown): string | undefined => {
  const e = error as { code?: string; driverError?: { code?: string } };
  return e.driverError?.code ?? e.code;
};

describe('tenant isolation below the application: PostgreSQL itself keeps organisations apart', () => {
  const orgA = randomUUID();
  const orgB = randomUUID();
  let drop: () => Promise<void>;
  let databaseUrl: string;
  let owner: Client;
  let tables: Map<string, Table>;
  let factory: RowFactory;
  const apps = new Map<string, DataSource>();
  /** Tenant tables that could not be seeded, with why. */
  const unseeded = new Map<string, string>();
  /** Rows the owner sees per tenant table and organisation, after seeding. */
  const seeded = new Map<string, { a: number; b: number }>();

  const tenantTables = () => [...tables.values()].filter((t) => t.tenantColumn && !unseeded.has(t.name));
  const appOf = (table: Table) => apps.get(table.schema) as DataSource;

  /**
   * One transaction as the application role, begun and scoped as UnitOfWork.run does it
   * (`scope` null: begun with no scope at all); rolled back unless `commit`.
   */
  async function asApp<T>(
    dataSource: DataSource,
    scope: OrgScope | null,
    work: (query: (sql: string, params?: unknown[]) => Promise<QueryResult>) => Promise<T>,
    commit = false,
  ): Promise<T> {
    const runner = dataSource.createQueryRunner();
    try {
      await runner.query(scope ? `start transaction; ${orgScopeStatement(scope)}` : 'start transaction');
      const result = await work((sql, params) => runner.query(sql, params, true));
      await runner.query(commit ? 'commit' : 'rollback');
      return result;
    } catch (error) {
      await runner.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** The rows of A, of B and in all the application role sees in `table`. */
  const visible = (table: Table, query: (sql: string, params?: unknown[]) => Promise<QueryResult>) =>
    query(
      `select count(*) filter (where ${quoteIdent(table.tenantColumn as string)} = $1)::int as a,
              count(*) filter (where ${quoteIdent(table.tenantColumn as string)} = $2)::int as b,
              count(*)::int as total
         from ${table.qualified}`,
      [orgA, orgB],
    ).then((r) => r.records[0] as { a: number; b: number; total: number });

  beforeAll(async () => {
    const db = await createTestDatabase('rls');
    drop = db.drop;
    databaseUrl = db.url;
    const logger = createLogger('rls', 'silent');
    for (const service of SERVICES) {
      await migrateServiceDatabase({ ...service, databaseUrl: db.url, entities: [], logger });
      const app = createAppDataSource({ ...service, databaseUrl: db.url, entities: [], poolSize: 2 });
      await app.initialize();
      apps.set(service.schema, app);
    }
    owner = new Client({ connectionString: db.url });
    await owner.connect();
    tables = await readCatalogue(owner);
    factory = new RowFactory(owner, tables);
    for (const table of tables.values()) {
      if (!table.tenantColumn) continue;
      try {
        // The organisation's own row, plus a second where the table allows more than one.
        for (const org of [orgA, orgB]) {
          await factory.ownRow(table.name, org);
          await factory.insert(table.name, org).catch(() => undefined);
        }
      } catch (error) {
        unseeded.set(table.name, (error as Error).message);
      }
    }
    for (const table of tenantTables()) {
      const column = quoteIdent(table.tenantColumn as string);
      const counts = await owner.query<{ a: number; b: number }>(
        `select count(*) filter (where ${column} = $1)::int as a, count(*) filter (where ${column} = $2)::int as b
           from ${table.qualified}`,
        [orgA, orgB],
      );
      seeded.set(table.name, counts.rows[0]);
    }
  }, 120_000);

  afterAll(async () => {
    for (const app of apps.values()) await app.destroy();
    await owner?.end();
    await drop?.();
  });

  describe('the catalogue', () => {
    it('every table of intake, workflow, notify and gateway is under forced row-level security with a tenant policy, or is allow-listed with its reason', () => {
      const problems = [...tables.values()]
        .filter((t) => !(t.name in NOT_TENANT_TABLES))
        .map((t) => ({ table: t.name, problem: policyProblem(t) }))
        .filter((p) => p.problem !== null);
      expect(problems).toEqual([]);
      expect(tenantTables().length).toBeGreaterThan(20);
    });

    it('the allow-list names only tables that exist and have no policy (a stale or needless entry is removed)', () => {
      const stale = Object.keys(NOT_TENANT_TABLES).filter((name) => {
        const table = tables.get(name);
        return !table || table.policies.length > 0;
      });
      expect(stale).toEqual([]);
    });

    it('every tenant table can be seeded for two organisations (else: add a row override for it)', () => {
      expect(Object.fromEntries(unseeded)).toEqual({});
      const empty = [...seeded].filter(([, n]) => n.a === 0 || n.b === 0).map(([name]) => name);
      expect(empty).toEqual([]);
    });

    it('each application role owns nothing, is neither superuser nor BYPASSRLS, inherits from no role and has no setting of its scope', async () => {
      for (const schema of SCHEMAS) {
        const role = appRoleOf(schema);
        const { rows } = await owner.query(
          `select r.rolcanlogin as login, r.rolsuper as super, r.rolbypassrls as bypass, r.rolcreaterole as createrole,
                  (select count(*)::int from pg_class c where c.relowner = r.oid) as owns_relations,
                  (select count(*)::int from pg_namespace n where n.nspowner = r.oid) as owns_schemas,
                  (select count(*)::int from pg_proc p where p.proowner = r.oid) as owns_functions,
                  (select count(*)::int from pg_auth_members m where m.member = r.oid) as member_of,
                  (select count(*)::int from pg_db_role_setting s
                    where (s.setrole = r.oid or s.setrole = 0)
                      and exists (select 1 from unnest(s.setconfig) c where c like 'app.%')) as scope_settings
             from pg_roles r where r.rolname = $1`,
          [role],
        );
        expect({ role, ...rows[0] }).toEqual({
          role,
          login: true,
          super: false,
          bypass: false,
          createrole: false,
          owns_relations: 0,
          owns_schemas: 0,
          owns_functions: 0,
          member_of: 0,
          scope_settings: 0,
        });
      }
    });

    it('no application role may TRUNCATE (it ignores row-level security), nor reach another service’s schema', async () => {
      const { rows } = await owner.query<{ role: string; table: string; privilege: string }>(
        `select r.rolname as role, n.nspname || '.' || c.relname as table, p.privilege
           from pg_class c join pg_namespace n on n.oid = c.relnamespace
           cross join (select rolname from pg_roles where rolname = any($2)) r
           cross join unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'TRIGGER', 'REFERENCES']) p(privilege)
          where n.nspname = any($1) and c.relkind in ('r', 'p', 'v', 'm', 'f')
            and has_table_privilege(r.rolname, c.oid, p.privilege)
            and (p.privilege in ('TRUNCATE', 'TRIGGER', 'REFERENCES') or r.rolname <> 'otklik_' || n.nspname)
          order by 1, 2, 3`,
        [SCHEMAS, SCHEMAS.map(appRoleOf)],
      );
      expect(rows).toEqual([]);
      const schemas = await owner.query(
        `select r.rolname as role, n.nspname as schema from pg_namespace n
           cross join (select rolname from pg_roles where rolname = any($2)) r
          where n.nspname = any($1) and r.rolname <> 'otklik_' || n.nspname
            and has_schema_privilege(r.rolname, n.oid, 'USAGE')`,
        [SCHEMAS, SCHEMAS.map(appRoleOf)],
      );
      expect(schemas.rows).toEqual([]);
    });

    it('no view, materialized view or SECURITY DEFINER function lets an application role around the policies', async () => {
      const views = await owner.query(
        `select n.nspname || '.' || c.relname as view, c.relkind as kind from pg_class c
           join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = any($1) and c.relkind in ('v', 'm')
            and has_table_privilege('otklik_' || n.nspname, c.oid, 'SELECT')
            and (c.relkind = 'm' or not coalesce(c.reloptions @> array['security_invoker=true']
                                              or c.reloptions @> array['security_invoker=on'], false))`,
        [SCHEMAS],
      );
      expect(views.rows).toEqual([]);
      const definers = await owner.query(
        `select p.oid::regprocedure::text as function from pg_proc p join pg_namespace n on n.oid = p.pronamespace
          where n.nspname = any($1) and p.prosecdef and has_function_privilege('otklik_' || n.nspname, p.oid, 'EXECUTE')`,
        [SCHEMAS],
      );
      expect(definers.rows).toEqual([]);
    });

    it('a service’s session is its application role’s own login, not a superuser', async () => {
      for (const [schema, app] of apps) {
        const [me] = await asApp(
          app,
          ALL_ORGS,
          async (query) =>
            (
              await query(
                `select session_user as login, current_user as who, current_setting('is_superuser') as superuser`,
              )
            ).records as Array<{ login: string; who: string; superuser: string }>,
        );
        const role = appRoleOf(schema);
        expect({ schema, ...me }).toEqual({ schema, login: role, who: role, superuser: 'off' });
      }
    });

    it('no statement leads a session back to a superuser: SET ROLE, RESET ROLE, SET SESSION AUTHORIZATION fail or leave the role', async () => {
      const attempts = [
        'set role postgres',
        'set role none',
        'reset role',
        'set session authorization postgres',
        'reset session authorization',
        'set session authorization default',
      ];
      for (const [schema, app] of apps) {
        const role = appRoleOf(schema);
        const outcomes: Record<string, string> = {};
        for (const sql of attempts) {
          outcomes[sql] = await asApp(app, ALL_ORGS, async (query) => {
            await query(sql);
            const { records } = await query(`select current_user as who, current_setting('is_superuser') as superuser`);
            const me = records[0] as { who: string; superuser: string };
            return `${me.who}, superuser ${me.superuser}`;
          }).catch((error: unknown) => `refused ${codeOf(error)}`);
        }
        const stillRole = `${role}, superuser off`;
        expect({ schema, outcomes }).toEqual({
          schema,
          outcomes: {
            'set role postgres': 'refused 42501',
            'set role none': stillRole,
            'reset role': stillRole,
            'set session authorization postgres': 'refused 42501',
            'reset session authorization': stillRole,
            'set session authorization default': stillRole,
          },
        });
      }
    });

    it('an application role can create nothing: no table in public or its own schema, no schema', async () => {
      for (const [schema, app] of apps) {
        const outcomes: Record<string, string | undefined> = {};
        for (const sql of [
          'create table public.rls_probe (x int)',
          `create table ${quoteIdent(schema)}.rls_probe (x int)`,
          `create view ${quoteIdent(schema)}.rls_probe as select 1 as x`,
          `create function ${quoteIdent(schema)}.rls_probe() returns int language sql as 'select 1'`,
          'create schema rls_probe',
        ]) {
          outcomes[sql] = await asApp(app, ALL_ORGS, (query) => query(sql)).then(
            () => 'created',
            (error: unknown) => codeOf(error),
          );
        }
        const refused = Object.fromEntries(Object.keys(outcomes).map((sql) => [sql, '42501']));
        expect({ schema, outcomes }).toEqual({ schema, outcomes: refused });
      }
    });
  });

  describe('as the application role', () => {
    it('a system scope (app.all_orgs) sees both organisations’ rows: the rows are there to be found', async () => {
      const wrong: string[] = [];
      for (const table of tenantTables().filter((t) => t.app.select)) {
        const rows = await asApp(appOf(table), ALL_ORGS, (query) => visible(table, query));
        const expected = seeded.get(table.name);
        if (rows.a !== expected?.a || rows.b !== expected.b) wrong.push(`${table.name}: ${JSON.stringify(rows)}`);
      }
      expect(wrong).toEqual([]);
    });

    it('an organisation’s scope sees exactly its own rows in every tenant table, never the other’s', async () => {
      const wrong: string[] = [];
      for (const table of tenantTables()) {
        const expected = seeded.get(table.name) as { a: number; b: number };
        for (const [org, own] of [
          [orgA, { a: expected.a, b: 0, total: expected.a }],
          [orgB, { a: 0, b: expected.b, total: expected.b }],
        ] as const) {
          if (!table.app.select) continue;
          const rows = await asApp(appOf(table), orgsScope([org]), (query) => visible(table, query));
          if (JSON.stringify(rows) !== JSON.stringify(own)) {
            wrong.push(`${table.name} as ${org === orgA ? 'A' : 'B'}: saw ${JSON.stringify(rows)}`);
          }
        }
      }
      expect(wrong).toEqual([]);
    });

    it('with no scope — never set in the session, set empty as UnitOfWork does, or left over from an earlier transaction — every tenant table reads empty', async () => {
      const leaks: string[] = [];
      for (const schema of apps.keys()) {
        const own = tenantTables().filter((t) => t.schema === schema && t.app.select);
        // A connection of its own, on which no scope was ever set: current_setting(…, true) is NULL.
        const fresh = createAppDataSource({
          schema,
          databaseUrl,
          entities: [],
          migrations: [],
          poolSize: 1,
        });
        await fresh.initialize();
        try {
          for (const table of own) {
            const never = await asApp(fresh, null, (query) => visible(table, query));
            if (never.total !== 0) leaks.push(`${table.name} never set: ${never.total}`);
          }
          // The session had A's scope in a committed transaction; the next one sets none and sees ''.
          await asApp(fresh, orgsScope([orgA]), (query) => query('select 1'), true);
          for (const table of own) {
            const after = await asApp(fresh, null, (query) => visible(table, query));
            if (after.total !== 0) leaks.push(`${table.name} after an earlier scope: ${after.total}`);
            const empty = await asApp(fresh, orgsScope([]), (query) => visible(table, query));
            if (empty.total !== 0) leaks.push(`${table.name} empty scope: ${empty.total}`);
          }
        } finally {
          await fresh.destroy();
        }
      }
      expect(leaks).toEqual([]);
    });

    it('UPDATE and DELETE of the other organisation’s rows change nothing (and would change them under its own scope)', async () => {
      const wrong: string[] = [];
      for (const table of tenantTables()) {
        const column = quoteIdent(table.tenantColumn as string);
        const statements: Array<[string, string]> = [];
        if (table.app.update) {
          const set = quoteIdent(table.app.updatable[0]);
          statements.push(['UPDATE', `update ${table.qualified} set ${set} = ${set} where ${column} = $1`]);
        }
        if (table.app.delete) statements.push(['DELETE', `delete from ${table.qualified} where ${column} = $1`]);
        for (const [verb, sql] of statements) {
          // The control last: under B's own scope the same statement does reach B's rows (rolled back).
          for (const [label, scope, expected] of [
            ['A', orgsScope([orgA]), 0],
            ['no', orgsScope([]), 0],
            ['B', orgsScope([orgB]), seeded.get(table.name)?.b],
          ] as const) {
            const affected = await asApp(appOf(table), scope, (query) => query(sql, [orgB])).then(
              (r) => r.affected,
              (error: Error) => error.message,
            );
            if (affected !== expected) wrong.push(`${verb} ${table.name} of B under ${label} scope: ${affected}`);
          }
        }
      }
      expect(wrong).toEqual([]);
    });

    it('INSERT of another organisation’s row is refused by the policy’s WITH CHECK (and accepted under that organisation’s own scope)', async () => {
      const wrong: string[] = [];
      for (const table of tenantTables().filter((t) => t.app.insert)) {
        // An organisation with no row of this table yet, so that its own scope can insert the same row.
        const orgC = randomUUID();
        const { sql, values } = insertStatement(table, await factory.build(table.name, orgC));
        for (const [label, scope] of [
          ['A', orgsScope([orgA])],
          ['no', orgsScope([])],
          ['unset', null],
        ] as const) {
          const outcome = await asApp(appOf(table), scope, (query) => query(sql, values)).then(
            () => 'inserted',
            (error: Error) => (/row-level security policy/.test(error.message) ? 'refused' : error.message),
          );
          if (outcome !== 'refused') wrong.push(`${table.name} for C under ${label} scope: ${outcome}`);
        }
        const control = await asApp(appOf(table), orgsScope([orgC]), (query) => query(sql, values)).then(
          (r) => r.affected,
          (error: Error) => error.message,
        );
        if (control !== 1) wrong.push(`${table.name} for C under C's own scope: ${control}`);
      }
      expect(wrong).toEqual([]);
    });

    it('UPDATE that hands an organisation’s row to another is refused by WITH CHECK', async () => {
      const wrong: string[] = [];
      for (const table of tenantTables().filter((t) => t.app.updatable.includes(t.tenantColumn as string))) {
        const column = quoteIdent(table.tenantColumn as string);
        const outcome = await asApp(appOf(table), orgsScope([orgA]), (query) =>
          query(`update ${table.qualified} set ${column} = $1 where ${column} = $2`, [orgB, orgA]),
        ).then(
          (r) => `moved ${r.affected}`,
          (error: Error) => (/row-level security policy/.test(error.message) ? 'refused' : error.message),
        );
        if (outcome !== 'refused') wrong.push(`${table.name}: ${outcome}`);
      }
      expect(wrong).toEqual([]);
    });
  });

  describe('append-only tables', () => {
    const appendOnly = () =>
      [...tables.values()].filter((t) => t.app.insert && !t.app.update && !t.app.delete).map((t) => t.name);

    it('the records of what happened are append-only for the application role', () => {
      expect(APPEND_ONLY_TABLES.filter((name) => !appendOnly().includes(name))).toEqual([]);
    });

    it('UPDATE and DELETE are refused even under the system scope', async () => {
      const wrong: string[] = [];
      for (const name of appendOnly()) {
        const table = tables.get(name) as Table;
        const column = quoteIdent(table.columns[0].name);
        for (const sql of [`update ${table.qualified} set ${column} = ${column}`, `delete from ${table.qualified}`]) {
          const outcome = await asApp(appOf(table), ALL_ORGS, (query) => query(sql)).then(
            (r) => `changed ${r.affected}`,
            (error: unknown) => codeOf(error),
          );
          if (outcome !== '42501') wrong.push(`${name}: ${sql}: ${outcome}`);
        }
      }
      expect(wrong).toEqual([]);
    });

    it('columns the application role may not update (what was received, from whom, when) are refused', async () => {
      const wrong: string[] = [];
      for (const table of [...tables.values()].filter((t) => t.app.update)) {
        const fixed = table.columns.find((c) => !table.app.updatable.includes(c.name));
        if (!fixed) continue;
        const column = quoteIdent(fixed.name);
        const outcome = await asApp(appOf(table), ALL_ORGS, (query) =>
          query(`update ${table.qualified} set ${column} = ${column}`),
        ).then(
          (r) => `changed ${r.affected}`,
          (error: unknown) => codeOf(error),
        );
        if (outcome !== '42501') wrong.push(`${table.name}.${fixed.name}: ${outcome}`);
      }
      expect(wrong).toEqual([]);
    });

    it('the history of cases refuses UPDATE and DELETE even from the owner (its triggers)', async () => {
      const guarded = [...tables.values()].filter((t) => t.guardTriggers.length > 0);
      expect(guarded.map((t) => t.name)).toEqual(
        expect.arrayContaining(['workflow.case_transitions', 'workflow.case_comments']),
      );
      const wrong: string[] = [];
      for (const table of guarded) {
        const column = quoteIdent(table.columns[0].name);
        for (const sql of [`update ${table.qualified} set ${column} = ${column}`, `delete from ${table.qualified}`]) {
          await owner.query('begin');
          const outcome = await owner.query(sql).then(
            (r) => `changed ${r.rowCount}`,
            (error: Error) => (/append-only/.test(error.message) ? 'refused' : error.message),
          );
          await owner.query('rollback');
          if (outcome !== 'refused') wrong.push(`${table.name}: ${sql}: ${outcome}`);
        }
      }
      expect(wrong).toEqual([]);
    });
  });
});
