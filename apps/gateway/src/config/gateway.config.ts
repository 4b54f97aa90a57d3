import { DEVELOPMENT_AUTH, developmentAuthDefaults, JwtVerifierConfig } from '@otklik/auth';
import { parseLogLevel } from '@otklik/observability';
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
  readonly eventsPrefix: string;
  readonly subgraphUrls: Readonly<Record<SubgraphName, string>>;
  /** WORKFLOW_URL without `/graphql`: where `/internal/viewers/{login}` lives. */
  readonly workflowBaseUrl: string;
  readonly logLevel: LevelWithSilent;
  /** SUPERGRAPH_PATH: where the composed supergraph is; default apps/gateway/supergraph.graphql of the checkout. */
  readonly supergraphPath?: string;
  /** GRAPHQL_*: what every operation is held to, and production's hardening (limits/limits.config.ts). */
  readonly limits: OperationLimits;
}

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

  if (problems.length > 0 || port === null || auth === null || !internalSecret) throw new ConfigError(problems);
  return Object.freeze({
    nodeEnv,
    production,
    port,
    auth,
    internalSecret,
    natsServers: Object.freeze(natsServers),
    eventsPrefix,
    subgraphUrls: Object.freeze(subgraphUrls),
    workflowBaseUrl: subgraphUrls.workflow.replace(/\/graphql\/?$/, '').replace(/\/$/, ''),
    logLevel,
    supergraphPath: read('SUPERGRAPH_PATH'),
    limits,
  });
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
  if (jwksUrl) {
    const missing = [!issuer && 'AUTH_ISSUER', !audience && 'AUTH_AUDIENCE'].filter(Boolean);
    if (missing.length > 0) problems.push(`${missing.join(', ')}: required with AUTH_JWKS_URL`);
    if (!isUrl(jwksUrl, ['http:', 'https:'])) problems.push(`AUTH_JWKS_URL: "${jwksUrl}" is not an http(s) URL`);
    return issuer && audience ? { kind: 'jwks', jwksUrl, issuer, audience } : null;
  }
  if (secret) return { kind: 'secret', secret, issuer, audience };
  if (development) {
    return {
      kind: 'secret',
      secret: development.jwtSecret,
      issuer: issuer ?? development.issuer,
      audience: audience ?? development.audience,
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
