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

  it('NATS credentials: read at start; a bad one is refused naming the setting, never its value', () => {
    expect(loadGatewayConfig({ NATS_USER: 'gateway', NATS_PASSWORD: 'pw' }).natsSecurity.toJSON()).toEqual({
      auth: 'user-password',
      tls: false,
    });
    expect(() => loadGatewayConfig({ NATS_PASSWORD: 'hunter2' })).toThrow(/NATS_USER: is required with NATS_PASSWORD/);
    expect(() => loadGatewayConfig({ NATS_PASSWORD: 'hunter2' })).not.toThrow(/hunter2/);
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
      algorithms: ['RS256', 'ES256'],
      maxTokenLifetimeSeconds: 3600,
    });
  });

  it('AUTH_JWT_ALGORITHMS and AUTH_MAX_TOKEN_LIFETIME: pinned algorithms and short-lived tokens, checked at start', () => {
    const jwks = {
      NODE_ENV: 'production',
      AUTH_JWKS_URL: 'https://id.example/.well-known/jwks.json',
      AUTH_ISSUER: 'https://id.example',
      AUTH_AUDIENCE: 'otklik',
      INTERNAL_AUTH_SECRET: STRONG,
      APP_DATABASE_PASSWORD: STRONG,
    };
    expect(
      loadGatewayConfig({ ...jwks, AUTH_JWT_ALGORITHMS: 'ES256', AUTH_MAX_TOKEN_LIFETIME: '15m' }).auth,
    ).toMatchObject({ algorithms: ['ES256'], maxTokenLifetimeSeconds: 900 });
    expect(loadGatewayConfig({}).auth).toMatchObject({ maxTokenLifetimeSeconds: 12 * 3600 });
    expect(problemsOf({ ...jwks, AUTH_JWT_ALGORITHMS: 'HS256' })).toEqual([
      expect.stringMatching(/^AUTH_JWT_ALGORITHMS: HS256 not accepted from a JWKS/),
    ]);
    expect(problemsOf({ AUTH_JWT_ALGORITHMS: 'RS256' })).toEqual([
      expect.stringMatching(/^AUTH_JWT_ALGORITHMS: only with AUTH_JWKS_URL/),
    ]);
    expect(problemsOf({ ...jwks, AUTH_MAX_TOKEN_LIFETIME: '2d' })).toEqual([
      expect.stringMatching(/^AUTH_MAX_TOKEN_LIFETIME: must be a duration/),
    ]);
  });

  it('production: or an explicit AUTH_JWT_SECRET', () => {
    const config = loadGatewayConfig({
      NODE_ENV: 'production',
      AUTH_JWT_SECRET: STRONG,
      INTERNAL_AUTH_SECRET: `${STRONG}2`,
    });
    expect(config.auth).toEqual({
      kind: 'secret',
      secret: STRONG,
      issuer: undefined,
      audience: undefined,
      maxTokenLifetimeSeconds: 3600,
    });
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

  describe('rate limits and their database', () => {
    it('defaults: the local database, 1200 requests per address and 300 per login a minute, no proxy trusted', () => {
      const config = loadGatewayConfig({});
      expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/otklik');
      expect(config.rateLimits).toEqual({
        ip: { points: 1200, durationSeconds: 60 },
        user: { points: 300, durationSeconds: 60 },
      });
      expect(config.trustProxy).toBe(false);
    });

    it('reads them from the environment', () => {
      const config = loadGatewayConfig({
        DATABASE_URL: 'postgresql://otklik@db:5432/prod',
        APP_DATABASE_PASSWORD: 'app-secret',
        GATEWAY_RATE_LIMIT_IP: '600/60s',
        GATEWAY_RATE_LIMIT_USER: 'off',
        GATEWAY_TRUST_PROXY: '1',
      });
      expect(config).toMatchObject({
        databaseUrl: 'postgresql://otklik@db:5432/prod',
        appDatabasePassword: 'app-secret',
        rateLimits: { ip: { points: 600, durationSeconds: 60 }, user: null },
        trustProxy: 1,
      });
    });

    it.each([
      ['true', true],
      ['false', false],
      ['2', 2],
      ['loopback', 'loopback'],
      ['10.0.0.0/8, 192.168.1.5', '10.0.0.0/8, 192.168.1.5'],
    ])('GATEWAY_TRUST_PROXY "%s" is Express’s %j', (raw, value) => {
      expect(loadGatewayConfig({ GATEWAY_TRUST_PROXY: raw }).trustProxy).toEqual(value);
    });

    it('names each bad value: a limit, a proxy list Express would refuse, a database URL', () => {
      const problems = problemsOf({
        GATEWAY_RATE_LIMIT_IP: 'lots',
        GATEWAY_RATE_LIMIT_USER: '0/60s',
        GATEWAY_TRUST_PROXY: '10.0.0.300',
        DATABASE_URL: 'mysql://db/otklik',
      });
      expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
        'DATABASE_URL',
        'GATEWAY_RATE_LIMIT_IP',
        'GATEWAY_RATE_LIMIT_USER',
        'GATEWAY_TRUST_PROXY',
      ]);
      expect(problems).toContain(
        'GATEWAY_RATE_LIMIT_IP: must be <requests>/<duration> such as 600/60s, 100/1m or 5000/1h, or off (got "lots")',
      );
    });
  });

  it('the error message lists the problems for the operator', () => {
    expect(() => loadGatewayConfig({ GATEWAY_PORT: '99999' })).toThrow(/cannot start[\s\S]*GATEWAY_PORT/);
  });
});
