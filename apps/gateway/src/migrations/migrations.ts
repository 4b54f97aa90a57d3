import { RateLimits1797200000000 } from './1797200000000-rate-limits';

/** Every migration of the gateway schema, oldest first. */
export const MIGRATIONS = [RateLimits1797200000000];
