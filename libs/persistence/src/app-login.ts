import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { redactUrl } from './database-url';
import { appRoleOf } from './tenant-policy';

/** Where a service's queries log in: as its application role, never as the owner. */
export interface AppLoginOptions {
  /** The service's schema: its application role is appRoleOf(schema). */
  schema: string;
  /** The owner's URL (DATABASE_URL): the default login is the same server and database. */
  databaseUrl: string;
  /** APP_DATABASE_URL: the application role's own URL, used as given. */
  appDatabaseUrl?: string;
  /** APP_DATABASE_PASSWORD: the role's password (none: trust or peer authentication). */
  appPassword?: string;
}

/** The user a postgres:// URL logs in as: node-pg reads `?user=` before the URL's user. */
export function loginUserOf(url: string): string {
  const parsed = new URL(url);
  return parsed.searchParams.get('user') || decodeURIComponent(parsed.username);
}

/**
 * The URL the service queries with: `appDatabaseUrl` when given (with `appPassword` if it
 * carries none), else the owner's URL logging in as the application role with `appPassword`.
 * Its session is the role itself, so no `SET ROLE` can lead back to the owner's rights.
 */
export function appLoginUrl(options: AppLoginOptions): string {
  const parsed = new URL(options.appDatabaseUrl ?? options.databaseUrl);
  const password = options.appPassword ?? '';
  // A URL without a host (a socket given as ?host=/run/postgresql) cannot carry credentials: its query does.
  const socket = parsed.hostname === '';
  if (options.appDatabaseUrl) {
    const hasPassword = parsed.password !== '' || parsed.searchParams.has('password');
    if (!hasPassword && password) {
      if (socket) parsed.searchParams.set('password', password);
      else parsed.password = encodeURIComponent(password);
    }
    return parsed.toString();
  }
  // Nothing of the owner's login may remain: node-pg would prefer ?user= and fall back on its password.
  const role = appRoleOf(options.schema);
  parsed.searchParams.delete('user');
  parsed.searchParams.delete('password');
  if (socket) {
    parsed.searchParams.set('user', role);
    if (password) parsed.searchParams.set('password', password);
  } else {
    parsed.username = encodeURIComponent(role);
    parsed.password = encodeURIComponent(password);
  }
  return parsed.toString();
}

/** For log lines and errors: which login, on which server, without its password. */
export function describeLogin(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.searchParams.has('password')) parsed.searchParams.set('password', '***');
    return `${loginUserOf(url)} at ${redactUrl(parsed.toString())}`;
  } catch {
    return '<unparseable url>';
  }
}

const SCRAM_ITERATIONS = 4096;

/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores for `password`, so that `ALTER ROLE … PASSWORD`
 * sends the verifier and never the password (statement logs, pg_stat_statements). By hand:
 * neither pg nor TypeORM exports it; this is libpq's PQencryptPasswordConn (RFC 5802/7677).
 * Passwords are printable ASCII (service config), for which SASLprep changes nothing.
 */
export function scramSha256Verifier(password: string, salt: Uint8Array = new Uint8Array(randomBytes(16))): string {
  // Uint8Array rather than Buffer throughout: with TypeScript 6's typed arrays, @types/node 20's Buffer is not a BinaryLike.
  const salted = new Uint8Array(pbkdf2Sync(password, salt, SCRAM_ITERATIONS, 32, 'sha256'));
  const hmac = (key: Uint8Array, text: string) => new Uint8Array(createHmac('sha256', key).update(text).digest());
  const storedKey = createHash('sha256').update(hmac(salted, 'Client Key')).digest('base64');
  const serverKey = Buffer.from(hmac(salted, 'Server Key')).toString('base64');
  return `SCRAM-SHA-256$${SCRAM_ITERATIONS}:${Buffer.from(salt).toString('base64')}$${storedKey}:${serverKey}`;
}
