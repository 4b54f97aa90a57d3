import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { Keyring } from './keyring';
import { SecretBox, sealedKeyId, SecretsError, UnknownSecretKeyError } from './secret-box';

const KEY_ID = fc.stringMatching(/^[A-Za-z0-9_-]{1,32}$/);
const text = fc.string({ unit: 'grapheme', maxLength: 300 });
const context = fc.string({ unit: 'grapheme-ascii', maxLength: 60 });

const box = new SecretBox(new Keyring([{ id: 'k1', key: new Uint8Array(randomBytes(32)) }]));

describe('SecretBox properties', () => {
  it('round trip: whatever is sealed opens back to itself in its own context', () => {
    fc.assert(
      fc.property(text, context, (plaintext, ctx) => {
        expect(box.open(box.seal(plaintext, ctx), ctx)).toBe(plaintext);
      }),
      { numRuns: 300 },
    );
  });

  it('tamper detection: any one byte of the sealed form changed, open throws a SecretsError and never returns a value', () => {
    fc.assert(
      fc.property(
        text,
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        fc.constantFrom(2, 3),
        (plaintext, at, flip, part) => {
          const sealed = box.seal(plaintext, 'ctx');
          const parts = sealed.split('.');
          const bytes = Buffer.from(parts[part], 'base64url');
          bytes[at % bytes.length] ^= flip;
          parts[part] = bytes.toString('base64url');
          expect(() => box.open(parts.join('.'), 'ctx')).toThrow(SecretsError);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('tamper detection: any character of the sealed text replaced, open throws a SecretsError', () => {
    fc.assert(
      fc.property(text, fc.nat(), fc.constantFrom(...'AZaz09-_.xQ'), (plaintext, at, replacement) => {
        const sealed = box.seal(plaintext, 'ctx');
        const i = at % sealed.length;
        fc.pre(sealed[i] !== replacement);
        const edited = sealed.slice(0, i) + replacement + sealed.slice(i + 1);
        let opened: string | undefined;
        try {
          opened = box.open(edited, 'ctx');
        } catch (error) {
          expect(error).toBeInstanceOf(SecretsError);
        }
        // Relabelling the key id to one the keyring lacks is refused too; nothing decodes to another value.
        expect(opened).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('key rotation: sealed under any old key, opened while it stays in the keyring, rewrapped to the new one, then opened without it', () => {
    fc.assert(
      fc.property(fc.uniqueArray(KEY_ID, { minLength: 2, maxLength: 4 }), text, context, (ids, plaintext, ctx) => {
        const keys = ids.map((id) => ({ id, key: new Uint8Array(randomBytes(32)) }));
        const [newest, ...older] = keys;
        const old = older[older.length - 1];
        const sealed = new SecretBox(new Keyring([old])).seal(plaintext, ctx);
        const during = new SecretBox(new Keyring(keys));
        expect(during.open(sealed, ctx)).toBe(plaintext);
        const rewrapped = during.rewrap(sealed, ctx);
        expect(sealedKeyId(rewrapped)).toBe(newest.id);
        const after = new SecretBox(new Keyring([newest]));
        expect(after.open(rewrapped, ctx)).toBe(plaintext);
        expect(() => after.open(sealed, ctx)).toThrow(UnknownSecretKeyError);
      }),
      { numRuns: 100 },
    );
  });
});
