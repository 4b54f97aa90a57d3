import { readFileSync } from 'node:fs';
import { credsAuthenticator, type ConnectionOptions } from '@nats-io/nats-core';

/** A NATS setting that is missing, contradictory or unreadable; apps turn it into their ConfigError. */
export class NatsSettingsError extends Error {
  constructor(
    readonly setting: string,
    readonly problem: string,
  ) {
    super(`${setting}: ${problem}`);
    this.name = 'NatsSettingsError';
  }
}

/** How an app proves itself to NATS (docs/security.md, B5). */
export type NatsAuthKind = 'none' | 'user-password' | 'token' | 'creds-file';

/** The part of connect()'s options that carries credentials and TLS. */
export type NatsSecureOptions = Pick<ConnectionOptions, 'user' | 'pass' | 'token' | 'authenticator' | 'tls'>;

/**
 * Credentials and TLS for every NATS connection of an app, read once at start. The secrets sit in
 * a private field: logging this object (JSON, pino, util.inspect) shows what kind of
 * authentication and whether TLS is on, never a password, token or key.
 */
export class NatsSecurity {
  readonly #options: NatsSecureOptions;

  constructor(
    readonly auth: NatsAuthKind,
    readonly tls: boolean,
    options: NatsSecureOptions,
  ) {
    this.#options = options;
  }

  /** Spread into `connect({ servers, ...security.connectOptions() })`. */
  connectOptions(): NatsSecureOptions {
    return this.#options;
  }

  toJSON(): { auth: NatsAuthKind; tls: boolean } {
    return { auth: this.auth, tls: this.tls };
  }
}

/** No credentials, no TLS demanded: what a bare `nats-server` in development takes. */
export const OPEN_NATS = new NatsSecurity('none', false, {});

const PEM = /-----BEGIN [A-Z0-9 ]+-----/;

/**
 * NATS_USER + NATS_PASSWORD, or NATS_TOKEN, or NATS_CREDS_FILE (a decentralised-auth `.creds`
 * file: the user's JWT and nkey seed) — at most one of them; NATS_TLS_CA_FILE (the CA that signed
 * the server's certificate), NATS_TLS_CERT_FILE + NATS_TLS_KEY_FILE (a client certificate, for a
 * server that verifies clients). Any TLS file, or a `tls://` server in NATS_URL, makes TLS
 * required. Files are checked now (readable, the right shape) and read again at each
 * (re)connection, so they can be rotated in place. A problem is a NatsSettingsError naming the
 * setting; a value never appears in it.
 */
export function loadNatsSecurity(
  env: NodeJS.ProcessEnv,
  readFile: (path: string) => Buffer = readFileSync,
): NatsSecurity {
  const value = (name: string): string | undefined => env[name]?.trim() || undefined;
  const user = value('NATS_USER');
  const password = env.NATS_PASSWORD || undefined; // a password may begin or end with a space
  const token = env.NATS_TOKEN || undefined;
  const credsFile = value('NATS_CREDS_FILE');

  const given = [user || password ? 'NATS_USER/NATS_PASSWORD' : null, token ? 'NATS_TOKEN' : null]
    .concat(credsFile ? 'NATS_CREDS_FILE' : null)
    .filter((name): name is string => name !== null);
  if (given.length > 1) {
    throw new NatsSettingsError(given.join(' and '), 'give one way to authenticate to NATS, not several');
  }
  if (user && !password) throw new NatsSettingsError('NATS_PASSWORD', 'is required with NATS_USER');
  if (password && !user) throw new NatsSettingsError('NATS_USER', 'is required with NATS_PASSWORD');

  const options: NatsSecureOptions = {};
  let auth: NatsAuthKind = 'none';
  if (user && password) {
    auth = 'user-password';
    options.user = user;
    options.pass = password;
  } else if (token) {
    auth = 'token';
    options.token = token;
  } else if (credsFile) {
    auth = 'creds-file';
    checkCreds(credsFile, readFile);
    options.authenticator = credsAuthenticator(() => new Uint8Array(readFile(credsFile)));
  }

  const ca = value('NATS_TLS_CA_FILE');
  const cert = value('NATS_TLS_CERT_FILE');
  const key = value('NATS_TLS_KEY_FILE');
  if (cert && !key) throw new NatsSettingsError('NATS_TLS_KEY_FILE', 'is required with NATS_TLS_CERT_FILE');
  if (key && !cert) throw new NatsSettingsError('NATS_TLS_CERT_FILE', 'is required with NATS_TLS_KEY_FILE');
  for (const [name, path] of [
    ['NATS_TLS_CA_FILE', ca],
    ['NATS_TLS_CERT_FILE', cert],
    ['NATS_TLS_KEY_FILE', key],
  ] as const) {
    if (path) checkPem(name, path, readFile);
  }
  const tlsServer = (env.NATS_URL ?? '').split(',').some((server) => server.trim().toLowerCase().startsWith('tls://'));
  const tls = Boolean(ca || cert || tlsServer);
  if (tls) {
    options.tls = { ...(ca ? { caFile: ca } : {}), ...(cert && key ? { certFile: cert, keyFile: key } : {}) };
  }
  return new NatsSecurity(auth, tls, options);
}

function read(name: string, path: string, readFile: (path: string) => Buffer): string {
  try {
    return readFile(path).toString('utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new NatsSettingsError(name, `cannot read ${path}${code ? ` (${code})` : ''}`);
  }
}

function checkPem(name: string, path: string, readFile: (path: string) => Buffer): void {
  if (!PEM.test(read(name, path, readFile))) throw new NatsSettingsError(name, `${path} is not a PEM file`);
}

/** A `.creds` file holds a user JWT and an nkey seed; signing a nonce proves the seed parses. */
function checkCreds(path: string, readFile: (path: string) => Buffer): void {
  const text = read('NATS_CREDS_FILE', path, readFile);
  if (!/-----BEGIN NATS USER JWT-----/.test(text) || !/-----BEGIN USER NKEY SEED-----/.test(text)) {
    throw new NatsSettingsError('NATS_CREDS_FILE', `${path} is not a NATS credentials file (a user JWT and nkey seed)`);
  }
  try {
    credsAuthenticator(new TextEncoder().encode(text))('startup-check');
  } catch {
    throw new NatsSettingsError('NATS_CREDS_FILE', `${path}: the JWT or the nkey seed cannot be read`);
  }
}

/** A NATS URL for a log line: a user and password written into it are replaced by `***`. */
export function redactNatsUrl(servers: string): string {
  return servers
    .split(',')
    .map((server) => server.trim().replace(/^([a-z]+:\/\/)[^@/]*@/i, '$1***@'))
    .join(',');
}
