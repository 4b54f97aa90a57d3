/**
 * What a person's JWT is held to beyond its signature: the algorithms accepted from the identity
 * provider's JWKS and how long a token may live. Read once at start (the gateway's config).
 */

/** Asymmetric JWS algorithms jose verifies with a public key; HS* and `none` are never accepted from a JWKS. */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];

/** AUTH_JWT_ALGORITHMS by default: what Keycloak, Auth0, Entra ID and most providers sign with. */
export const DEFAULT_JWKS_ALGORITHMS: readonly AsymmetricAlgorithm[] = ['RS256', 'ES256'];

/** AUTH_MAX_TOKEN_LIFETIME by default: an hour in production; in development the 12 h of `npm run token`. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = { production: 3600, development: 12 * 3600 } as const;
const MIN_LIFETIME_SECONDS = 60;
const MAX_LIFETIME_SECONDS = 24 * 3600;

/** Seconds of clock difference tolerated between the identity provider and us (exp, nbf, iat). */
export const CLOCK_TOLERANCE_SECONDS = 30;

export interface TokenPolicy {
  /** Only with a JWKS: the algorithms a token's header may name. */
  algorithms: AsymmetricAlgorithm[];
  /** A token whose `exp − iat` is longer is refused; also how long a revocation is kept. */
  maxTokenLifetimeSeconds: number;
}

const isAsymmetric = (value: string): value is AsymmetricAlgorithm =>
  (ASYMMETRIC_ALGORITHMS as readonly string[]).includes(value);

/** "3600", "90s", "45m", "1h" → seconds; null when it is none of these. */
export function parseDurationSeconds(raw: string): number | null {
  const match = /^(\d{1,6})\s*(s|m|h)?$/.exec(raw.trim());
  if (!match) return null;
  return Number(match[1]) * { s: 1, m: 60, h: 3600 }[(match[2] ?? 's') as 's' | 'm' | 'h'];
}

/**
 * AUTH_JWT_ALGORITHMS (comma-separated, JWKS only) and AUTH_MAX_TOKEN_LIFETIME; each problem is
 * pushed naming its setting.
 */
export function readTokenPolicy(
  read: (name: string) => string | undefined,
  options: { production: boolean; jwks: boolean },
  problems: string[],
): TokenPolicy {
  let algorithms = [...DEFAULT_JWKS_ALGORITHMS];
  const rawAlgorithms = read('AUTH_JWT_ALGORITHMS');
  if (rawAlgorithms !== undefined) {
    const named = rawAlgorithms
      .split(',')
      .map((a) => a.trim())
      .filter((a) => a !== '');
    const refused = named.filter((a) => !isAsymmetric(a));
    if (!options.jwks) problems.push('AUTH_JWT_ALGORITHMS: only with AUTH_JWKS_URL (a shared secret is always HS256)');
    else if (named.length === 0) problems.push('AUTH_JWT_ALGORITHMS: name at least one algorithm, e.g. RS256');
    else if (refused.length > 0)
      problems.push(
        `AUTH_JWT_ALGORITHMS: ${refused.join(', ')} not accepted from a JWKS (one of ${ASYMMETRIC_ALGORITHMS.join(', ')}; ` +
          'never none or HS*)',
      );
    else algorithms = named.filter(isAsymmetric);
  }

  let maxTokenLifetimeSeconds = DEFAULT_MAX_TOKEN_LIFETIME_SECONDS[options.production ? 'production' : 'development'];
  const rawLifetime = read('AUTH_MAX_TOKEN_LIFETIME');
  if (rawLifetime !== undefined) {
    const seconds = parseDurationSeconds(rawLifetime);
    if (seconds === null || seconds < MIN_LIFETIME_SECONDS || seconds > MAX_LIFETIME_SECONDS)
      problems.push(
        `AUTH_MAX_TOKEN_LIFETIME: must be a duration from 60s to 24h such as 3600, 15m or 1h (got "${rawLifetime}")`,
      );
    else maxTokenLifetimeSeconds = seconds;
  }
  return { algorithms, maxTokenLifetimeSeconds };
}
