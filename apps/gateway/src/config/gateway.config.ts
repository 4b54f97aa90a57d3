import { DEVELOPMENT_AUTH, developmentAuthDefaults, JwtVerifierConfig, readTokenPolicy } from '@otklik/auth';
import { loadNatsSecurity, NatsSecurity, NatsSettingsError } from '@otklik/messaging';
import { parseLogLevel } from '@otklik/observability';
import { readRateLimit, RateLimitSetting } from '@otklik/rate-limit';
import express from 'express';
import type { LevelWithSilent } from 'pino';
import { OperationLimits, readOperationLimits } from '../limits/limits.config';

/** Everything the gateway reads from its environment, checked once at start (STYLE.md §6). */
export interface GatewayConfig {
  readonly nodeEnv: string;
  readonly production: boolean;
  readonly port: number;
  /** How people's JWTs are checked. */
  readonly auth: JwtVerifierConfig;
  /** INTERNAL_AUTH_SECRET: signs viewer tokens for subgraphs and the service token for workflow. */
  readonly internalSecret: string;
  readonly natsServers: readonly string[];
  /** NATS_USER/NATS_PASSWORD, NATS_TOKEN or NATS_CREDS_FILE; NATS_TLS_*_FILE (libs/messaging nats.settings.ts). */
  readonly natsSecurity: NatsSecurity;
  readonly eventsPrefix: string;
  readonly subgraphUrls: Readonly<Record<SubgraphName, string>>;
  /** WORKFLOW_URL without `/graphql`: where `/internal/viewers/{login}` lives. */
  readonly workflowBaseUrl: string;
  readonly logLevel: LevelWithSilent;
  /** SUPERGRAPH_PATH: where the composed supergraph is; default apps/gateway/supergraph.graphql of the checkout. */
  readonly supergraphPath?: string;
  /** GRAPHQL_*: what every operation is held to, and production's hardening (limits/limits.config.ts). */
  readonly limits: OperationLimits;
  /** DATABASE_URL: the owner's login, which migrates schema `gateway` (the rate-limit counters). */
  readonly databaseUrl: string;
  /** APP_DATABASE_URL: the login of otklik_gateway that counts (default: DATABASE_URL as that role). */
  readonly appDatabaseUrl?: string;
  /** APP_DATABASE_PASSWORD: otklik_gateway's password, set by the migrations. */
  readonly appDatabasePassword?: string;
  /**
   * GATEWAY_TRUST_PROXY, Express's 'trust proxy': which proxies' X-Forwarded-For names the client
   * (a hop count, addresses or subnets, `loopback`…); false: the connection's own address.
   */
  readonly trustProxy: TrustProxy;
  /** Shared by the replicas through the database; null: off. */
  readonly rateLimits: GatewayRateLimitSettings;
}

export type TrustProxy = boolean | number | string;

export interface GatewayRateLimitSettings {
  /** GATEWAY_RATE_LIMIT_IP: requests to /graphql per client address, before authentication (WebSocket: per connection). */
  readonly ip: RateLimitSetting | null;
  /** GATEWAY_RATE_LIMIT_USER: operations per signed-in login, after authentication (WebSocket: per Subscribe message). */
  readonly user: RateLimitSetting | null;
}

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/otklik';
/** An office behind one address shares this; each person has the per-user budget within it. */
export const DEFAULT_RATE_LIMIT_IP = '1200/60s';
export const DEFAULT_RATE_LIMIT_USER = '300/60s';

export const SUBGRAPHS = ['intake', 'workflow', 'notify'] as const;
export type SubgraphName = (typeof SUBGRAPHS)[number];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`the gateway cannot start; fix its environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const SUBGRAPH_DEFAULTS: Record<SubgraphName, { variable: string; url: string }> = {
  intake: { variable: 'INTAKE_URL', url: 'http://127.0.0.1:4001/graphql' },
  workflow: { variable: 'WORKFLOW_URL', url: 'http://127.0.0.1:4002/graphql' },
  notify: { variable: 'NOTIFY_URL', url: 'http://127.0.0.1:4003/graphql' },
};
/** A production secret must be long and must not be one of the checked-in development ones. */
const MIN_SECRET_LENGTH = 32;

export function loadGatewayConfig(env: Env = process.env): GatewayConfig {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const nodeEnv = read('NODE_ENV') ?? 'development';
  const production = nodeEnv === 'production';
  const development = developmentAuthDefaults(nodeEnv);

  const port = parsePort(read('GATEWAY_PORT') ?? '4000');
  if (port === null) problems.push(`GATEWAY_PORT: must be a port number 0–65535 (got "${read('GATEWAY_PORT')}")`);

  const productionSecret = (name: string, value: string, devValue: string) => {
    if (!production) return;
    if (value.length < MIN_SECRET_LENGTH)
      problems.push(`${name}: must be at least ${MIN_SECRET_LENGTH} characters in production`);
    if (value === devValue) problems.push(`${name}: the development secret cannot be used in production`);
  };

  const auth = readAuth(read, development, problems);
  if (auth?.kind === 'secret' && read('AUTH_JWT_SECRET'))
    productionSecret('AUTH_JWT_SECRET', auth.secret, DEVELOPMENT_AUTH.jwtSecret);

  const internalSecret = read('INTERNAL_AUTH_SECRET') ?? development?.internalSecret;
  if (!internalSecret) problems.push('INTERNAL_AUTH_SECRET: required in production (shared with the subgraphs)');
  else productionSecret('INTERNAL_AUTH_SECRET', internalSecret, DEVELOPMENT_AUTH.internalSecret);

  const natsServers = (read('NATS_URL') ?? 'nats://127.0.0.1:4222').split(',').map((s) => s.trim());
  for (const server of natsServers) {
    if (!isUrl(server, ['nats:', 'tls:'])) problems.push(`NATS_URL: "${server}" is not a nats:// or tls:// URL`);
  }
  let natsSecurity: NatsSecurity | null = null;
  try {
    natsSecurity = loadNatsSecurity(env);
  } catch (error) {
    if (!(error instanceof NatsSettingsError)) throw error;
    problems.push(error.message);
  }

  const eventsPrefix = read('EVENTS_PREFIX') ?? 'otklik';
  if (!/^[A-Za-z0-9_-]+$/.test(eventsPrefix))
    problems.push(`EVENTS_PREFIX: must be one subject token of letters, digits, _ or - (got "${eventsPrefix}")`);

  const subgraphUrls = {} as Record<SubgraphName, string>;
  for (const name of SUBGRAPHS) {
    const { variable, url } = SUBGRAPH_DEFAULTS[name];
    subgraphUrls[name] = read(variable) ?? url;
    if (!isUrl(subgraphUrls[name], ['http:', 'https:']))
      problems.push(`${variable}: "${subgraphUrls[name]}" is not an http(s) URL`);
  }

  let logLevel: LevelWithSilent = 'info';
  try {
    logLevel = parseLogLevel(read('LOG_LEVEL'));
  } catch (error) {
    problems.push((error as Error).message.replace(/^LOG_LEVEL /, 'LOG_LEVEL: '));
  }

  const limits = readOperationLimits(read, production, problems);

  // As the subgraph services read them (libs/service-kit readDatabaseSettings), problems listed rather than
  // thrown. Without APP_DATABASE_URL or APP_DATABASE_PASSWORD the counters log in as otklik_gateway with no
  // password: fine on trust/peer authentication; elsewhere the start stops at the database, saying so.
  const databaseUrl = read('DATABASE_URL') ?? DEFAULT_DATABASE_URL;
  const appDatabaseUrl = read('APP_DATABASE_URL');
  const appDatabasePassword = read('APP_DATABASE_PASSWORD');
  for (const [name, url] of [
    ['DATABASE_URL', databaseUrl],
    ['APP_DATABASE_URL', appDatabaseUrl],
  ] as const) {
    // Not the value itself: a URL may carry a password.
    if (url !== undefined && !isUrl(url, ['postgres:', 'postgresql:']))
      problems.push(`${name}: must be a postgres:// or postgresql:// URL`);
  }
  const trustProxy = readTrustProxy(read('GATEWAY_TRUST_PROXY'), problems);
  const rateLimits = {
    ip: readRateLimit(read('GATEWAY_RATE_LIMIT_IP'), 'GATEWAY_RATE_LIMIT_IP', DEFAULT_RATE_LIMIT_IP, problems),
    user: readRateLimit(read('GATEWAY_RATE_LIMIT_USER'), 'GATEWAY_RATE_LIMIT_USER', DEFAULT_RATE_LIMIT_USER, problems),
  };

  if (problems.length > 0 || port === null || auth === null || !internalSecret || !natsSecurity)
    throw new ConfigError(problems);
  return Object.freeze({
    nodeEnv,
    production,
    port,
    auth,
    internalSecret,
    natsServers: Object.freeze(natsServers),
    natsSecurity,
    eventsPrefix,
    subgraphUrls: Object.freeze(subgraphUrls),
    workflowBaseUrl: subgraphUrls.workflow.replace(/\/graphql\/?$/, '').replace(/\/$/, ''),
    logLevel,
    supergraphPath: read('SUPERGRAPH_PATH'),
    limits,
    databaseUrl,
    ...(appDatabaseUrl ? { appDatabaseUrl } : {}),
    ...(appDatabasePassword ? { appDatabasePassword } : {}),
    trustProxy,
    rateLimits: Object.freeze(rateLimits),
  });
}

/**
 * GATEWAY_TRUST_PROXY as Express reads 'trust proxy': true/false, a number of hops, or a list of
 * addresses, subnets and the names Express knows (loopback, linklocal, uniquelocal). Express
 * itself checks the list, so a value it would refuse at the first request is refused at start.
 */
function readTrustProxy(raw: string | undefined, problems: string[]): TrustProxy {
  if (raw === undefined || /^(false|off|no)$/i.test(raw)) return false;
  const value: TrustProxy = /^(true|on|yes)$/i.test(raw) ? true : /^\d+$/.test(raw) ? Number(raw) : raw;
  try {
    express().set('trust proxy', value);
  } catch (error) {
    problems.push(
      `GATEWAY_TRUST_PROXY: must be true, false, a number of proxies, or addresses and subnets such as ` +
        `"loopback, 10.0.0.0/8" (${(error as Error).message})`,
    );
  }
  return value;
}

function readAuth(
  read: (name: string) => string | undefined,
  development: ReturnType<typeof developmentAuthDefaults>,
  problems: string[],
): JwtVerifierConfig | null {
  const secret = read('AUTH_JWT_SECRET');
  const jwksUrl = read('AUTH_JWKS_URL');
  const issuer = read('AUTH_ISSUER');
  const audience = read('AUTH_AUDIENCE');
  if (secret && jwksUrl) {
    problems.push('AUTH_JWT_SECRET, AUTH_JWKS_URL: set one of them, not both');
    return null;
  }
  // AUTH_JWT_ALGORITHMS (JWKS only) and AUTH_MAX_TOKEN_LIFETIME (libs/auth jwt.settings.ts).
  const { algorithms, maxTokenLifetimeSeconds } = readTokenPolicy(
    read,
    { production: development === null, jwks: jwksUrl !== undefined },
    problems,
  );
  if (jwksUrl) {
    const missing = [!issuer && 'AUTH_ISSUER', !audience && 'AUTH_AUDIENCE'].filter(Boolean);
    if (missing.length > 0) problems.push(`${missing.join(', ')}: required with AUTH_JWKS_URL`);
    if (!isUrl(jwksUrl, ['http:', 'https:'])) problems.push(`AUTH_JWKS_URL: "${jwksUrl}" is not an http(s) URL`);
    return issuer && audience ? { kind: 'jwks', jwksUrl, issuer, audience, algorithms, maxTokenLifetimeSeconds } : null;
  }
  if (secret) return { kind: 'secret', secret, issuer, audience, maxTokenLifetimeSeconds };
  if (development) {
    return {
      kind: 'secret',
      secret: development.jwtSecret,
      issuer: issuer ?? development.issuer,
      audience: audience ?? development.audience,
      maxTokenLifetimeSeconds,
    };
  }
  problems.push('AUTH_JWKS_URL, AUTH_ISSUER, AUTH_AUDIENCE: required in production (or AUTH_JWT_SECRET, explicitly)');
  return null;
}

function parsePort(value: string): number | null {
  if (!/^\d+$/.test(value)) return null;
  const port = Number(value);
  return port <= 65535 ? port : null;
}

function isUrl(value: string, protocols: string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
