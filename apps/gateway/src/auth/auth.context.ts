import { AuthError, JwtVerifier, signViewerToken, VerifiedJwt, Viewer } from '@otklik/auth';
import type { StaffAccessCheck } from './staff-access.watcher';
import type { ViewerLookup } from './viewer.client';

/** The GraphQL context of one operation through the gateway (HTTP, WebSocket, or a subscription's entity fetch). */
export interface GatewayContext {
  readonly viewer: Viewer;
  readonly correlationId: string;
  /** The signed VIEWER_HEADER value, minted once per operation. */
  viewerToken(): Promise<string>;
}

export function gatewayContext(viewer: Viewer, correlationId: string, internalSecret: string): GatewayContext {
  let token: Promise<string> | undefined;
  return {
    viewer,
    correlationId,
    viewerToken: () => (token ??= signViewerToken(viewer, internalSecret)),
  };
}

export interface Authenticated {
  /** The login of the verified JWT (its `sub`). */
  login: string;
  viewer: Viewer;
  /** When the person's JWT expires (a WebSocket is closed then). */
  expiresAt: Date;
  /** The verified JWT: issue time, token and session ids (what a revocation is matched against). */
  token: VerifiedJwt;
}

/**
 * Turns `Bearer <JWT>` into a Viewer: verify the JWT, refuse it if revoked (the staff access
 * list), then ask workflow who its login is.
 */
export class Authenticator {
  constructor(
    private readonly verifier: JwtVerifier,
    private readonly viewers: ViewerLookup,
    private readonly access: StaffAccessCheck,
  ) {}

  /**
   * Rejects with AuthError UNAUTHENTICATED for a missing, malformed, invalid or revoked token or
   * an unknown user; with another error when it cannot tell (the access list not loaded yet).
   */
  async authenticate(authorization: string | undefined): Promise<Authenticated> {
    const token = await this.verifier.verify(bearerToken(authorization));
    await this.access.check(token);
    return { login: token.login, viewer: await this.viewers.viewer(token.login), expiresAt: token.expiresAt, token };
  }
}

export function bearerToken(authorization: string | undefined): string {
  if (!authorization) throw new AuthError('UNAUTHENTICATED', 'sign in first: send Authorization: Bearer <JWT>');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) throw new AuthError('UNAUTHENTICATED', 'the Authorization header must be "Bearer <JWT>"');
  return match[1];
}
