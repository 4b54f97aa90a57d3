import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * The token of a local store's URL (`/attachments/<key>?token=…`): which object, which method,
 * until when, under an HMAC of INTERNAL_AUTH_SECRET. Hand-written rather than a JWT (jose, as
 * libs/auth signs its tokens): it states three things and no more, and must stay short, for it
 * travels in a URL that people copy and platforms fetch.
 */

export type UrlAccess = 'put' | 'get';

export type UrlTokenCheck = { ok: true; expiresAt: Date } | { ok: false; reason: 'invalid' | 'expired' };

const PURPOSE = 'otklik attachment url v1';

const encoder = new TextEncoder();

/** A key of its own, so that a URL token is never mistaken for anything else the secret signs. */
const macKey = (secret: string): string => createHmac('sha256', secret).update(PURPOSE).digest('hex');

/** 43 base64url characters (HMAC-SHA256). */
const macOf = (secret: string, access: UrlAccess, key: string, expires: number): string =>
  createHmac('sha256', macKey(secret)).update(`${access}\n${key}\n${expires}`).digest('base64url');

/** `<expiry in Unix seconds>.<base64url MAC>`. */
export function signUrlToken(secret: string, access: UrlAccess, key: string, expiresAt: Date): string {
  const expires = Math.floor(expiresAt.getTime() / 1000);
  return `${expires}.${macOf(secret, access, key, expires)}`;
}

/** Whether `token` lets its holder `access` the object `key` at `now`. */
export function checkUrlToken(
  token: string | undefined,
  secret: string,
  access: UrlAccess,
  key: string,
  now: Date = new Date(),
): UrlTokenCheck {
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token ?? '');
  if (!match) return { ok: false, reason: 'invalid' };
  const expires = Number(match[1]);
  // Both are 43 characters (the pattern above), so the comparison's time reveals nothing.
  const expected = encoder.encode(macOf(secret, access, key, expires));
  if (!timingSafeEqual(expected, encoder.encode(match[2]))) return { ok: false, reason: 'invalid' };
  if (expires * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, expiresAt: new Date(expires * 1000) };
}
