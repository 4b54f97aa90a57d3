import { AuthError } from './auth.error';

/** Error codes of jose that describe the token itself; anything else (JWKS unreachable, …) is our failure, not the caller's. */
const TOKEN_PROBLEMS: Record<string, string> = {
  ERR_JWT_EXPIRED: 'token expired',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'bad signature',
  ERR_JWS_INVALID: 'malformed token',
  ERR_JWT_INVALID: 'malformed token',
  ERR_JOSE_ALG_NOT_ALLOWED: 'token algorithm not accepted',
  ERR_JOSE_NOT_SUPPORTED: 'token algorithm not supported',
  ERR_JWKS_NO_MATCHING_KEY: 'token signed with an unknown key',
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: 'token signed with an ambiguous key',
};

const CLAIM_PROBLEMS: Record<string, string> = {
  aud: 'token audience not accepted',
  iss: 'token issuer not accepted',
  nbf: 'token not yet valid',
  iat: 'token issued in the future',
};

/** A required claim the token lacks (jose's reason "missing"). */
const MISSING_CLAIMS: Record<string, string> = {
  aud: 'token has no audience',
  iss: 'token has no issuer',
  iat: 'token has no issue time (iat)',
  sub: 'token has no subject',
  exp: 'token has no expiry',
};

/** Maps a jose failure to an AuthError (UNAUTHENTICATED) naming the problem; returns null for non-token errors. */
export function tokenProblem(error: unknown, what: string): AuthError | null {
  const e = error as { code?: unknown; claim?: unknown; reason?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (code === undefined) return null;
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
    const claim = typeof e?.claim === 'string' ? e.claim : '';
    const problem = (e?.reason === 'missing' ? MISSING_CLAIMS[claim] : undefined) ?? CLAIM_PROBLEMS[claim];
    return new AuthError('UNAUTHENTICATED', `${what}: ${problem ?? `token claim "${claim}" invalid`}`, {
      cause: error,
    });
  }
  const message = TOKEN_PROBLEMS[code];
  return message ? new AuthError('UNAUTHENTICATED', `${what}: ${message}`, { cause: error }) : null;
}

export const encodeSecret = (secret: string): Uint8Array => new TextEncoder().encode(secret);
