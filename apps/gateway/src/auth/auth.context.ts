import { AuthError, JwtVerifier, signViewerToken, Viewer } from '@otklik/auth';
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
  expiresAt?: Date;
}

/** Turns `Bearer <JWT>` into a Viewer: verify the JWT, then ask workflow who its login is. */
export class Authenticator {
  constructor(
    private readonly verifier: JwtVerifier,
    private readonly viewers: ViewerLookup,
  ) {}

  /** Rejects with AuthError UNAUTHENTICATED for a missing, malformed or invalid token or an unknown user. */
  async authenticate(authorization: string | undefined): Promise<Authenticated> {
    const { login, expiresAt } = await this.verifier.verify(bearerToken(authorization));
    return { login, viewer: await this.viewers.viewer(login), expiresAt };
  }
}

export function bearerToken(authorization: string | undefined): string {
  if (!authorization) throw new AuthError('UNAUTHENTICATED', 'sign in first: send Authorization: Bearer <JWT>');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) throw new AuthError('UNAUTHENTICATED', 'the Authorization header must be "Bearer <JWT>"');
  return match[1];
}
