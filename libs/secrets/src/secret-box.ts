// Envelope encryption with node:crypto's AES-256-GCM and nothing else: no library does this
// better for us. The primitive is OpenSSL's, an authenticated cipher; what a library would add
// (a cloud KMS client, libsodium's other ciphers) we do not need, and the format below stays
// ours to read for as long as values sealed with it are stored.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Keyring, SECRET_KEYS_VARIABLE } from './keyring';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const DATA_KEY_BYTES = 32;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Why a sealed value cannot be opened. Messages name the key id and the context, never a value. */
export class SecretsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Not in the sealed format at all (cut short, edited by hand, plaintext where a sealed value belongs). */
export class MalformedSecretError extends SecretsError {}

/** Sealed under a master key the keyring no longer has. */
export class UnknownSecretKeyError extends SecretsError {
  constructor(
    readonly keyId: string,
    keyring: Keyring,
  ) {
    super(
      `sealed with master key "${keyId}", which ${SECRET_KEYS_VARIABLE} does not have (it has ${keyring.ids.join(', ')}): ` +
        'put that key back (after the current one) until every value has been rewrapped',
    );
  }
}

/** The authentication tag does not match: altered bytes, a value moved from another field or row, or a different key under the same id. */
export class TamperedSecretError extends SecretsError {}

/**
 * Seals short secrets (webhook secrets, access tokens) for storage. Each value gets its own random
 * data key, which encrypts it (AES-256-GCM); the data key is wrapped by the keyring's current
 * master key (AES-256-GCM too). The stored form names the master key:
 *
 *     v1.<master key id>.<wrapped data key>.<encrypted value>      (base64url parts)
 *
 * so master keys rotate without re-encrypting values: `rewrap` unwraps the data key with the old
 * master key and wraps it with the current one. The value is bound to a `context` (e.g.
 * `intake.sources/demo-vk/secret`) as associated data: moved to another row or field, it no
 * longer opens.
 */
export class SecretBox {
  constructor(readonly keyring: Keyring) {}

  seal(plaintext: string, context: string): string {
    const master = this.keyring.current;
    const dataKey = new Uint8Array(randomBytes(DATA_KEY_BYTES));
    try {
      const wrapped = encrypt(master.key, dataKey, wrapAad(master.id));
      const payload = encrypt(dataKey, encoder.encode(plaintext), valueAad(context));
      return [VERSION, master.id, base64url(wrapped), base64url(payload)].join('.');
    } finally {
      dataKey.fill(0);
    }
  }

  /** The plaintext, or a SecretsError: a value that does not authenticate never comes back as garbage. */
  open(sealed: string, context: string): string {
    const parts = parse(sealed);
    const dataKey = this.unwrap(parts);
    try {
      const plaintext = decrypt(dataKey, parts.payload, valueAad(context), () =>
        tampered(`the value sealed for "${context}" does not authenticate`),
      );
      try {
        return utf8.decode(plaintext);
      } catch {
        throw new MalformedSecretError(`the value sealed for "${context}" is not UTF-8 text`);
      }
    } finally {
      dataKey.fill(0);
    }
  }

  /**
   * The same value with its data key wrapped by the current master key (unchanged when it already
   * is). With a context, the value is also checked to open before it is rewritten.
   */
  rewrap(sealed: string, context?: string): string {
    const parts = parse(sealed);
    if (parts.keyId === this.keyring.current.id) {
      if (context !== undefined) this.open(sealed, context);
      return sealed;
    }
    const dataKey = this.unwrap(parts);
    try {
      if (context !== undefined) {
        decrypt(dataKey, parts.payload, valueAad(context), () =>
          tampered(`the value sealed for "${context}" does not authenticate`),
        ).fill(0);
      }
      const master = this.keyring.current;
      const wrapped = encrypt(master.key, dataKey, wrapAad(master.id));
      return [VERSION, master.id, base64url(wrapped), base64url(parts.payload)].join('.');
    } finally {
      dataKey.fill(0);
    }
  }

  /** Whether `rewrap` would change the value: it is wrapped by an older master key. */
  needsRewrap(sealed: string): boolean {
    return parse(sealed).keyId !== this.keyring.current.id;
  }

  private unwrap(parts: SealedParts): Uint8Array {
    const master = this.keyring.find(parts.keyId);
    if (!master) throw new UnknownSecretKeyError(parts.keyId, this.keyring);
    const dataKey = decrypt(master.key, parts.wrapped, wrapAad(master.id), () =>
      tampered(`the data key does not authenticate under master key "${master.id}"`),
    );
    if (dataKey.length !== DATA_KEY_BYTES) throw new MalformedSecretError('the wrapped data key has the wrong length');
    return dataKey;
  }
}

/** The master key id a sealed value names (for counting what a rewrap has left to do). */
export function sealedKeyId(sealed: string): string {
  return parse(sealed).keyId;
}

interface SealedParts {
  keyId: string;
  wrapped: Uint8Array;
  payload: Uint8Array;
}

function parse(sealed: string): SealedParts {
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) {
    throw new MalformedSecretError(`not a sealed value (expected ${VERSION}.<key id>.<data key>.<value>)`);
  }
  const [, keyId, wrapped, payload] = parts;
  return { keyId, wrapped: decodePart(wrapped, 'data key'), payload: decodePart(payload, 'value') };
}

/** Strict base64url: a part that does not encode back to itself was edited. */
function decodePart(text: string, what: string): Uint8Array {
  if (!BASE64URL.test(text)) throw new MalformedSecretError(`the sealed ${what} is not base64url`);
  const bytes = new Uint8Array(Buffer.from(text, 'base64url'));
  if (base64url(bytes) !== text) throw new MalformedSecretError(`the sealed ${what} is not base64url`);
  if (bytes.length < IV_BYTES + TAG_BYTES) throw new MalformedSecretError(`the sealed ${what} is too short`);
  return bytes;
}

const encoder = new TextEncoder();
const base64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
const wrapAad = (keyId: string) => encoder.encode(`otklik-secrets ${VERSION} data-key ${keyId}`);
const valueAad = (context: string) => encoder.encode(`otklik-secrets ${VERSION} value ${context}`);

function tampered(message: string): never {
  throw new TamperedSecretError(`${message}: it was altered, moved from another field, or sealed under another key`);
}

function concat(...chunks: Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

/** iv ‖ ciphertext ‖ tag. */
function encrypt(key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
  const iv = new Uint8Array(randomBytes(IV_BYTES));
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const body = concat(new Uint8Array(cipher.update(plaintext)), new Uint8Array(cipher.final()));
  return concat(iv, body, new Uint8Array(cipher.getAuthTag()));
}

function decrypt(key: Uint8Array, sealed: Uint8Array, aad: Uint8Array, onFailure: () => never): Uint8Array {
  const iv = sealed.subarray(0, IV_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const body = sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  try {
    return concat(new Uint8Array(decipher.update(body)), new Uint8Array(decipher.final()));
  } catch {
    // OpenSSL says only "unable to authenticate data"; nothing decrypted leaves this function.
    return onFailure();
  }
}
