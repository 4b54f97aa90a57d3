import { SignJWT } from 'jose';
import { AuthError } from './auth.error';
import { signServiceToken, signViewerToken, verifyServiceToken, verifyViewerToken } from './internal.token';
import { Viewer } from './viewer.model';

const SECRET = 'internal-secret-for-tests-0123456789';
const viewer: Viewer = {
  userId: '6f1c3a52-8e55-4d1f-9f1a-1c0e2f3a4b5c',
  login: 'coordinator',
  displayName: 'Координатор',
  roles: [{ organizationId: 'org-kalmansky', role: 'COORDINATOR' }],
  visibleOrganizationIds: ['org-kalmansky', 'org-housing'],
};

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e as AuthError,
  );

describe('viewer token (gateway → subgraph)', () => {
  it('round-trips the viewer', async () => {
    const token = await signViewerToken(viewer, SECRET);
    await expect(verifyViewerToken(token, SECRET)).resolves.toEqual(viewer);
  });

  it('refuses a tampered token (a role added to the payload)', async () => {
    const [header, payload, signature] = (await signViewerToken(viewer, SECRET)).split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { viewer: Viewer };
    claims.viewer.roles.push({ organizationId: 'org-kalmansky', role: 'HEAD' });
    const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    const error = await rejection(verifyViewerToken(forged, SECRET));
    expect(error).toBeInstanceOf(AuthError);
    expect(error?.message).toMatch(/bad signature/);
  });

  it('refuses a token signed with another secret', async () => {
    const error = await rejection(
      verifyViewerToken(await signViewerToken(viewer, 'not-the-secret-0123456789'), SECRET),
    );
    expect(error?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses an expired token', async () => {
    const token = await new SignJWT({ viewer })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('otklik-gateway')
      .setAudience('otklik-subgraph')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 30)
      .sign(new TextEncoder().encode(SECRET));
    expect((await rejection(verifyViewerToken(token, SECRET)))?.message).toMatch(/expired/);
  });

  it('refuses a well-signed token whose viewer claim is malformed', async () => {
    const token = await new SignJWT({ viewer: { login: 'x' } })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('otklik-gateway')
      .setAudience('otklik-subgraph')
      .setExpirationTime('1m')
      .sign(new TextEncoder().encode(SECRET));
    const error = await rejection(verifyViewerToken(token, SECRET));
    expect(error).toBeInstanceOf(AuthError);
    expect(error?.message).toMatch(/userId/);
  });

  it('is not accepted as a service token, nor a service token as a viewer token', async () => {
    expect((await rejection(verifyServiceToken(await signViewerToken(viewer, SECRET), SECRET)))?.message).toMatch(
      /audience/,
    );
    expect((await rejection(verifyViewerToken(await signServiceToken('gateway', SECRET), SECRET)))?.message).toMatch(
      /audience|issuer/,
    );
  });
});

describe('service token', () => {
  it('round-trips the service name', async () => {
    await expect(verifyServiceToken(await signServiceToken('gateway', SECRET), SECRET)).resolves.toEqual({
      service: 'gateway',
    });
  });

  it('refuses another secret', async () => {
    const error = await rejection(
      verifyServiceToken(await signServiceToken('gateway', 'wrong-secret-0123456789'), SECRET),
    );
    expect(error?.code).toBe('UNAUTHENTICATED');
  });
});
