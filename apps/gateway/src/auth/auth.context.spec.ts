import {
  AuthError,
  createJwtVerifier,
  DEVELOPMENT_AUTH,
  StaffAccessList,
  TokenIdentity,
  verifyViewerToken,
  Viewer,
} from '@otklik/auth';
import { SignJWT } from 'jose';
import { Authenticator, bearerToken, gatewayContext } from './auth.context';
import type { StaffAccessCheck } from './staff-access.watcher';
import { ViewerLookup } from './viewer.client';

const viewer: Viewer = {
  userId: 'u1',
  login: 'head',
  displayName: 'Head',
  roles: [{ organizationId: 'o1', role: 'HEAD' }],
  visibleOrganizationIds: ['o1'],
};
const verifier = createJwtVerifier({
  kind: 'secret',
  secret: DEVELOPMENT_AUTH.jwtSecret,
  issuer: DEVELOPMENT_AUTH.issuer,
  audience: DEVELOPMENT_AUTH.audience,
});
const viewers: ViewerLookup = {
  viewer: (login) =>
    login === 'head' ? Promise.resolve(viewer) : Promise.reject(new AuthError('UNAUTHENTICATED', 'unknown user')),
};
const token = (sub: string, secret = DEVELOPMENT_AUTH.jwtSecret, claims: Record<string, unknown> = {}) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuer(DEVELOPMENT_AUTH.issuer)
    .setAudience(DEVELOPMENT_AUTH.audience)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(secret));

/** The staff access list as the watcher applies it, loaded. */
const revocations = new StaffAccessList(3630);
const access: StaffAccessCheck = {
  check: (jwt: TokenIdentity) => {
    const revoked = revocations.revocationOf(jwt);
    return revoked ? Promise.reject(new AuthError('UNAUTHENTICATED', revoked)) : Promise.resolve();
  },
};

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e as AuthError,
  );

describe('Authenticator: Bearer JWT → viewer', () => {
  const authenticator = new Authenticator(verifier, viewers, access);

  it('resolves the viewer of a valid token, with its expiry and issue time', async () => {
    const result = await authenticator.authenticate(`Bearer ${await token('head')}`);
    expect(result.viewer).toEqual(viewer);
    expect(result.expiresAt).toBeInstanceOf(Date);
    expect(result.token).toMatchObject({ login: 'head', issuedAt: expect.any(Date) });
  });

  it('a revoked token → UNAUTHENTICATED, session revoked (by login up to a time, or by its id)', async () => {
    const issued = await token('head', undefined, { jti: 'jti-1' });
    await expect(authenticator.authenticate(`Bearer ${issued}`)).resolves.toBeDefined();
    revocations.apply({ kind: 'session', id: 'jti-1', revocation: { reason: 'stolen', at: 1 } });
    await expect(authenticator.authenticate(`Bearer ${issued}`)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'session revoked',
    });
    const other = await token('head');
    await expect(authenticator.authenticate(`Bearer ${other}`)).resolves.toBeDefined();
    const now = Math.floor(Date.now() / 1000);
    revocations.apply({ kind: 'login', login: 'head', access: { notBefore: now, reason: 'signed out', at: now } });
    await expect(authenticator.authenticate(`Bearer ${other}`)).rejects.toMatchObject({ message: 'session revoked' });
  });

  it.each([
    ['no header', undefined, /sign in first/],
    ['another scheme', 'Basic aGVhZDpwdw==', /Bearer <JWT>/],
    ['garbage token', 'Bearer abc', /malformed/],
  ])('%s → UNAUTHENTICATED', async (_what, header, message) => {
    const error = await failure(authenticator.authenticate(header));
    expect(error).toBeInstanceOf(AuthError);
    expect(error?.code).toBe('UNAUTHENTICATED');
    expect(error?.message).toMatch(message);
  });

  it('a token signed with another secret → UNAUTHENTICATED, bad signature', async () => {
    const error = await failure(
      authenticator.authenticate(`Bearer ${await token('head', 'not-the-secret-000000000000000')}`),
    );
    expect(error?.message).toMatch(/bad signature/);
  });

  it('a login workflow does not know → UNAUTHENTICATED, unknown user', async () => {
    const error = await failure(authenticator.authenticate(`Bearer ${await token('ghost')}`));
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', message: 'unknown user' });
  });

  it('AuthError maps to a GraphQL error with extensions.code', () => {
    expect(new AuthError('UNAUTHENTICATED', 'unknown user').toGraphQLError().extensions).toEqual({
      code: 'UNAUTHENTICATED',
    });
    expect(new AuthError('UNAUTHENTICATED', 'unknown user').toGraphQLError(401).extensions).toEqual({
      code: 'UNAUTHENTICATED',
      http: { status: 401 },
    });
  });

  it('bearerToken is case-insensitive about the scheme', () => {
    expect(bearerToken('bearer abc.def.ghi')).toBe('abc.def.ghi');
  });
});

describe('gatewayContext', () => {
  it('mints the viewer token once per operation, verifiable by subgraphs', async () => {
    const context = gatewayContext(viewer, 'corr-1', DEVELOPMENT_AUTH.internalSecret);
    const first = await context.viewerToken();
    expect(await context.viewerToken()).toBe(first);
    await expect(verifyViewerToken(first, DEVELOPMENT_AUTH.internalSecret)).resolves.toEqual(viewer);
  });
});
