import { createHash, timingSafeEqual } from 'node:crypto';

/** The environment variable that holds the master keys. */
export const SECRET_KEYS_VARIABLE = 'OTKLIK_SECRET_KEYS';

/** A master key's id is stored beside every value it wraps, so it must stay short and plain. */
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
export const MASTER_KEY_BYTES = 32;

export interface MasterKey {
  readonly id: string;
  /** 32 bytes: an AES-256 key. */
  readonly key: Uint8Array;
}

/** A setting of OTKLIK_SECRET_KEYS that cannot be used; the message never contains key material. */
export class SecretKeysError extends Error {
  readonly setting = SECRET_KEYS_VARIABLE;

  constructor(readonly problem: string) {
    super(`${SECRET_KEYS_VARIABLE}: ${problem}`);
    this.name = 'SecretKeysError';
  }
}

/**
 * The master keys, newest first: the first wraps every new data key, every one of them unwraps.
 * Rotating a master key is putting a new one first and keeping the old ones until every stored
 * value has been rewrapped (SecretBox.rewrap).
 */
export class Keyring {
  private readonly byId: ReadonlyMap<string, MasterKey>;

  constructor(readonly keys: readonly MasterKey[]) {
    if (keys.length === 0) throw new SecretKeysError('needs at least one key');
    const byId = new Map<string, MasterKey>();
    keys.forEach((k, i) => {
      if (!KEY_ID.test(k.id)) throw new SecretKeysError(`key ${i + 1}: the id must be 1–32 letters, digits, _ or -`);
      if (k.key.length !== MASTER_KEY_BYTES) {
        throw new SecretKeysError(`key "${k.id}": must be ${MASTER_KEY_BYTES} bytes, got ${k.key.length}`);
      }
      if (byId.has(k.id)) throw new SecretKeysError(`the id "${k.id}" is given twice`);
      byId.set(k.id, k);
    });
    this.byId = byId;
  }

  /** The key that wraps new data keys. */
  get current(): MasterKey {
    return this.keys[0];
  }

  find(id: string): MasterKey | undefined {
    return this.byId.get(id);
  }

  get ids(): string[] {
    return this.keys.map((k) => k.id);
  }

  /** Whether one of its keys has these bytes (compared in constant time). */
  holdsKey(key: Uint8Array): boolean {
    return this.keys.some((k) => k.key.length === key.length && timingSafeEqual(k.key, key));
  }
}

/** `id:base64,id:base64,…` (OTKLIK_SECRET_KEYS) as a keyring; the first entry is the current key. */
export function parseKeyring(text: string): Keyring {
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  if (entries.length === 0) throw new SecretKeysError('is empty; give at least one id:base64-key');
  const keys = entries.map((entry, i): MasterKey => {
    const colon = entry.indexOf(':');
    const where = `entry ${i + 1}`;
    if (colon < 0) throw new SecretKeysError(`${where} is not id:base64-key`);
    const id = entry.slice(0, colon).trim();
    const encoded = entry.slice(colon + 1).trim();
    if (!KEY_ID.test(id)) throw new SecretKeysError(`${where}: the id must be 1–32 letters, digits, _ or -`);
    if (!BASE64.test(encoded)) throw new SecretKeysError(`${where} (id "${id}"): the key is not base64`);
    const key = new Uint8Array(
      Buffer.from(encoded, encoded.includes('-') || encoded.includes('_') ? 'base64url' : 'base64'),
    );
    if (key.length !== MASTER_KEY_BYTES) {
      throw new SecretKeysError(
        `${where} (id "${id}"): the key must be ${MASTER_KEY_BYTES} random bytes in base64 (openssl rand -base64 32), got ${key.length} bytes`,
      );
    }
    return { id, key };
  });
  return new Keyring(keys);
}

/**
 * The key used in development and tests when OTKLIK_SECRET_KEYS is not set. It is public (its
 * bytes follow from this text), so it protects nothing, and production refuses it.
 */
export const DEVELOPMENT_KEYRING = new Keyring([
  {
    id: 'dev',
    key: new Uint8Array(
      createHash('sha256').update('otklik development master key: public, never for production').digest(),
    ),
  },
]);

export interface KeyringChoice {
  keyring: Keyring;
  /** The development key is in use: the caller says so once in its log. */
  development: boolean;
}

/**
 * The keyring of OTKLIK_SECRET_KEYS. In production it is required and may not hold the development
 * key; elsewhere, without the variable, the development key is used.
 */
export function keyringFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  options: { production: boolean },
): KeyringChoice {
  const raw = env[SECRET_KEYS_VARIABLE]?.trim();
  if (!raw) {
    if (options.production) {
      throw new SecretKeysError(
        'is required in production: comma-separated id:base64-key entries, the first encrypting, e.g. ' +
          `${SECRET_KEYS_VARIABLE}=k1:$(openssl rand -base64 32)`,
      );
    }
    return { keyring: DEVELOPMENT_KEYRING, development: true };
  }
  const keyring = parseKeyring(raw);
  if (options.production && keyring.holdsKey(DEVELOPMENT_KEYRING.current.key)) {
    throw new SecretKeysError('holds the public development key, which production refuses');
  }
  return { keyring, development: false };
}
