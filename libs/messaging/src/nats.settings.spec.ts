import { inspect } from 'node:util';
import { nkeys } from '@nats-io/nats-core';
import { loadNatsSecurity, NatsSettingsError, redactNatsUrl } from './nats.settings';

// docs/security.md, B5: NATS credentials and TLS, read at start in every app. Files are served
// from a map (no disk); a problem names the setting and never the secret.

const PEM_CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const PEM_KEY = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n';
const seed = new TextDecoder().decode(nkeys.createUser().getSeed());
const CREDS = `-----BEGIN NATS USER JWT-----
eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.eyJzdWIiOiJVQUJDIn0.c2ln
------END NATS USER JWT------

************************* IMPORTANT *************************
NKEY Seed printed below can be used to sign and prove identity.

-----BEGIN USER NKEY SEED-----
${seed}
------END USER NKEY SEED------
`;

const files: Record<string, string> = {
  '/etc/otklik/nats/ca.pem': PEM_CERT,
  '/etc/otklik/nats/client.pem': PEM_CERT,
  '/etc/otklik/nats/client.key': PEM_KEY,
  '/etc/otklik/nats/otklik.creds': CREDS,
  '/etc/otklik/nats/not-pem.txt': 'hello',
  '/etc/otklik/nats/bad-seed.creds': CREDS.replace(seed, 'SUAnotaseed'),
};
const readFile = (path: string): Buffer => {
  if (!(path in files)) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
  return Buffer.from(files[path]);
};
const load = (env: NodeJS.ProcessEnv) => loadNatsSecurity(env, readFile);

const problemOf = (env: NodeJS.ProcessEnv): { setting: string; message: string } => {
  try {
    load(env);
  } catch (error) {
    if (error instanceof NatsSettingsError) return { setting: error.setting, message: error.message };
    throw error;
  }
  throw new Error('expected a NatsSettingsError');
};

describe('loadNatsSecurity: credentials and TLS for NATS, checked at start', () => {
  it('nothing set: no credentials, TLS not demanded (a development nats-server)', () => {
    const security = load({ NATS_URL: 'nats://127.0.0.1:4222' });
    expect(security.toJSON()).toEqual({ auth: 'none', tls: false });
    expect(security.connectOptions()).toEqual({});
  });

  it('NATS_USER and NATS_PASSWORD: user and password', () => {
    const security = load({ NATS_USER: 'intake', NATS_PASSWORD: ' s3cret pass ' });
    expect(security.auth).toBe('user-password');
    expect(security.connectOptions()).toEqual({ user: 'intake', pass: ' s3cret pass ' });
  });

  it('NATS_TOKEN: a token', () => {
    const security = load({ NATS_TOKEN: 'tok-123' });
    expect(security.auth).toBe('token');
    expect(security.connectOptions()).toEqual({ token: 'tok-123' });
  });

  it('NATS_CREDS_FILE: a JWT + nkey authenticator that signs the server’s nonce with the seed', () => {
    const security = load({ NATS_CREDS_FILE: '/etc/otklik/nats/otklik.creds' });
    expect(security.auth).toBe('creds-file');
    const authenticator = security.connectOptions().authenticator;
    if (!authenticator || Array.isArray(authenticator)) throw new Error('one authenticator expected');
    const answer = authenticator('nonce-from-server') as { jwt: string; sig: string };
    expect(answer.jwt).toMatch(/^eyJ0eXAi/);
    expect(answer.sig).toEqual(expect.any(String));
  });

  it('TLS files: TLS required, with the CA and the client certificate; a tls:// server alone requires it too', () => {
    const security = load({
      NATS_URL: 'nats://nats.internal:4222',
      NATS_TLS_CA_FILE: '/etc/otklik/nats/ca.pem',
      NATS_TLS_CERT_FILE: '/etc/otklik/nats/client.pem',
      NATS_TLS_KEY_FILE: '/etc/otklik/nats/client.key',
    });
    expect(security.tls).toBe(true);
    expect(security.connectOptions().tls).toEqual({
      caFile: '/etc/otklik/nats/ca.pem',
      certFile: '/etc/otklik/nats/client.pem',
      keyFile: '/etc/otklik/nats/client.key',
    });
    expect(load({ NATS_URL: 'nats://a:4222, tls://b:4222' }).connectOptions().tls).toEqual({});
  });

  it.each<[string, NodeJS.ProcessEnv, string, RegExp]>([
    ['a user without a password', { NATS_USER: 'intake' }, 'NATS_PASSWORD', /is required with NATS_USER/],
    ['a password without a user', { NATS_PASSWORD: 'x' }, 'NATS_USER', /is required with NATS_PASSWORD/],
    [
      'two ways at once',
      { NATS_TOKEN: 't', NATS_CREDS_FILE: '/etc/otklik/nats/otklik.creds' },
      'NATS_TOKEN and NATS_CREDS_FILE',
      /give one way to authenticate/,
    ],
    [
      'a creds file that is missing',
      { NATS_CREDS_FILE: '/nowhere.creds' },
      'NATS_CREDS_FILE',
      /cannot read \/nowhere\.creds \(ENOENT\)/,
    ],
    [
      'a creds file that is not one',
      { NATS_CREDS_FILE: '/etc/otklik/nats/not-pem.txt' },
      'NATS_CREDS_FILE',
      /is not a NATS credentials file/,
    ],
    [
      'a creds file with a broken seed',
      { NATS_CREDS_FILE: '/etc/otklik/nats/bad-seed.creds' },
      'NATS_CREDS_FILE',
      /the JWT or the nkey seed cannot be read/,
    ],
    [
      'a certificate without its key',
      { NATS_TLS_CERT_FILE: '/etc/otklik/nats/client.pem' },
      'NATS_TLS_KEY_FILE',
      /is required with NATS_TLS_CERT_FILE/,
    ],
    [
      'a CA file that is not PEM',
      { NATS_TLS_CA_FILE: '/etc/otklik/nats/not-pem.txt' },
      'NATS_TLS_CA_FILE',
      /is not a PEM file/,
    ],
  ])('%s stops the app, naming the setting', (_case, env, setting, message) => {
    const problem = problemOf(env);
    expect(problem.setting).toBe(setting);
    expect(problem.message).toMatch(message);
  });

  it('the secrets never show when the settings are logged, inspected or fail', () => {
    const security = load({ NATS_USER: 'intake', NATS_PASSWORD: 'hunter2-very-secret' });
    expect(JSON.stringify({ security })).toBe('{"security":{"auth":"user-password","tls":false}}');
    expect(inspect(security, { depth: 5 })).not.toContain('hunter2');
    expect(JSON.stringify(problemOf({ NATS_PASSWORD: 'hunter2-very-secret' }))).not.toContain('hunter2');
    expect(JSON.stringify(problemOf({ NATS_TOKEN: 'tok-secret', NATS_USER: 'u', NATS_PASSWORD: 'p' }))).not.toContain(
      'tok-secret',
    );
  });

  it('redactNatsUrl hides a user and password written into NATS_URL', () => {
    expect(redactNatsUrl('nats://intake:pw@nats-1:4222, tls://nats-2:4222')).toBe(
      'nats://***@nats-1:4222,tls://nats-2:4222',
    );
    expect(redactNatsUrl('nats://127.0.0.1:4222')).toBe('nats://127.0.0.1:4222');
  });
});
