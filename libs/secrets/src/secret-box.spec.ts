import { randomBytes } from 'node:crypto';
import { Keyring } from './keyring';
import { MalformedSecretError, SecretBox, sealedKeyId, TamperedSecretError, UnknownSecretKeyError } from './secret-box';

const master = (id: string) => ({ id, key: new Uint8Array(randomBytes(32)) });
const CONTEXT = 'intake.sources/demo-vk/secret';

describe('SecretBox: envelope encryption, one data key per value, wrapped by a master key', () => {
  const k1 = master('k1');
  const box = new SecretBox(new Keyring([k1]));

  it('seals to v1.<key id>.<data key>.<value> and opens back; the plaintext is not in the sealed form', () => {
    const sealed = box.seal('demo-vk-secret', CONTEXT);
    expect(sealed).toMatch(/^v1\.k1\.[A-Za-z0-9_-]{80}\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('demo-vk-secret');
    expect(Buffer.from(sealed.split('.')[3], 'base64url').toString('latin1')).not.toContain('demo-vk-secret');
    expect(box.open(sealed, CONTEXT)).toBe('demo-vk-secret');
    expect(sealedKeyId(sealed)).toBe('k1');
  });

  it('the same value sealed twice looks different (a fresh data key and IVs each time)', () => {
    expect(box.seal('same', CONTEXT)).not.toBe(box.seal('same', CONTEXT));
  });

  it('a value moved to another field or row does not open: TamperedSecretError', () => {
    const sealed = box.seal('demo-vk-secret', CONTEXT);
    expect(() => box.open(sealed, 'intake.sources/demo-telegram/secret')).toThrow(TamperedSecretError);
  });

  it('a master key id relabelled onto another key does not open the data key', () => {
    const sealed = box.seal('x', CONTEXT);
    const impostor = new SecretBox(new Keyring([{ id: 'k1', key: new Uint8Array(randomBytes(32)) }]));
    expect(() => impostor.open(sealed, CONTEXT)).toThrow(
      /data key does not authenticate under master key "k1": it was altered, moved from another field, or sealed under another key/,
    );
  });

  it('what is not a sealed value is MalformedSecretError, naming the expected form', () => {
    expect(() => box.open('demo-vk-secret', CONTEXT)).toThrow(MalformedSecretError);
    expect(() => box.open('v1.k1.abc.def', CONTEXT)).toThrow(/too short/);
    expect(() => box.open('v2.k1.a.b', CONTEXT)).toThrow(/expected v1\.<key id>\.<data key>\.<value>/);
  });

  it('a key the keyring does not have: UnknownSecretKeyError naming it, the keys there are, and what to do', () => {
    const sealed = box.seal('x', CONTEXT);
    const other = new SecretBox(new Keyring([master('k2')]));
    expect(() => other.open(sealed, CONTEXT)).toThrow(UnknownSecretKeyError);
    expect(() => other.open(sealed, CONTEXT)).toThrow(
      'sealed with master key "k1", which OTKLIK_SECRET_KEYS does not have (it has k2): put that key back (after the current one) until every value has been rewrapped',
    );
  });

  it('rewrap moves the data key to the current master key; the value part stays, and the old key is then not needed', () => {
    const sealed = box.seal('token', CONTEXT);
    const k2 = master('k2');
    const rotated = new SecretBox(new Keyring([k2, k1]));
    expect(rotated.needsRewrap(sealed)).toBe(true);
    const rewrapped = rotated.rewrap(sealed, CONTEXT);
    expect(sealedKeyId(rewrapped)).toBe('k2');
    expect(rewrapped.split('.')[3]).toBe(sealed.split('.')[3]);
    expect(rotated.needsRewrap(rewrapped)).toBe(false);
    expect(rotated.rewrap(rewrapped)).toBe(rewrapped);
    expect(new SecretBox(new Keyring([k2])).open(rewrapped, CONTEXT)).toBe('token');
  });

  it('rewrap with a context refuses a value that does not open there, and leaves it as it was', () => {
    const sealed = box.seal('token', CONTEXT);
    const rotated = new SecretBox(new Keyring([master('k2'), k1]));
    expect(() => rotated.rewrap(sealed, 'intake.sources/other/secret')).toThrow(TamperedSecretError);
  });

  it('an empty value and a long non-ASCII one round-trip', () => {
    expect(box.open(box.seal('', CONTEXT), CONTEXT)).toBe('');
    const long = 'Ключ доступа сообщества: '.repeat(200);
    expect(box.open(box.seal(long, CONTEXT), CONTEXT)).toBe(long);
  });
});
