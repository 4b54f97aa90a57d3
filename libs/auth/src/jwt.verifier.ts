import { createRemoteJWKSet, jwtVerify, JWTPayload, JWTVerifyGetKey, JWTVerifyOptions } from 'jose';
import { AuthError } from './auth.error';
import { encodeSecret, tokenProblem } from './jose.errors';
import {
  ASYMMETRIC_ALGORITHMS,
  AsymmetricAlgorithm,
  CLOCK_TOLERANCE_SECONDS,
  DEFAULT_JWKS_ALGORITHMS,
  DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
} from './jwt.settings';

/** How the JWKS is fetched (jose's createRemoteJWKSet); the defaults suit production, tests shorten them. */
export interface JwksFetchOptions {
  /** A key set older than this is fetched again before use, so a key removed from it stops working (default 10 min). */
  cacheMaxAgeMs?: number;
  /** A token naming an unknown key makes the set be fetched again, at most once per this (default 30 s). */
  cooldownMs?: number;
  timeoutMs?: number;
}

/** How the gateway checks the JWT of a person: a shared secret (development) or the identity provider's JWKS. */
export type JwtVerifierConfig =
  | {
      kind: 'secret';
      secret: string;
      issuer?: string;
      audience?: string;
      /** AUTH_MAX_TOKEN_LIFETIME in seconds (default 1 h). */
      maxTokenLifetimeSeconds?: number;
    }
  | {
      kind: 'jwks';
      jwksUrl: string;
      issuer: string;
      audience: string;
      /** AUTH_JWT_ALGORITHMS: asymmetric only (default RS256, ES256). */
      algorithms?: readonly AsymmetricAlgorithm[];
      maxTokenLifetimeSeconds?: number;
      jwks?: JwksFetchOptions;
    };

export interface VerifiedJwt {
  /** `preferred_username` when the provider sets it, else `sub`. */
  login: string;
  /** When the token stops being valid (a live connection is closed then). */
  expiresAt: Date;
  /** When it was issued (`iat`): a revocation refuses the person's tokens issued up to then. */
  issuedAt: Date;
  /** `jti`, when the provider sets one: this token's id. */
  tokenId?: string;
  /** `sid`, when the provider sets one: the sign-in session the token belongs to (shared by its refreshed tokens). */
  sessionId?: string;
}

export interface JwtVerifier {
  /** Resolves the login, or rejects with AuthError UNAUTHENTICATED (other errors mean we could not check). */
  verify(token: string): Promise<VerifiedJwt>;
}

const optionalString = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

export function createJwtVerifier(config: JwtVerifierConfig): JwtVerifier {
  const maxLifetime = config.maxTokenLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS.production;
  const algorithms = config.kind === 'secret' ? ['HS256'] : [...(config.algorithms ?? DEFAULT_JWKS_ALGORITHMS)];
  // The config is checked at start; this refuses a JWKS verifier that could be fooled into HMAC
  // with the public key as the secret (algorithm confusion) or into accepting `none`.
  if (config.kind === 'jwks' && !algorithms.every((a) => (ASYMMETRIC_ALGORITHMS as readonly string[]).includes(a)))
    throw new Error(`a JWKS verifier accepts asymmetric algorithms only, not ${algorithms.join(', ')}`);
  const key: Uint8Array | JWTVerifyGetKey =
    config.kind === 'secret'
      ? encodeSecret(config.secret)
      : createRemoteJWKSet(new URL(config.jwksUrl), {
          timeoutDuration: config.jwks?.timeoutMs ?? 5000,
          cacheMaxAge: config.jwks?.cacheMaxAgeMs,
          cooldownDuration: config.jwks?.cooldownMs,
        });
  const options: JWTVerifyOptions = {
    algorithms,
    issuer: config.issuer,
    audience: config.audience,
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    // A token without expiry would be valid for ever; without iat it could not be revoked.
    requiredClaims: ['exp', 'iat'],
    // Makes jose refuse an iat in the future (beyond the tolerance) and one older than the longest life.
    maxTokenAge: maxLifetime,
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
      const login = optionalString(payload['preferred_username']) ?? optionalString(payload.sub);
      if (!login) throw new AuthError('UNAUTHENTICATED', 'invalid bearer token: no subject (sub)');
      // Both are present and numeric: jose checked them.
      const exp = payload.exp as number;
      const iat = payload.iat as number;
      if (exp - iat > maxLifetime)
        throw new AuthError(
          'UNAUTHENTICATED',
          `invalid bearer token: valid for ${exp - iat} s, longer than the ${maxLifetime} s accepted (AUTH_MAX_TOKEN_LIFETIME)`,
        );
      return {
        login,
        expiresAt: new Date(exp * 1000),
        issuedAt: new Date(iat * 1000),
        tokenId: optionalString(payload.jti),
        sessionId: optionalString(payload['sid']),
      };
    },
  };
}
