import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { CryptoKey, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { AuthError } from './auth.error';
import { createJwtVerifier } from './jwt.verifier';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const encode = (s: string) => new TextEncoder().encode(s);
const now = () => Math.floor(Date.now() / 1000);

function hsToken(
  claims: Record<string, unknown>,
  opts: { secret?: string; exp?: number; aud?: string; iss?: string; sub?: string } = {},
) {
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime(opts.exp ?? now() + 600);
  if (opts.sub !== undefined) jwt.setSubject(opts.sub);
  if (opts.aud) jwt.setAudience(opts.aud);
  if (opts.iss) jwt.setIssuer(opts.iss);
  return jwt.sign(encode(opts.secret ?? SECRET));
}

async function expectUnauthenticated(promise: Promise<unknown>, message: RegExp) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  expect((error as AuthError).code).toBe('UNAUTHENTICATED');
  expect((error as AuthError).message).toMatch(message);
}

describe('createJwtVerifier with a shared secret (HS256, development)', () => {
  const verifier = createJwtVerifier({ kind: 'secret', secret: SECRET, issuer: 'otklik-dev', audience: 'otklik' });

  it('accepts a good token; the login is its subject', async () => {
    const exp = now() + 600;
    const token = await hsToken({}, { sub: 'coordinator', aud: 'otklik', iss: 'otklik-dev', exp });
    await expect(verifier.verify(token)).resolves.toEqual({ login: 'coordinator', expiresAt: new Date(exp * 1000) });
  });

  it('prefers preferred_username over sub', async () => {
    const token = await hsToken(
      { preferred_username: 'official' },
      { sub: '0b5c-uuid', aud: 'otklik', iss: 'otklik-dev' },
    );
    await expect(verifier.verify(token)).resolves.toMatchObject({ login: 'official' });
  });

  it('refuses an expired token', async () => {
    const token = await hsToken({}, { sub: 'coordinator', aud: 'otklik', iss: 'otklik-dev', exp: now() - 120 });
    await expectUnauthenticated(verifier.verify(token), /token expired/);
  });

  it('refuses a token signed with another secret', async () => {
    const token = await hsToken(
      {},
      { sub: 'coordinator', aud: 'otklik', iss: 'otklik-dev', secret: 'another-secret-of-enough-length-000000' },
    );
    await expectUnauthenticated(verifier.verify(token), /bad signature/);
  });

  it('refuses a token for another audience', async () => {
    const token = await hsToken({}, { sub: 'coordinator', aud: 'someone-else', iss: 'otklik-dev' });
    await expectUnauthenticated(verifier.verify(token), /audience not accepted/);
  });

  it('refuses a token from another issuer', async () => {
    const token = await hsToken({}, { sub: 'coordinator', aud: 'otklik', iss: 'evil' });
    await expectUnauthenticated(verifier.verify(token), /issuer not accepted/);
  });

  it('refuses garbage and a token without subject', async () => {
    await expectUnauthenticated(verifier.verify('not.a.jwt'), /malformed token/);
    await expectUnauthenticated(verifier.verify(await hsToken({}, { aud: 'otklik', iss: 'otklik-dev' })), /no subject/);
  });

  it('refuses a token without expiry', async () => {
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('head')
      .setAudience('otklik')
      .setIssuer('otklik-dev')
      .sign(encode(SECRET));
    await expectUnauthenticated(verifier.verify(token), /no expiry/);
  });

  it('refuses an unsigned token (alg none)', async () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const token = `${b64({ alg: 'none' })}.${b64({ sub: 'head', aud: 'otklik', iss: 'otklik-dev', exp: now() + 60 })}.`;
    await expectUnauthenticated(verifier.verify(token), /algorithm not accepted|malformed/);
  });
});

describe('createJwtVerifier with a JWKS (production)', () => {
  let server: Server;
  let jwksUrl: string;
  let privateKey: CryptoKey;
  let jwksRequests = 0;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
    server = createServer((_req, res) => {
      jwksRequests += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const rsToken = (kid: string, aud = 'otklik-prod', key?: CryptoKey) =>
    new SignJWT({ preferred_username: 'head' })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setSubject('f9a1')
      .setIssuer('https://id.example')
      .setAudience(aud)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key ?? privateKey);

  it('accepts a token signed with a key of the set, fetching the set once', async () => {
    const verifier = createJwtVerifier({
      kind: 'jwks',
      jwksUrl,
      issuer: 'https://id.example',
      audience: 'otklik-prod',
    });
    await expect(verifier.verify(await rsToken('key-1'))).resolves.toMatchObject({ login: 'head' });
    await expect(verifier.verify(await rsToken('key-1'))).resolves.toMatchObject({ login: 'head' });
    expect(jwksRequests).toBe(1);
  });

  it('refuses a token signed with a key not in the set', async () => {
    const verifier = createJwtVerifier({
      kind: 'jwks',
      jwksUrl,
      issuer: 'https://id.example',
      audience: 'otklik-prod',
    });
    const stranger = await generateKeyPair('RS256');
    await expectUnauthenticated(
      verifier.verify(await rsToken('key-2', 'otklik-prod', stranger.privateKey)),
      /unknown key/,
    );
  });

  it('refuses a token with the wrong audience', async () => {
    const verifier = createJwtVerifier({
      kind: 'jwks',
      jwksUrl,
      issuer: 'https://id.example',
      audience: 'otklik-prod',
    });
    await expectUnauthenticated(verifier.verify(await rsToken('key-1', 'other-app')), /audience/);
  });

  it('refuses an HS256 token even if signed with the public key material (algorithm confusion)', async () => {
    const verifier = createJwtVerifier({
      kind: 'jwks',
      jwksUrl,
      issuer: 'https://id.example',
      audience: 'otklik-prod',
    });
    const token = await hsToken({}, { sub: 'head', aud: 'otklik-prod', iss: 'https://id.example' });
    await expectUnauthenticated(verifier.verify(token), /algorithm not accepted/);
  });
});
