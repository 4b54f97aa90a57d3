import { developmentAuthDefaults } from '@otklik/auth';
import { loadNatsSecurity, NatsSecurity, NatsSettingsError } from '@otklik/messaging';
import { parseLogLevel } from '@otklik/observability';
import { appRoleOf, loginUserOf } from '@otklik/persistence';
import type { LevelWithSilent } from 'pino';

/** Injection token of the app's ServiceConfig. */
export const SERVICE_CONFIG = Symbol('ServiceConfig');

export type ServiceName = 'intake' | 'workflow' | 'notify';

/** The settings every subgraph service shares, read once at boot (STYLE.md §6). */
export interface ServiceConfig {
  service: ServiceName;
  production: boolean;
  port: number;
  /** DATABASE_URL: the owner's login, which migrates. */
  databaseUrl: string;
  /** APP_DATABASE_URL as given: the application role's own login (default: DATABASE_URL as the role). */
  appDatabaseUrl?: string;
  /** APP_DATABASE_PASSWORD: the application role's password, set by the migrations. */
  appDatabasePassword?: string;
  natsUrl: string;
  /** NATS_USER/NATS_PASSWORD, NATS_TOKEN or NATS_CREDS_FILE; NATS_TLS_*_FILE (libs/messaging nats.settings.ts). */
  natsSecurity: NatsSecurity;
  eventsPrefix: string;
  internalSecret: string;
  logLevel: LevelWithSilent;
  /** Seed the demo district into empty tables (npm start, tests). */
  demoSeed: boolean;
  /** Build the GraphQL schema and print it; touch neither database nor NATS (supergraph composition). */
  printSchema: boolean;
}

/** A setting that is missing or malformed: the app stops at start with the setting's name. */
export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    problem: string,
  ) {
    super(`${setting}: ${problem}`);
    this.name = 'ConfigError';
  }
}

const DEFAULT_PORTS: Record<ServiceName, number> = { intake: 4001, workflow: 4002, notify: 4003 };

export function readPort(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new ConfigError(name, `must be a port number (0–65535), got "${raw}"`);
  return port;
}

export function readUrl(env: NodeJS.ProcessEnv, name: string, fallback: string, protocols: string[]): string {
  const given = env[name];
  const raw = given === undefined || given === '' ? fallback : given;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    // Not the value itself: a URL that does not parse may still carry a password.
    throw new ConfigError(name, `must be a URL such as ${fallback}; the value given does not parse`);
  }
  if (!protocols.includes(parsed.protocol)) throw new ConfigError(name, `must start with ${protocols.join(' or ')}`);
  return raw;
}

export function readBoolean(env: NodeJS.ProcessEnv, name: string, fallback = false): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['true', '1', 'yes'].includes(raw.toLowerCase())) return true;
  if (['false', '0', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

/** Where a service's database settings come from and how its queries log in (docs/security.md). */
export interface DatabaseSettings {
  databaseUrl: string;
  appDatabaseUrl?: string;
  appDatabasePassword?: string;
}

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/otklik';
const POSTGRES = ['postgres:', 'postgresql:'];
const hasPassword = (url: string): boolean => new URL(url).password !== '' || new URL(url).searchParams.has('password');

/**
 * DATABASE_URL (the owner: migrations), and the login of the schema's application role that
 * every query uses: APP_DATABASE_URL, or DATABASE_URL with the role as user and
 * APP_DATABASE_PASSWORD as password (none: trust/peer auth, development and CI machines).
 * Production needs APP_DATABASE_URL or APP_DATABASE_PASSWORD.
 */
export function readDatabaseSettings(env: NodeJS.ProcessEnv, schema: string, production: boolean): DatabaseSettings {
  const databaseUrl = readUrl(env, 'DATABASE_URL', DEFAULT_DATABASE_URL, POSTGRES);
  const role = appRoleOf(schema);
  const appDatabaseUrl = env.APP_DATABASE_URL
    ? readUrl(env, 'APP_DATABASE_URL', `postgres://${role}@127.0.0.1:5432/otklik`, POSTGRES)
    : undefined;
  if (appDatabaseUrl && loginUserOf(appDatabaseUrl) !== role) {
    throw new ConfigError('APP_DATABASE_URL', `must log in as ${role}, the application role of ${schema}`);
  }
  const appDatabasePassword = env.APP_DATABASE_PASSWORD || undefined;
  // Printable ASCII: SASLprep leaves it as it is, so the verifier the migrations set matches the client's.
  if (appDatabasePassword !== undefined && !/^[\x21-\x7e]+$/.test(appDatabasePassword)) {
    throw new ConfigError('APP_DATABASE_PASSWORD', 'must be printable ASCII without spaces');
  }
  if (appDatabaseUrl && appDatabasePassword && hasPassword(appDatabaseUrl)) {
    throw new ConfigError('APP_DATABASE_PASSWORD', 'APP_DATABASE_URL carries a password already: give it once');
  }
  if (production && !appDatabaseUrl && !appDatabasePassword) {
    throw new ConfigError(
      'APP_DATABASE_URL or APP_DATABASE_PASSWORD',
      `one is required in production: how ${role} logs in for the queries (DATABASE_URL only migrates)`,
    );
  }
  return {
    databaseUrl,
    ...(appDatabaseUrl ? { appDatabaseUrl } : {}),
    ...(appDatabasePassword ? { appDatabasePassword } : {}),
  };
}

export function loadServiceConfig(service: ServiceName, env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const production = env.NODE_ENV === 'production';
  const development = developmentAuthDefaults(env.NODE_ENV);
  const internalSecret = env.INTERNAL_AUTH_SECRET || development?.internalSecret;
  if (!internalSecret) throw new ConfigError('INTERNAL_AUTH_SECRET', 'is required in production');
  if (production && internalSecret.length < 32)
    throw new ConfigError('INTERNAL_AUTH_SECRET', 'must be at least 32 characters');
  const eventsPrefix = env.EVENTS_PREFIX || 'otklik';
  if (!/^[a-z][a-z0-9_]*$/.test(eventsPrefix))
    throw new ConfigError('EVENTS_PREFIX', 'must be lower-case letters, digits or _');
  let logLevel: LevelWithSilent;
  try {
    logLevel = parseLogLevel(env.LOG_LEVEL);
  } catch (error) {
    throw new ConfigError('LOG_LEVEL', (error as Error).message);
  }
  return {
    service,
    production,
    port: readPort(env, `${service.toUpperCase()}_PORT`, DEFAULT_PORTS[service]),
    ...readDatabaseSettings(env, service, production),
    natsUrl: readUrl(env, 'NATS_URL', 'nats://127.0.0.1:4222', ['nats:', 'tls:']),
    natsSecurity: readNatsSecurity(env),
    eventsPrefix,
    internalSecret,
    logLevel,
    demoSeed: readBoolean(env, 'OTKLIK_DEMO_SEED'),
    printSchema: readBoolean(env, 'OTKLIK_PRINT_SCHEMA'),
  };
}

/** NATS credentials and TLS, a bad one a ConfigError naming it (never its value). */
export function readNatsSecurity(env: NodeJS.ProcessEnv): NatsSecurity {
  try {
    return loadNatsSecurity(env);
  } catch (error) {
    if (error instanceof NatsSettingsError) throw new ConfigError(error.setting, error.problem);
    throw error;
  }
}
