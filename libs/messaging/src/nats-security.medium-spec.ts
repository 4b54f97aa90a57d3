import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import pino from 'pino';
import { OwnNatsServer, testEventsPrefix } from '@otklik/testing';
import { NatsClient } from './nats.client';
import { loadNatsSecurity, NatsSecurity } from './nats.settings';

// docs/security.md, B5: NATS with credentials and TLS. The shared test server takes anyone, so
// each case starts a nats-server of its own that demands them: a user and password over TLS with
// a client certificate (certificates made here by openssl, signed by a CA of the test's own), and
// a token. The production path connects: NatsClient with the settings read from the environment.

const silent = pino({ level: 'silent' });

/** A CA, a server certificate for 127.0.0.1 and a client certificate, as PEM files in `dir`. */
function makeCertificates(dir: string): Record<'ca' | 'serverCert' | 'serverKey' | 'clientCert' | 'clientKey', string> {
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
    '-days',
    '1',
    '-subj',
    '/CN=otklik-test-ca',
  );
  writeFileSync(file('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  writeFileSync(file('client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const who of ['server', 'client']) {
    openssl(
      'req',
      '-new',
      ...ec,
      '-keyout',
      file(`${who}.key`),
      '-out',
      file(`${who}.csr`),
      '-subj',
      `/CN=otklik-${who}`,
    );
    openssl(
      'x509',
      '-req',
      '-in',
      file(`${who}.csr`),
      '-CA',
      file('ca.pem'),
      '-CAkey',
      file('ca.key'),
      '-CAcreateserial',
      '-out',
      file(`${who}.pem`),
      '-days',
      '1',
      '-extfile',
      file(`${who}.ext`),
    );
  }
  return {
    ca: file('ca.pem'),
    serverCert: file('server.pem'),
    serverKey: file('server.key'),
    clientCert: file('client.pem'),
    clientKey: file('client.key'),
  };
}

/** Whether one connection with these settings is let in (no retries: the answer of the first attempt). */
async function letIn(url: string, security: NatsSecurity): Promise<true | string> {
  try {
    const nc = await connect({ servers: url, ...security.connectOptions(), reconnect: false, timeout: 3_000 });
    await nc.close();
    return true;
  } catch (error) {
    return (error as Error).message;
  }
}

describe('NATS credentials and TLS: a server that demands them lets in only the apps that present them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'otklik-nats-tls-'));
  const certificates = makeCertificates(dir);
  let secured: OwnNatsServer;
  let tokenOnly: OwnNatsServer;

  beforeAll(async () => {
    secured = await OwnNatsServer.create([
      '--user',
      'otklik-intake',
      '--pass',
      'correct horse battery staple',
      '--tlsverify',
      '--tlscert',
      certificates.serverCert,
      '--tlskey',
      certificates.serverKey,
      '--tlscacert',
      certificates.ca,
    ]);
    tokenOnly = await OwnNatsServer.create(['--auth', 's3cr3t-token-value']);
    await Promise.all([secured.start(), tokenOnly.start()]);
  }, 30_000);

  afterAll(async () => {
    await secured?.dispose();
    await tokenOnly?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const tlsEnv = () => ({
    NATS_URL: secured.url,
    NATS_TLS_CA_FILE: certificates.ca,
    NATS_TLS_CERT_FILE: certificates.clientCert,
    NATS_TLS_KEY_FILE: certificates.clientKey,
  });

  it('user, password and client certificate over TLS: NatsClient connects and its streams are made', async () => {
    const security = loadNatsSecurity({
      ...tlsEnv(),
      NATS_USER: 'otklik-intake',
      NATS_PASSWORD: 'correct horse battery staple',
    });
    expect(security.toJSON()).toEqual({ auth: 'user-password', tls: true });
    const client = new NatsClient(secured.url, testEventsPrefix(), silent, 'otklik-test', security);
    client.start();
    try {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        client.ready,
        new Promise(
          (_, reject) => (timer = setTimeout(() => reject(new Error('NatsClient not ready in 10 s')), 10_000)),
        ),
      ]).finally(() => clearTimeout(timer));
      expect(await client.ping()).toBe(true);
      expect(client.nc.info?.tls_required).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('refused: no credentials, a wrong password, no client certificate, a CA that did not sign the server', async () => {
    const userPassword = { NATS_USER: 'otklik-intake', NATS_PASSWORD: 'correct horse battery staple' };
    expect(await letIn(secured.url, loadNatsSecurity({ NATS_URL: secured.url }))).not.toBe(true);
    expect(await letIn(secured.url, loadNatsSecurity({ ...tlsEnv() }))).toMatch(/authorization/i);
    expect(
      await letIn(secured.url, loadNatsSecurity({ ...tlsEnv(), ...userPassword, NATS_PASSWORD: 'wrong' })),
    ).toMatch(/authorization/i);
    const noClientCert = { NATS_URL: secured.url, NATS_TLS_CA_FILE: certificates.ca, ...userPassword };
    expect(await letIn(secured.url, loadNatsSecurity(noClientCert))).not.toBe(true);
    // The client certificate is not a CA: the server's certificate does not chain to it.
    const wrongCa = { ...tlsEnv(), NATS_TLS_CA_FILE: certificates.clientCert, ...userPassword };
    expect(await letIn(secured.url, loadNatsSecurity(wrongCa))).not.toBe(true);
  });

  it('a token: let in with it, refused without it or with another', async () => {
    const url = tokenOnly.url;
    expect(await letIn(url, loadNatsSecurity({ NATS_TOKEN: 's3cr3t-token-value' }))).toBe(true);
    expect(await letIn(url, loadNatsSecurity({ NATS_TOKEN: 'guess' }))).toMatch(/authorization/i);
    expect(await letIn(url, loadNatsSecurity({}))).toMatch(/authorization/i);
  });
});
