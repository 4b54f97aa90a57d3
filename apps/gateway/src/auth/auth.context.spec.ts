import { AuthError, createJwtVerifier, DEVELOPMENT_AUTH, verifyViewerToken, Viewer } from '@otklik/auth';
import { SignJWT } from 'jose';
import { Authenticator, bearerToken, gatewayContext } from './auth.context';
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
const token = (sub: string, secret = DEVELOPMENT_AUTH.jwtSecret) =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuer(DEVELOPMENT_AUTH.issuer)
    .setAudience(DEVELOPMENT_AUTH.audience)
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(secret));

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e as AuthError,
  );

describe('Authenticator: Bearer JWT → viewer', () => {
  const authenticator = new Authenticator(verifier, viewers);

  it('resolves the viewer of a valid token, with its expiry', async () => {
    const result = await authenticator.authenticate(`Bearer ${await token('head')}`);
    expect(result.viewer).toEqual(viewer);
    expect(result.expiresAt).toBeInstanceOf(Date);
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
