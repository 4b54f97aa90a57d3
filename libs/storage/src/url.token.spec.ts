import { checkUrlToken, signUrlToken } from './url.token';

const SECRET = 'the-internal-secret-of-these-tests-0123';
const NOW = new Date('2026-12-01T10:00:00Z');
const IN_A_MINUTE = new Date(NOW.getTime() + 60_000);

describe('signed URL tokens of the local store', () => {
  const token = signUrlToken(SECRET, 'get', 'abc', IN_A_MINUTE);

  it('let the holder take the access it names, on the object it names, until it expires', () => {
    expect(checkUrlToken(token, SECRET, 'get', 'abc', NOW)).toEqual({ ok: true, expiresAt: IN_A_MINUTE });
  });

  it('are short enough for a URL: expiry and MAC, nothing else', () => {
    expect(token).toMatch(/^\d{10}\.[A-Za-z0-9_-]{43}$/);
  });

  it('expire', () => {
    expect(checkUrlToken(token, SECRET, 'get', 'abc', IN_A_MINUTE)).toEqual({ ok: false, reason: 'expired' });
  });

  it('do not open another object', () => {
    expect(checkUrlToken(token, SECRET, 'get', 'abd', NOW)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('a reading token does not let its holder upload', () => {
    expect(checkUrlToken(token, SECRET, 'put', 'abc', NOW)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('a token signed with another secret is refused', () => {
    expect(checkUrlToken(signUrlToken('another', 'get', 'abc', IN_A_MINUTE), SECRET, 'get', 'abc', NOW).ok).toBe(false);
  });

  it('a later expiry cannot be written in by hand', () => {
    const [, mac] = token.split('.');
    const later = `${Math.floor(IN_A_MINUTE.getTime() / 1000) + 3600}.${mac}`;
    expect(checkUrlToken(later, SECRET, 'get', 'abc', NOW)).toEqual({ ok: false, reason: 'invalid' });
  });

  it.each([undefined, '', 'nonsense', `${token}x`, token.replace('.', ':')])('"%s" is not a token', (given) => {
    expect(checkUrlToken(given, SECRET, 'get', 'abc', NOW)).toEqual({ ok: false, reason: 'invalid' });
  });
});
