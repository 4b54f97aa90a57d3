import { DEVELOPMENT_AUTH } from '@otklik/auth';
import {
  ConfigError,
  loadServiceConfig,
  readBoolean,
  readDatabaseSettings,
  readPort,
  readUrl,
  ServiceName,
} from './service.config';

const PRODUCTION_SECRET = 'p'.repeat(32);

/** The ConfigError thrown by `fn`; fails when nothing or something else is thrown. */
function configErrorOf(fn: () => unknown): ConfigError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  return caught as ConfigError;
}

describe('loadServiceConfig: the settings every subgraph service shares', () => {
  it('an empty environment gives the development defaults', () => {
    expect(loadServiceConfig('intake', {})).toEqual({
      service: 'intake',
      production: false,
      port: 4001,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/otklik',
      natsUrl: 'nats://127.0.0.1:4222',
      natsSecurity: expect.objectContaining({ auth: 'none', tls: false }),
      eventsPrefix: 'otklik',
      internalSecret: DEVELOPMENT_AUTH.internalSecret,
      logLevel: 'info',
      demoSeed: false,
      printSchema: false,
    });
  });

  it('empty strings count as unset', () => {
    const config = loadServiceConfig('intake', {
      INTAKE_PORT: '',
      DATABASE_URL: '',
      NATS_URL: '',
      EVENTS_PREFIX: '',
      LOG_LEVEL: '',
      INTERNAL_AUTH_SECRET: '',
      OTKLIK_DEMO_SEED: '',
    });
    expect(config).toEqual(loadServiceConfig('intake', {}));
  });

  it('reads every setting it is given', () => {
    const config = loadServiceConfig('notify', {
      NODE_ENV: 'production',
      NOTIFY_PORT: '8080',
      DATABASE_URL: 'postgresql://otklik:pw@db:5432/prod',
      APP_DATABASE_PASSWORD: 'app-pw',
      NATS_URL: 'tls://nats.example:4222',
      EVENTS_PREFIX: 'otklik_prod',
      INTERNAL_AUTH_SECRET: PRODUCTION_SECRET,
      LOG_LEVEL: 'warn',
      OTKLIK_DEMO_SEED: 'false',
      OTKLIK_PRINT_SCHEMA: 'yes',
    });
    expect(config).toEqual({
      service: 'notify',
      production: true,
      port: 8080,
      databaseUrl: 'postgresql://otklik:pw@db:5432/prod',
      appDatabasePassword: 'app-pw',
      natsUrl: 'tls://nats.example:4222',
      natsSecurity: expect.objectContaining({ auth: 'none', tls: true }),
      eventsPrefix: 'otklik_prod',
      internalSecret: PRODUCTION_SECRET,
      logLevel: 'warn',
      demoSeed: false,
      printSchema: true,
    });
  });

  it('NATS credentials are read with the rest, and a bad one stops the app naming it, not its value', () => {
    expect(loadServiceConfig('workflow', { NATS_TOKEN: 'tok' }).natsSecurity.toJSON()).toEqual({
      auth: 'token',
      tls: false,
    });
    const error = configErrorOf(() => loadServiceConfig('workflow', { NATS_PASSWORD: 'hunter2' }));
    expect(error.setting).toBe('NATS_USER');
    expect(error.message).not.toContain('hunter2');
  });

  describe('ports: one variable per service', () => {
    it.each([
      ['intake', 4001],
      ['workflow', 4002],
      ['notify', 4003],
    ] as const)('%s listens on %i by default', (service, port) => {
      expect(loadServiceConfig(service, {}).port).toBe(port);
    });

    it.each(['intake', 'workflow', 'notify'] as const)('%s reads <SERVICE>_PORT and ignores the others’', (service) => {
      const env = { INTAKE_PORT: '5001', WORKFLOW_PORT: '5002', NOTIFY_PORT: '5003' };
      const expected: Record<ServiceName, number> = { intake: 5001, workflow: 5002, notify: 5003 };
      expect(loadServiceConfig(service, env).port).toBe(expected[service]);
    });

    it.each(['http', '-1', '65536', '80.5', 'NaN', 'Infinity', ' ', '0x1F90', '1e3', '+80'])(
      'port "%s" is refused, naming WORKFLOW_PORT',
      (raw) => {
        const error = configErrorOf(() => loadServiceConfig('workflow', { WORKFLOW_PORT: raw }));
        expect(error.setting).toBe('WORKFLOW_PORT');
        expect(error.message).toBe(`WORKFLOW_PORT: must be a port number (0–65535), got "${raw}"`);
      },
    );

    it('a bad port of another service is not this service’s problem', () => {
      expect(loadServiceConfig('intake', { WORKFLOW_PORT: 'x' }).port).toBe(4001);
    });

    it('0 and 65535 are ports', () => {
      expect(readPort({ P: '0' }, 'P', 1)).toBe(0);
      expect(readPort({ P: '65535' }, 'P', 1)).toBe(65535);
    });
  });

  describe('URLs', () => {
    it.each([
      [
        'DATABASE_URL',
        'not a url',
        'DATABASE_URL: must be a URL such as postgres://postgres@127.0.0.1:5432/otklik; the value given does not parse',
      ],
      ['DATABASE_URL', 'mysql://db/otklik', 'DATABASE_URL: must start with postgres: or postgresql:'],
      ['DATABASE_URL', 'nats://127.0.0.1:4222', 'DATABASE_URL: must start with postgres: or postgresql:'],
      ['NATS_URL', 'localhost:4222', 'NATS_URL: must start with nats: or tls:'],
      [
        'NATS_URL',
        '127.0.0.1:4222',
        'NATS_URL: must be a URL such as nats://127.0.0.1:4222; the value given does not parse',
      ],
      ['NATS_URL', 'http://nats:8222', 'NATS_URL: must start with nats: or tls:'],
      [
        'NATS_URL',
        'nats://[bad',
        'NATS_URL: must be a URL such as nats://127.0.0.1:4222; the value given does not parse',
      ],
    ])('%s "%s" is refused, naming the setting', (setting, raw, message) => {
      const error = configErrorOf(() => loadServiceConfig('intake', { [setting]: raw }));
      expect(error.setting).toBe(setting);
      expect(error.message).toBe(message);
    });

    it('a URL that does not parse is not repeated in the error: it may carry a password', () => {
      const error = configErrorOf(() =>
        loadServiceConfig('intake', { DATABASE_URL: 'postgres://otklik:s3cret@db:54x2/otklik' }),
      );
      expect(error.setting).toBe('DATABASE_URL');
      expect(error.message).not.toContain('s3cret');
    });

    it('both postgres: and postgresql: are accepted, as given', () => {
      expect(loadServiceConfig('intake', { DATABASE_URL: 'postgres://h/d' }).databaseUrl).toBe('postgres://h/d');
      expect(loadServiceConfig('intake', { DATABASE_URL: 'postgresql://h/d' }).databaseUrl).toBe('postgresql://h/d');
    });

    it('readUrl checks its fallback too', () => {
      expect(() => readUrl({}, 'X_URL', 'ftp://h', ['http:'])).toThrow('X_URL: must start with http:');
    });
  });

  describe('booleans', () => {
    it.each(['true', '1', 'yes', 'TRUE', 'Yes'])('"%s" is true', (raw) => {
      expect(loadServiceConfig('intake', { OTKLIK_DEMO_SEED: raw }).demoSeed).toBe(true);
      expect(readBoolean({ B: raw }, 'B')).toBe(true);
    });

    it.each(['false', '0', 'no', 'FALSE', 'No'])('"%s" is false', (raw) => {
      expect(loadServiceConfig('intake', { OTKLIK_PRINT_SCHEMA: raw }).printSchema).toBe(false);
      expect(readBoolean({ B: raw }, 'B', true)).toBe(false);
    });

    it.each([
      ['OTKLIK_DEMO_SEED', 'maybe'],
      ['OTKLIK_PRINT_SCHEMA', 'on'],
      ['OTKLIK_DEMO_SEED', 'y'],
    ])('%s "%s" is refused, naming the setting', (setting, raw) => {
      const error = configErrorOf(() => loadServiceConfig('intake', { [setting]: raw }));
      expect(error.setting).toBe(setting);
      expect(error.message).toBe(`${setting}: must be true or false, got "${raw}"`);
    });

    it('an unset boolean takes its fallback', () => {
      expect(readBoolean({}, 'B')).toBe(false);
      expect(readBoolean({}, 'B', true)).toBe(true);
    });
  });

  describe('EVENTS_PREFIX: the first subject token and stream-name stem', () => {
    it.each(['otklik', 'test_42', 'a'])('"%s" is accepted', (prefix) => {
      expect(loadServiceConfig('intake', { EVENTS_PREFIX: prefix }).eventsPrefix).toBe(prefix);
    });

    it.each(['Otklik', '1otklik', '_otklik', 'ot-klik', 'ot.klik', 'ot klik', 'otklik.>', 'ot*'])(
      '"%s" is refused, naming EVENTS_PREFIX',
      (prefix) => {
        const error = configErrorOf(() => loadServiceConfig('intake', { EVENTS_PREFIX: prefix }));
        expect(error.setting).toBe('EVENTS_PREFIX');
        expect(error.message).toBe('EVENTS_PREFIX: must be lower-case letters, digits or _');
      },
    );
  });

  describe('LOG_LEVEL', () => {
    it('a pino level is taken', () => {
      expect(loadServiceConfig('intake', { LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
    });

    it('an unknown level is refused, naming LOG_LEVEL and the accepted levels', () => {
      const error = configErrorOf(() => loadServiceConfig('intake', { LOG_LEVEL: 'verbose' }));
      expect(error.setting).toBe('LOG_LEVEL');
      expect(error.message).toBe(
        'LOG_LEVEL: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got "verbose"',
      );
    });
  });

  describe('INTERNAL_AUTH_SECRET', () => {
    it('production has no default: the secret is required', () => {
      const error = configErrorOf(() => loadServiceConfig('intake', { NODE_ENV: 'production' }));
      expect(error.setting).toBe('INTERNAL_AUTH_SECRET');
      expect(error.message).toBe('INTERNAL_AUTH_SECRET: is required in production');
    });

    it('production refuses a secret shorter than 32 characters', () => {
      const error = configErrorOf(() =>
        loadServiceConfig('intake', { NODE_ENV: 'production', INTERNAL_AUTH_SECRET: 'p'.repeat(31) }),
      );
      expect(error.setting).toBe('INTERNAL_AUTH_SECRET');
      expect(error.message).toBe('INTERNAL_AUTH_SECRET: must be at least 32 characters');
    });

    it('production accepts a secret of 32 characters', () => {
      const config = loadServiceConfig('intake', {
        NODE_ENV: 'production',
        INTERNAL_AUTH_SECRET: PRODUCTION_SECRET,
        APP_DATABASE_PASSWORD: 'app-pw',
      });
      expect(config.production).toBe(true);
      expect(config.internalSecret).toBe(PRODUCTION_SECRET);
    });

    it('production never falls back to the development secret', () => {
      expect(() => loadServiceConfig('intake', { NODE_ENV: 'production', INTERNAL_AUTH_SECRET: '' })).toThrow(
        ConfigError,
      );
    });

    it('outside production a configured secret wins over the development default', () => {
      expect(loadServiceConfig('intake', { NODE_ENV: 'test', INTERNAL_AUTH_SECRET: 'short' }).internalSecret).toBe(
        'short',
      );
      expect(loadServiceConfig('intake', { NODE_ENV: 'development' }).internalSecret).toBe(
        DEVELOPMENT_AUTH.internalSecret,
      );
    });
  });
});

describe('the database: DATABASE_URL migrates, the application role logs in itself for the queries', () => {
  const production = { NODE_ENV: 'production', INTERNAL_AUTH_SECRET: PRODUCTION_SECRET };

  it('outside production neither is needed: the role logs in without a password (trust auth, npm start, CI)', () => {
    const config = loadServiceConfig('intake', {});
    expect(config.appDatabaseUrl).toBeUndefined();
    expect(config.appDatabasePassword).toBeUndefined();
    expect(readDatabaseSettings({}, 'workflow', false)).toEqual({
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/otklik',
    });
  });

  it('production without APP_DATABASE_URL or APP_DATABASE_PASSWORD does not start, naming both', () => {
    const error = configErrorOf(() =>
      loadServiceConfig('notify', { ...production, DATABASE_URL: 'postgres://o@db/p' }),
    );
    expect(error.setting).toBe('APP_DATABASE_URL or APP_DATABASE_PASSWORD');
    expect(error.message).toBe(
      'APP_DATABASE_URL or APP_DATABASE_PASSWORD: one is required in production: ' +
        'how otklik_notify logs in for the queries (DATABASE_URL only migrates)',
    );
  });

  it('production with either starts', () => {
    expect(loadServiceConfig('notify', { ...production, APP_DATABASE_PASSWORD: 'pw' }).appDatabasePassword).toBe('pw');
    const url = 'postgres://otklik_notify:pw@pgbouncer:6432/otklik';
    expect(loadServiceConfig('notify', { ...production, APP_DATABASE_URL: url }).appDatabaseUrl).toBe(url);
  });

  it('APP_DATABASE_URL must log in as the service’s own application role: never the owner, never another service’s', () => {
    for (const url of [
      'postgres://postgres@db/otklik',
      'postgres://otklik_workflow:pw@db/otklik',
      'postgres://otklik_intake@db/otklik?user=postgres',
    ]) {
      const error = configErrorOf(() => loadServiceConfig('intake', { APP_DATABASE_URL: url }));
      expect(error.setting).toBe('APP_DATABASE_URL');
      expect(error.message).toBe('APP_DATABASE_URL: must log in as otklik_intake, the application role of intake');
    }
    expect(
      loadServiceConfig('intake', { APP_DATABASE_URL: 'postgres:///otklik?user=otklik_intake' }).appDatabaseUrl,
    ).toBe('postgres:///otklik?user=otklik_intake');
  });

  it.each([
    [
      'APP_DATABASE_URL',
      'mysql://otklik_intake@db/otklik',
      'APP_DATABASE_URL: must start with postgres: or postgresql:',
    ],
    [
      'APP_DATABASE_URL',
      'postgres://otklik_intake:s3cret@db:54x2/otklik',
      'APP_DATABASE_URL: must be a URL such as postgres://otklik_intake@127.0.0.1:5432/otklik; the value given does not parse',
    ],
    ['APP_DATABASE_PASSWORD', 'two words', 'APP_DATABASE_PASSWORD: must be printable ASCII without spaces'],
    ['APP_DATABASE_PASSWORD', 'пароль', 'APP_DATABASE_PASSWORD: must be printable ASCII without spaces'],
  ])('%s "%s" is refused, naming the setting and never showing the value', (setting, raw, message) => {
    const error = configErrorOf(() => loadServiceConfig('intake', { [setting]: raw }));
    expect(error.setting).toBe(setting);
    expect(error.message).toBe(message);
    expect(error.message).not.toContain('s3cret');
  });

  it('a password given twice (in APP_DATABASE_URL and APP_DATABASE_PASSWORD) is refused: which one would hold?', () => {
    const error = configErrorOf(() =>
      loadServiceConfig('intake', {
        APP_DATABASE_URL: 'postgres://otklik_intake:one@db/otklik',
        APP_DATABASE_PASSWORD: 'two',
      }),
    );
    expect(error.setting).toBe('APP_DATABASE_PASSWORD');
    expect(error.message).not.toMatch(/one|two/);
  });
});

describe('ConfigError', () => {
  it('names the setting first, then the problem', () => {
    const error = new ConfigError('NATS_URL', 'must be a URL');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ConfigError');
    expect(error.setting).toBe('NATS_URL');
    expect(error.message).toBe('NATS_URL: must be a URL');
  });
});
