import { Client } from 'pg';
import { createLogger } from '@otklik/observability';
import { createTestDatabase, uniqueSuffix } from '@otklik/testing';
import { scramSha256Verifier } from './app-login';
import { quoteIdent, withDatabase } from './database-url';
import { assertAppLogin, createAppDataSource, migrateServiceDatabase } from './service-database';
import { appRoleOf } from './tenant-policy';

/*
 * The application role logs in itself (docs/security.md "Tenant isolation in the database"):
 * the migrations make it a login, set its password as a SCRAM verifier, refuse a role that
 * row-level security would not bind, and a service refuses to query as anyone else.
 * Roles are cluster-wide, so this file's schema (and role) is its own, dropped afterwards.
 */
describe('the application role’s own login', () => {
  const schema = `loginprobe_${uniqueSuffix()}`;
  const role = appRoleOf(schema);
  let url: string;
  let drop: () => Promise<void>;
  let server: Client;
  const options = () => ({
    schema,
    databaseUrl: url,
    entities: [],
    migrations: [],
    logger: createLogger('test', 'silent'),
  });
  const roleState = async () =>
    (
      await server.query<{ login: boolean; super: boolean; bypass: boolean; password: string | null }>(
        `select rolcanlogin as login, rolsuper as super, rolbypassrls as bypass, rolpassword as password
           from pg_authid where rolname = $1`,
        [role],
      )
    ).rows[0];

  beforeAll(async () => {
    const db = await createTestDatabase('app_login');
    url = db.url;
    drop = db.drop;
    server = new Client({ connectionString: url });
    await server.connect();
  });
  afterAll(async () => {
    await server?.end();
    await drop?.();
    const admin = new Client({ connectionString: withDatabase(url, 'postgres') });
    await admin.connect();
    await admin.query(`drop role if exists ${quoteIdent(role)}`).finally(() => admin.end());
  });

  it('a role left from before (nologin) becomes a login, still neither superuser nor BYPASSRLS', async () => {
    await server.query(`create role ${quoteIdent(role)} nologin nosuperuser nobypassrls`);
    await migrateServiceDatabase(options());
    expect(await roleState()).toEqual({ login: true, super: false, bypass: false, password: null });
  });

  it('queries log in as the role itself: session_user is the role, and the checked data source is accepted', async () => {
    const app = createAppDataSource({ ...options(), poolSize: 1 });
    await app.initialize();
    try {
      const [me] = await app.query<Array<{ login: string; who: string }>>(
        'select session_user as login, current_user as who',
      );
      expect(me).toEqual({ login: role, who: role });
      await expect(assertAppLogin(app, schema)).resolves.toBeUndefined();
    } finally {
      await app.destroy();
    }
  });

  it('APP_DATABASE_PASSWORD is stored as the SCRAM verifier that the migrations computed (they send no password)', async () => {
    const password = 'an-app-password-0123';
    await migrateServiceDatabase({ ...options(), appPassword: password });
    const stored = (await roleState()).password ?? '';
    expect(stored).toMatch(/^SCRAM-SHA-256\$4096:/);
    const salt = new Uint8Array(Buffer.from(stored.split(/[:$]/)[2], 'base64'));
    expect(scramSha256Verifier(password, salt)).toBe(stored);
    expect(scramSha256Verifier('another-password', salt)).not.toBe(stored);
  });

  it('a data source logged in as anyone else — the owner, say, by a wrong APP_DATABASE_URL — is refused', async () => {
    const owner = createAppDataSource({ ...options(), appDatabaseUrl: url, poolSize: 1 });
    await owner.initialize();
    try {
      await expect(assertAppLogin(owner, schema)).rejects.toThrow(`queries must log in as ${role}, not as postgres`);
    } finally {
      await owner.destroy();
    }
  });

  it('a role made a superuser or BYPASSRLS by hand stops the migrations, and the service with them', async () => {
    for (const attribute of ['superuser', 'bypassrls']) {
      await server.query(`alter role ${quoteIdent(role)} ${attribute}`);
      try {
        await expect(migrateServiceDatabase(options())).rejects.toThrow(
          `the application role ${role} is ${attribute === 'superuser' ? 'a superuser' : 'BYPASSRLS'}`,
        );
        const app = createAppDataSource({ ...options(), poolSize: 1 });
        await app.initialize();
        await expect(assertAppLogin(app, schema))
          .rejects.toThrow(/row-level security would not bind it/)
          .finally(() => app.destroy());
      } finally {
        await server.query(`alter role ${quoteIdent(role)} no${attribute}`);
      }
    }
  });
});
