import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { CryptoKey, exportJWK, exportSPKI, generateKeyPair, JWK, SignJWT } from 'jose';
import { AuthError } from './auth.error';
import { createJwtVerifier, JwtVerifierConfig } from './jwt.verifier';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const encode = (s: string) => new TextEncoder().encode(s);
const now = () => Math.floor(Date.now() / 1000);
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

interface Claims {
  sub?: string;
  aud?: string;
  iss?: string;
  /** Absolute epoch seconds; `null` leaves the claim out. */
  iat?: number | null;
  exp?: number | null;
  nbf?: number;
  [claim: string]: unknown;
}

/** A token with exactly these claims (iat now and exp in 10 minutes unless given). */
function signed(claims: Claims, sign: (jwt: SignJWT) => Promise<string>): Promise<string> {
  const { iat = now(), exp = now() + 600, ...rest } = claims;
  const payload: Record<string, unknown> = { ...rest };
  if (iat !== null) payload.iat = iat;
  if (exp !== null) payload.exp = exp;
  return sign(new SignJWT(payload));
}

const hsToken = (claims: Claims, secret = SECRET) =>
  signed(claims, (jwt) => jwt.setProtectedHeader({ alg: 'HS256' }).sign(encode(secret)));

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
  const verifier = createJwtVerifier({
    kind: 'secret',
    secret: SECRET,
    issuer: 'otklik-dev',
    audience: 'otklik',
    maxTokenLifetimeSeconds: 3600,
  });
  const good = { sub: 'coordinator', aud: 'otklik', iss: 'otklik-dev' };

  it('accepts a good token: its login (subject), expiry, issue time, token and session ids', async () => {
    const iat = now() - 10;
    const exp = iat + 600;
    const token = await hsToken({ ...good, iat, exp, jti: 'token-1', sid: 'session-1' });
    await expect(verifier.verify(token)).resolves.toEqual({
      login: 'coordinator',
      expiresAt: new Date(exp * 1000),
      issuedAt: new Date(iat * 1000),
      tokenId: 'token-1',
      sessionId: 'session-1',
    });
  });

  it('prefers preferred_username over sub', async () => {
    const token = await hsToken({ ...good, sub: '0b5c-uuid', preferred_username: 'official' });
    await expect(verifier.verify(token)).resolves.toMatchObject({ login: 'official' });
  });

  it('refuses an expired token', async () => {
    await expectUnauthenticated(
      verifier.verify(await hsToken({ ...good, iat: now() - 700, exp: now() - 120 })),
      /token expired/,
    );
  });

  it('accepts a token expired within the clock tolerance (30 s), refuses one beyond it', async () => {
    await expect(verifier.verify(await hsToken({ ...good, iat: now() - 600, exp: now() - 20 }))).resolves.toBeDefined();
    await expectUnauthenticated(
      verifier.verify(await hsToken({ ...good, iat: now() - 600, exp: now() - 40 })),
      /token expired/,
    );
  });

  it('refuses a token that is not valid yet (nbf beyond the tolerance)', async () => {
    await expectUnauthenticated(verifier.verify(await hsToken({ ...good, nbf: now() + 120 })), /not yet valid/);
  });

  it('refuses a token issued in the future beyond the tolerance', async () => {
    await expectUnauthenticated(
      verifier.verify(await hsToken({ ...good, iat: now() + 120, exp: now() + 600 })),
      /issued in the future/,
    );
  });

  it('refuses a token without issue time (iat): it could not be revoked', async () => {
    await expectUnauthenticated(verifier.verify(await hsToken({ ...good, iat: null })), /no issue time/);
  });

  it('refuses a token without expiry', async () => {
    await expectUnauthenticated(verifier.verify(await hsToken({ ...good, exp: null })), /no expiry/);
  });

  it('refuses a token that lives longer than AUTH_MAX_TOKEN_LIFETIME, accepts one that lives exactly as long', async () => {
    const iat = now();
    await expect(verifier.verify(await hsToken({ ...good, iat, exp: iat + 3600 }))).resolves.toBeDefined();
    await expectUnauthenticated(
      verifier.verify(await hsToken({ ...good, iat, exp: iat + 3601 })),
      /valid for 3601 s, longer than the 3600 s accepted/,
    );
  });

  it('refuses a token older than the maximum lifetime even if its expiry says otherwise', async () => {
    await expectUnauthenticated(
      verifier.verify(await hsToken({ ...good, iat: now() - 7200, exp: now() + 600 })),
      /token expired/,
    );
  });

  it('refuses a token signed with another secret', async () => {
    await expectUnauthenticated(
      verifier.verify(await hsToken(good, 'another-secret-of-enough-length-000000')),
      /bad signature/,
    );
  });

  it('refuses a token whose payload was changed after signing', async () => {
    const [header, , signature] = (await hsToken(good)).split('.');
    const tampered = `${header}.${b64({ ...good, sub: 'head', iat: now(), exp: now() + 600 })}.${signature}`;
    await expectUnauthenticated(verifier.verify(tampered), /bad signature/);
  });

  it('refuses a token for another audience', async () => {
    await expectUnauthenticated(
      verifier.verify(await hsToken({ ...good, aud: 'someone-else' })),
      /audience not accepted/,
    );
  });

  it('refuses a token from another issuer', async () => {
    await expectUnauthenticated(verifier.verify(await hsToken({ ...good, iss: 'evil' })), /issuer not accepted/);
  });

  it('refuses garbage and a token without subject', async () => {
    await expectUnauthenticated(verifier.verify('not.a.jwt'), /malformed token/);
    await expectUnauthenticated(verifier.verify(await hsToken({ aud: 'otklik', iss: 'otklik-dev' })), /no subject/);
  });

  it('refuses an unsigned token (alg none)', async () => {
    const token = `${b64({ alg: 'none' })}.${b64({ ...good, iat: now(), exp: now() + 60 })}.`;
    await expectUnauthenticated(verifier.verify(token), /algorithm not accepted|malformed/);
  });
});

/**
 * A JWKS endpoint whose key set the test changes while verifiers use it, as an identity
 * provider's set changes when it rotates keys.
 */
class JwksServer {
  keys: JWK[] = [];
  requests = 0;
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((_req, res) => {
      this.requests += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: this.keys }));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/jwks.json`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

interface KeyPair {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: JWK;
}

async function keyPair(kid: string, alg: 'RS256' | 'ES256' = 'RS256'): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

describe('createJwtVerifier with a JWKS (production)', () => {
  const jwks = new JwksServer();
  let rsa: KeyPair;
  let ec: KeyPair;
  const issuer = 'https://id.example';
  const audience = 'otklik-prod';
  const good = { sub: 'f9a1', preferred_username: 'head', iss: issuer, aud: audience };

  const verifierWith = (extra: Partial<Extract<JwtVerifierConfig, { kind: 'jwks' }>> = {}) =>
    createJwtVerifier({ kind: 'jwks', jwksUrl: jwks.url, issuer, audience, ...extra });
  const asymmetric = (key: KeyPair, claims: Claims = good) =>
    signed(claims, (jwt) => jwt.setProtectedHeader({ alg: key.alg, kid: key.kid }).sign(key.privateKey));

  beforeAll(async () => {
    [rsa, ec] = await Promise.all([keyPair('rsa-1'), keyPair('ec-1', 'ES256')]);
    jwks.keys = [rsa.jwk, ec.jwk];
    await jwks.start();
  });
  afterAll(() => jwks.stop());

  it('accepts a token signed with a key of the set, fetching the set once', async () => {
    const verifier = verifierWith();
    const before = jwks.requests;
    await expect(verifier.verify(await asymmetric(rsa))).resolves.toMatchObject({ login: 'head' });
    await expect(verifier.verify(await asymmetric(ec))).resolves.toMatchObject({ login: 'head' });
    expect(jwks.requests - before).toBe(1);
  });

  it('accepts only the configured algorithms (AUTH_JWT_ALGORITHMS=RS256 refuses an ES256 token of the set)', async () => {
    const verifier = verifierWith({ algorithms: ['RS256'] });
    await expect(verifier.verify(await asymmetric(rsa))).resolves.toBeDefined();
    await expectUnauthenticated(verifier.verify(await asymmetric(ec)), /algorithm not accepted/);
  });

  it('cannot be configured with HS256 or none', () => {
    expect(() => verifierWith({ algorithms: ['HS256' as never] })).toThrow(/asymmetric algorithms only/);
    expect(() => verifierWith({ algorithms: ['none' as never] })).toThrow(/asymmetric algorithms only/);
  });

  it('refuses a token signed with a key not in the set', async () => {
    const stranger = await keyPair('stranger');
    await expectUnauthenticated(verifierWith().verify(await asymmetric(stranger)), /unknown key/);
  });

  it('refuses a token signed by a stranger under the kid of a key of the set', async () => {
    const impostor = { ...(await keyPair('rsa-1')) };
    await expectUnauthenticated(verifierWith().verify(await asymmetric(impostor)), /bad signature/);
  });

  it('refuses a token whose payload was changed after signing', async () => {
    const [header, , signature] = (await asymmetric(rsa)).split('.');
    const tampered = `${header}.${b64({ ...good, preferred_username: 'coordinator', iat: now(), exp: now() + 600 })}.${signature}`;
    await expectUnauthenticated(verifierWith().verify(tampered), /bad signature/);
  });

  it('refuses a token with the wrong audience or issuer', async () => {
    await expectUnauthenticated(
      verifierWith().verify(await asymmetric(rsa, { ...good, aud: 'other-app' })),
      /audience/,
    );
    await expectUnauthenticated(
      verifierWith().verify(await asymmetric(rsa, { ...good, iss: 'https://evil' })),
      /issuer/,
    );
  });

  it('refuses a token that lives longer than the maximum lifetime (default 1 h)', async () => {
    const iat = now();
    await expectUnauthenticated(
      verifierWith().verify(await asymmetric(rsa, { ...good, iat, exp: iat + 2 * 3600 })),
      /longer than the 3600 s accepted/,
    );
  });

  it('refuses an HS256 token signed with the public key as the secret (algorithm confusion)', async () => {
    const pem = await exportSPKI(rsa.publicKey);
    for (const secret of [pem, JSON.stringify(rsa.jwk)]) {
      const token = await signed(good, (jwt) =>
        jwt.setProtectedHeader({ alg: 'HS256', kid: rsa.kid }).sign(encode(secret)),
      );
      await expectUnauthenticated(verifierWith().verify(token), /algorithm not accepted/);
    }
  });

  it('refuses an unsigned token (alg none)', async () => {
    const token = `${b64({ alg: 'none', kid: rsa.kid })}.${b64({ ...good, iat: now(), exp: now() + 60 })}.`;
    await expectUnauthenticated(verifierWith().verify(token), /algorithm not accepted|malformed/);
  });
});

describe('JWKS key rotation without restart', () => {
  const jwks = new JwksServer();
  afterAll(() => jwks.stop());

  it('a new key is accepted as soon as it is published; a removed key is refused once the cached set is older than its max age', async () => {
    const [old, next] = await Promise.all([keyPair('2026-01'), keyPair('2026-02')]);
    jwks.keys = [old.jwk];
    await jwks.start();
    // Short cache and cooldown so the test does not wait jose's 10 min and 30 s.
    const verifier = createJwtVerifier({
      kind: 'jwks',
      jwksUrl: jwks.url,
      issuer: 'https://id.example',
      audience: 'otklik',
      jwks: { cacheMaxAgeMs: 300, cooldownMs: 0 },
    });
    const token = (key: KeyPair) =>
      signed({ sub: 'official', iss: 'https://id.example', aud: 'otklik' }, (jwt) =>
        jwt.setProtectedHeader({ alg: key.alg, kid: key.kid }).sign(key.privateKey),
      );

    await expect(verifier.verify(await token(old))).resolves.toMatchObject({ login: 'official' });
    await expectUnauthenticated(verifier.verify(await token(next)), /unknown key/);

    // The provider publishes the next key beside the old one: an unknown kid makes the set be fetched again.
    jwks.keys = [old.jwk, next.jwk];
    await expect(verifier.verify(await token(next))).resolves.toMatchObject({ login: 'official' });
    await expect(verifier.verify(await token(old))).resolves.toMatchObject({ login: 'official' });

    // Then it withdraws the old key: once the cached set is stale, the old key's tokens are refused.
    jwks.keys = [next.jwk];
    await new Promise((resolve) => setTimeout(resolve, 350));
    await expectUnauthenticated(verifier.verify(await token(old)), /unknown key/);
    await expect(verifier.verify(await token(next))).resolves.toMatchObject({ login: 'official' });
  });
});
