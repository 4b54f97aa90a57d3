import { developmentAuthDefaults } from '@otklik/auth';
import { parseLogLevel } from '@otklik/observability';
import type { LevelWithSilent } from 'pino';

/** Injection token of the app's ServiceConfig. */
export const SERVICE_CONFIG = Symbol('ServiceConfig');

export type ServiceName = 'intake' | 'workflow' | 'notify';

/** The settings every subgraph service shares, read once at boot (STYLE.md §6). */
export interface ServiceConfig {
  service: ServiceName;
  production: boolean;
  port: number;
  databaseUrl: string;
  natsUrl: string;
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
    databaseUrl: readUrl(env, 'DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/otklik', [
      'postgres:',
      'postgresql:',
    ]),
    natsUrl: readUrl(env, 'NATS_URL', 'nats://127.0.0.1:4222', ['nats:', 'tls:']),
    eventsPrefix,
    internalSecret,
    logLevel,
    demoSeed: readBoolean(env, 'OTKLIK_DEMO_SEED'),
    printSchema: readBoolean(env, 'OTKLIK_PRINT_SCHEMA'),
  };
}
