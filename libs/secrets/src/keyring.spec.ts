import { randomBytes } from 'node:crypto';
import { DEVELOPMENT_KEYRING, keyringFromEnvironment, parseKeyring, SecretKeysError } from './keyring';

const key = () => randomBytes(32).toString('base64');
const base64 = (bytes: Uint8Array | undefined) => (bytes ? Buffer.from(bytes).toString('base64') : undefined);

const problemOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    if (error instanceof SecretKeysError) return error.message;
    throw error;
  }
  throw new Error('expected a SecretKeysError');
};

describe('OTKLIK_SECRET_KEYS: comma-separated id:base64-32-bytes, the first encrypts, all decrypt', () => {
  it('reads the keys in order; the first is current', () => {
    const [a, b] = [key(), key()];
    const keyring = parseKeyring(` k2026:${a} , k2025:${b}`);
    expect(keyring.ids).toEqual(['k2026', 'k2025']);
    expect(keyring.current.id).toBe('k2026');
    expect(base64(keyring.current.key)).toBe(a);
    expect(base64(keyring.find('k2025')?.key)).toBe(b);
    expect(keyring.find('k2024')).toBeUndefined();
  });

  it('takes base64url too', () => {
    const bytes = randomBytes(32);
    expect(base64(parseKeyring(`k:${bytes.toString('base64url')}`).current.key)).toBe(bytes.toString('base64'));
  });

  it('a bad entry is named by its place and id, and its key never appears in the message', () => {
    const short = randomBytes(16).toString('base64');
    const message = problemOf(() => parseKeyring(`ok:${key()},short:${short}`));
    expect(message).toBe(
      'OTKLIK_SECRET_KEYS: entry 2 (id "short"): the key must be 32 random bytes in base64 (openssl rand -base64 32), got 16 bytes',
    );
    expect(message).not.toContain(short);
    expect(problemOf(() => parseKeyring('nocolon'))).toBe('OTKLIK_SECRET_KEYS: entry 1 is not id:base64-key');
    expect(problemOf(() => parseKeyring(`bad id:${key()}`))).toMatch(/entry 1: the id must be/);
    expect(problemOf(() => parseKeyring('k:not base64!'))).toMatch(/entry 1 \(id "k"\): the key is not base64/);
    expect(problemOf(() => parseKeyring(`k:${key()},k:${key()}`))).toBe(
      'OTKLIK_SECRET_KEYS: the id "k" is given twice',
    );
    expect(problemOf(() => parseKeyring(' , '))).toMatch(/is empty/);
  });
});

describe('keyringFromEnvironment', () => {
  it('development and tests without the variable: the development key, and the caller is told so', () => {
    expect(keyringFromEnvironment({}, { production: false })).toEqual({
      keyring: DEVELOPMENT_KEYRING,
      development: true,
    });
  });

  it('production without the variable: refused, naming it', () => {
    expect(problemOf(() => keyringFromEnvironment({ OTKLIK_SECRET_KEYS: ' ' }, { production: true }))).toMatch(
      /^OTKLIK_SECRET_KEYS: is required in production/,
    );
  });

  it('production with the public development key among its keys: refused', () => {
    const dev = base64(DEVELOPMENT_KEYRING.current.key) as string;
    expect(
      problemOf(() => keyringFromEnvironment({ OTKLIK_SECRET_KEYS: `k1:${key()},old:${dev}` }, { production: true })),
    ).toBe('OTKLIK_SECRET_KEYS: holds the public development key, which production refuses');
  });

  it('production with keys of its own: used', () => {
    const choice = keyringFromEnvironment({ OTKLIK_SECRET_KEYS: `k1:${key()}` }, { production: true });
    expect(choice.development).toBe(false);
    expect(choice.keyring.ids).toEqual(['k1']);
  });
});
