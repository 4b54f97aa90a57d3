import { createHmac, timingSafeEqual } from 'node:crypto';

/** CONTRACT.md "Generic webhook": the sender's HMAC and its optional timestamp. */
export const SIGNATURE_HEADER = 'X-Otklik-Signature';
export const TIMESTAMP_HEADER = 'X-Otklik-Timestamp';
/** A signed request older (or newer) than this is refused as a replay. */
export const REPLAY_WINDOW_SECONDS = 5 * 60;

const SIGNATURE = /^sha256=([0-9a-fA-F]{64})$/;
const UNIX_SECONDS = /^\d{1,12}$/;

export interface SignedRequest {
  /** The exact bytes received. */
  body: Uint8Array;
  signature?: string;
  timestamp?: string;
}

export interface SignaturePolicy {
  secret: string;
  /** The source refuses requests without X-Otklik-Timestamp. */
  requireTimestamp: boolean;
  now: Date;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

const encoder = new TextEncoder();

/** What the signature covers: the body, or `<timestamp>.<body>` when a timestamp is sent. */
export function signedBytes(body: Uint8Array, timestamp?: string): Uint8Array {
  if (timestamp === undefined) return body;
  const prefix = encoder.encode(`${timestamp}.`);
  const bytes = new Uint8Array(prefix.length + body.length);
  bytes.set(prefix);
  bytes.set(body, prefix.length);
  return bytes;
}

/** The hex HMAC-SHA256 of what the signature covers. */
function hmacHex(secret: string, body: Uint8Array, timestamp?: string): string {
  return createHmac('sha256', secret).update(signedBytes(body, timestamp)).digest('hex');
}

/** The header value a sender computes: `sha256=<hex HMAC-SHA256>`. */
export function signBody(secret: string, body: Uint8Array | string, timestamp?: string): string {
  return `sha256=${hmacHex(secret, typeof body === 'string' ? encoder.encode(body) : body, timestamp)}`;
}

/**
 * Whether a request was signed with the source's secret and is fresh. The signature is
 * compared in constant time; the timestamp's age is judged only once the signature holds,
 * so "replay" is said of authentic requests alone.
 */
export function verifySignature(request: SignedRequest, policy: SignaturePolicy): SignatureCheck {
  const { signature, timestamp, body } = request;
  if (signature === undefined) {
    return refuse(
      `missing ${SIGNATURE_HEADER} header (sha256=<hex HMAC-SHA256 of the body, keyed with the source secret>)`,
    );
  }
  const given = SIGNATURE.exec(signature.trim());
  if (!given) return refuse(`${SIGNATURE_HEADER} must be sha256= followed by 64 hex digits`);
  if (timestamp === undefined && policy.requireTimestamp) {
    return refuse(
      `this source requires ${TIMESTAMP_HEADER} (unix seconds); the signature then covers <timestamp>.<body>`,
    );
  }
  if (timestamp !== undefined && !UNIX_SECONDS.test(timestamp)) {
    return refuse(`${TIMESTAMP_HEADER} must be unix seconds, got "${timestamp.slice(0, 40)}"`);
  }
  // Both are 64 hex digits (the pattern above), so the comparison's time reveals nothing.
  const expected = encoder.encode(hmacHex(policy.secret, body, timestamp));
  if (!timingSafeEqual(expected, encoder.encode(given[1].toLowerCase()))) {
    const covered = timestamp === undefined ? 'the body' : '<timestamp>.<body>';
    return refuse(`${SIGNATURE_HEADER} does not match ${covered} signed with the source secret`);
  }
  if (timestamp !== undefined) {
    const skew = Math.round(policy.now.getTime() / 1000) - Number(timestamp);
    if (Math.abs(skew) > REPLAY_WINDOW_SECONDS) {
      const when = skew > 0 ? `${skew} s old` : `${-skew} s in the future`;
      return refuse(
        `${TIMESTAMP_HEADER} is ${when} (more than ${REPLAY_WINDOW_SECONDS} s from the server's clock): refused as a replay`,
      );
    }
  }
  return { ok: true };
}

const refuse = (reason: string): SignatureCheck => ({ ok: false, reason });
