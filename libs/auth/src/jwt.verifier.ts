import { createRemoteJWKSet, jwtVerify, JWTPayload, JWTVerifyGetKey } from 'jose';
import { AuthError } from './auth.error';
import { encodeSecret, tokenProblem } from './jose.errors';

/** How the gateway checks the JWT of a person: a shared secret (development) or the identity provider's JWKS. */
export type JwtVerifierConfig =
  | { kind: 'secret'; secret: string; issuer?: string; audience?: string }
  | { kind: 'jwks'; jwksUrl: string; issuer: string; audience: string };

export interface VerifiedJwt {
  /** `preferred_username` when the provider sets it, else `sub`. */
  login: string;
  /** When the token stops being valid (a live connection is closed then). */
  expiresAt?: Date;
}

export interface JwtVerifier {
  /** Resolves the login, or rejects with AuthError UNAUTHENTICATED (other errors mean we could not check). */
  verify(token: string): Promise<VerifiedJwt>;
}

const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
/** Seconds of clock difference tolerated between the identity provider and us. */
const CLOCK_TOLERANCE = 30;

export function createJwtVerifier(config: JwtVerifierConfig): JwtVerifier {
  const key: Uint8Array | JWTVerifyGetKey =
    config.kind === 'secret'
      ? encodeSecret(config.secret)
      : createRemoteJWKSet(new URL(config.jwksUrl), { timeoutDuration: 5000 });
  const options = {
    algorithms: config.kind === 'secret' ? ['HS256'] : ASYMMETRIC,
    issuer: config.issuer,
    audience: config.audience,
    clockTolerance: CLOCK_TOLERANCE,
    // A token without expiry would be valid for ever.
    requiredClaims: ['exp'],
  };
  return {
    async verify(token: string): Promise<VerifiedJwt> {
      let payload: JWTPayload;
      try {
        // jwtVerify's overloads take a key or a key resolver, not a union of both.
        ({ payload } =
          typeof key === 'function' ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options));
      } catch (error) {
        throw tokenProblem(error, 'invalid bearer token') ?? error;
      }
      const username = payload['preferred_username'];
      const login = typeof username === 'string' && username !== '' ? username : payload.sub;
      if (!login) throw new AuthError('UNAUTHENTICATED', 'invalid bearer token: no subject (sub)');
      return { login, expiresAt: payload.exp === undefined ? undefined : new Date(payload.exp * 1000) };
    },
  };
}
