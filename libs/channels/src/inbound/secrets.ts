import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether `given` equals one of `secrets`, in time that does not depend on where they differ:
 * both sides are hashed first, so neither the length nor a common prefix leaks.
 */
export function matchesAnySecret(given: string | undefined, secrets: readonly string[]): boolean {
  if (given === undefined || given === '') return false;
  const digest = sha256(given);
  let matched = false;
  for (const secret of secrets) {
    if (secret !== '' && timingSafeEqual(digest, sha256(secret))) matched = true;
  }
  return matched;
}

function sha256(value: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(value, 'utf8').digest());
}
