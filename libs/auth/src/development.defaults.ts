import development from './development.json';

/** Shared development secrets (also used by `npm run token`); never valid in production. */
export interface DevelopmentAuth {
  readonly jwtSecret: string;
  readonly internalSecret: string;
  readonly issuer: string;
  readonly audience: string;
}

export const DEVELOPMENT_AUTH: DevelopmentAuth = Object.freeze({ ...development });

/** The development defaults, or null when NODE_ENV is production (every secret must then be configured). */
export function developmentAuthDefaults(nodeEnv: string | undefined): DevelopmentAuth | null {
  return nodeEnv === 'production' ? null : DEVELOPMENT_AUTH;
}
