import { jwtVerify, SignJWT } from 'jose';
import { LRUCache } from 'lru-cache';
import { AuthError } from './auth.error';
import { encodeSecret, tokenProblem } from './jose.errors';
import { parseViewer, Viewer } from './viewer.model';

export const GATEWAY_ISSUER = 'otklik-gateway';
export const VIEWER_AUDIENCE = 'otklik-subgraph';
export const SERVICE_AUDIENCE = 'otklik-internal';
/** Internal tokens are minted per call, so they can be short-lived. */
const TTL = '60s';
const CLOCK_TOLERANCE = 5;
const VIEWER_CLAIM = 'viewer';

/** The gateway's statement "this call is made for this viewer", sent to subgraphs in VIEWER_HEADER. */
export function signViewerToken(viewer: Viewer, secret: string): Promise<string> {
  return new SignJWT({ [VIEWER_CLAIM]: viewer })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(GATEWAY_ISSUER)
    .setAudience(VIEWER_AUDIENCE)
    .setSubject(viewer.login)
    .setIssuedAt()
    .setExpirationTime(TTL)
    .sign(encodeSecret(secret));
}

/**
 * Tokens already verified, until they expire: one gateway request reaches a subgraph several
 * times (fields, entities) with the same token, and each check is an HMAC through WebCrypto,
 * measured at a quarter of a subgraph's CPU under load. Keyed by secret and token together.
 */
const verifiedViewers = new LRUCache<string, Viewer>({ max: 10_000, ttlAutopurge: false });

export async function verifyViewerToken(token: string, secret: string): Promise<Viewer> {
  const key = `${secret}\u0000${token}`;
  const known = verifiedViewers.get(key);
  if (known) return known;
  try {
    const { payload } = await jwtVerify(token, encodeSecret(secret), {
      algorithms: ['HS256'],
      issuer: GATEWAY_ISSUER,
      audience: VIEWER_AUDIENCE,
      clockTolerance: CLOCK_TOLERANCE,
    });
    const viewer = parseViewer(payload[VIEWER_CLAIM]);
    // Cached only while the token is valid, without the clock tolerance.
    const ttl = typeof payload.exp === 'number' ? payload.exp * 1000 - Date.now() : 0;
    if (ttl > 0) verifiedViewers.set(key, viewer, { ttl });
    return viewer;
  } catch (error) {
    throw (
      tokenProblem(error, 'invalid viewer token') ??
      new AuthError('UNAUTHENTICATED', `invalid viewer token: ${(error as Error).message}`, { cause: error })
    );
  }
}

/** A service-to-service token (e.g. the gateway asking workflow who a login is), sent in SERVICE_HEADER. */
export function signServiceToken(service: string, secret: string): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setAudience(SERVICE_AUDIENCE)
    .setSubject(service)
    .setIssuedAt()
    .setExpirationTime(TTL)
    .sign(encodeSecret(secret));
}

export async function verifyServiceToken(token: string, secret: string): Promise<{ service: string }> {
  try {
    const { payload } = await jwtVerify(token, encodeSecret(secret), {
      algorithms: ['HS256'],
      audience: SERVICE_AUDIENCE,
      clockTolerance: CLOCK_TOLERANCE,
      requiredClaims: ['sub'],
    });
    return { service: payload.sub as string };
  } catch (error) {
    throw (
      tokenProblem(error, 'invalid service token') ??
      new AuthError('UNAUTHENTICATED', `invalid service token: ${(error as Error).message}`, { cause: error })
    );
  }
}
