import { DEVELOPMENT_AUTH } from '@otklik/auth';
import { ConfigError, loadGatewayConfig } from './gateway.config';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadGatewayConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

const STRONG = 'x'.repeat(40);

describe('gateway configuration (read once, validated, STYLE.md §6)', () => {
  it('development: every setting has a default, secrets from development.json', () => {
    const config = loadGatewayConfig({});
    expect(config).toMatchObject({
      production: false,
      port: 4000,
      auth: { kind: 'secret', secret: DEVELOPMENT_AUTH.jwtSecret, issuer: 'otklik-dev', audience: 'otklik' },
      internalSecret: DEVELOPMENT_AUTH.internalSecret,
      natsServers: ['nats://127.0.0.1:4222'],
      eventsPrefix: 'otklik',
      subgraphUrls: {
        intake: 'http://127.0.0.1:4001/graphql',
        workflow: 'http://127.0.0.1:4002/graphql',
        notify: 'http://127.0.0.1:4003/graphql',
      },
      workflowBaseUrl: 'http://127.0.0.1:4002',
      logLevel: 'info',
    });
  });

  it('takes the environment over the defaults', () => {
    const config = loadGatewayConfig({
      GATEWAY_PORT: '8080',
      WORKFLOW_URL: 'https://workflow.internal/graphql',
      NATS_URL: 'nats://a:4222, nats://b:4222',
      EVENTS_PREFIX: 'staging',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      port: 8080,
      workflowBaseUrl: 'https://workflow.internal',
      natsServers: ['nats://a:4222', 'nats://b:4222'],
      eventsPrefix: 'staging',
      logLevel: 'debug',
    });
  });

  it('production: the JWKS trio', () => {
    const config = loadGatewayConfig({
      NODE_ENV: 'production',
      AUTH_JWKS_URL: 'https://id.example/.well-known/jwks.json',
      AUTH_ISSUER: 'https://id.example',
      AUTH_AUDIENCE: 'otklik',
      INTERNAL_AUTH_SECRET: STRONG,
    });
    expect(config.auth).toEqual({
      kind: 'jwks',
      jwksUrl: 'https://id.example/.well-known/jwks.json',
      issuer: 'https://id.example',
      audience: 'otklik',
    });
  });

  it('production: or an explicit AUTH_JWT_SECRET', () => {
    const config = loadGatewayConfig({
      NODE_ENV: 'production',
      AUTH_JWT_SECRET: STRONG,
      INTERNAL_AUTH_SECRET: `${STRONG}2`,
    });
    expect(config.auth).toEqual({ kind: 'secret', secret: STRONG, issuer: undefined, audience: undefined });
  });

  it('production: no development defaults; each missing setting is named', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('AUTH_JWKS_URL, AUTH_ISSUER, AUTH_AUDIENCE'),
        expect.stringContaining('INTERNAL_AUTH_SECRET'),
      ]),
    );
  });

  it('production: refuses the development secrets and short ones', () => {
    const problems = problemsOf({
      NODE_ENV: 'production',
      AUTH_JWT_SECRET: DEVELOPMENT_AUTH.jwtSecret,
      INTERNAL_AUTH_SECRET: 'short',
    });
    expect(problems.join('\n')).toMatch(/AUTH_JWT_SECRET: the development secret/);
    expect(problems.join('\n')).toMatch(/INTERNAL_AUTH_SECRET: must be at least 32/);
  });

  it('JWKS without issuer and audience, or both auth kinds at once, is refused', () => {
    expect(problemsOf({ AUTH_JWKS_URL: 'https://id.example/jwks' })).toEqual([
      'AUTH_ISSUER, AUTH_AUDIENCE: required with AUTH_JWKS_URL',
    ]);
    expect(problemsOf({ AUTH_JWKS_URL: 'https://id.example/jwks', AUTH_JWT_SECRET: 's' })[0]).toMatch(/not both/);
  });

  it('names every bad value', () => {
    const problems = problemsOf({
      GATEWAY_PORT: 'eighty',
      NATS_URL: 'http://nats',
      EVENTS_PREFIX: 'a.b',
      INTAKE_URL: 'nowhere',
      LOG_LEVEL: 'loud',
    });
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'GATEWAY_PORT',
      'NATS_URL',
      'EVENTS_PREFIX',
      'INTAKE_URL',
      'LOG_LEVEL',
    ]);
  });

  it('the error message lists the problems for the operator', () => {
    expect(() => loadGatewayConfig({ GATEWAY_PORT: '99999' })).toThrow(/cannot start[\s\S]*GATEWAY_PORT/);
  });
});
