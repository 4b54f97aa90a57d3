import { REPLAY_WINDOW_SECONDS, signBody, SignaturePolicy, verifySignature } from './signature';

const SECRET = 'demo-secret';
const now = new Date('2026-11-27T01:15:00Z');
const nowSeconds = now.getTime() / 1000;
const bytes = (text: string) => new TextEncoder().encode(text);
const body = bytes('{"externalId":"post-1","text":"Нет света","postedAt":"2026-11-27T08:15:00+07:00"}');
const policy = (overrides: Partial<SignaturePolicy> = {}): SignaturePolicy => ({
  secret: SECRET,
  requireTimestamp: false,
  now,
  ...overrides,
});

describe('webhook signature: X-Otklik-Signature = sha256=<hex HMAC-SHA256 of the raw body>', () => {
  it('a body signed with the source secret passes', () => {
    expect(verifySignature({ body, signature: signBody(SECRET, body) }, policy())).toEqual({ ok: true });
  });

  it('upper-case hex is the same signature', () => {
    expect(
      verifySignature(
        { body, signature: signBody(SECRET, body).toUpperCase().replace('SHA256=', 'sha256=') },
        policy(),
      ),
    ).toEqual({ ok: true });
  });

  it('a body signed with another secret is refused', () => {
    const check = verifySignature({ body, signature: signBody('another-secret', body) }, policy());
    expect(check).toEqual({ ok: false, reason: expect.stringMatching(/does not match the body/) });
  });

  it('a body changed after signing is refused (the signature covers the exact bytes)', () => {
    const signature = signBody(SECRET, body);
    const reformatted = bytes(JSON.stringify(JSON.parse(new TextDecoder().decode(body)), null, 1));
    expect(verifySignature({ body: reformatted, signature }, policy()).ok).toBe(false);
  });

  it('a missing signature is refused, saying what to send', () => {
    expect(verifySignature({ body }, policy())).toEqual({
      ok: false,
      reason: expect.stringMatching(/missing X-Otklik-Signature/),
    });
  });

  it('a malformed signature is refused', () => {
    for (const signature of ['', 'sha1=abc', `sha256=${'g'.repeat(64)}`, `sha256=${'a'.repeat(63)}`, 'a'.repeat(64)]) {
      expect(verifySignature({ body, signature }, policy())).toEqual({
        ok: false,
        reason: expect.stringMatching(/sha256= followed by 64 hex digits/),
      });
    }
  });
});

describe('webhook timestamp: X-Otklik-Timestamp makes the signature cover <timestamp>.<body>', () => {
  const at = (secondsFromNow: number) => String(nowSeconds + secondsFromNow);
  const signedAt = (timestamp: string) => ({ body, timestamp, signature: signBody(SECRET, body, timestamp) });

  it('a fresh timestamp passes', () => {
    expect(verifySignature(signedAt(at(-30)), policy())).toEqual({ ok: true });
  });

  it(`within ${REPLAY_WINDOW_SECONDS} s either way passes (clocks differ a little)`, () => {
    expect(verifySignature(signedAt(at(-REPLAY_WINDOW_SECONDS)), policy()).ok).toBe(true);
    expect(verifySignature(signedAt(at(REPLAY_WINDOW_SECONDS)), policy()).ok).toBe(true);
  });

  it('more than 5 minutes old is refused as a replay', () => {
    expect(verifySignature(signedAt(at(-REPLAY_WINDOW_SECONDS - 1)), policy())).toEqual({
      ok: false,
      reason: expect.stringMatching(/301 s old .*refused as a replay/),
    });
  });

  it('more than 5 minutes in the future is refused as well', () => {
    expect(verifySignature(signedAt(at(REPLAY_WINDOW_SECONDS + 60)), policy())).toEqual({
      ok: false,
      reason: expect.stringMatching(/in the future .*replay/),
    });
  });

  it('the timestamp is signed: the body signature alone does not pass with a timestamp', () => {
    const check = verifySignature({ body, timestamp: at(0), signature: signBody(SECRET, body) }, policy());
    expect(check).toEqual({ ok: false, reason: expect.stringMatching(/does not match <timestamp>\.<body>/) });
  });

  it('a fresh timestamp cannot be put on an old signature: changing it breaks the signature', () => {
    const old = signedAt(at(-3600));
    expect(verifySignature({ ...old, timestamp: at(0) }, policy()).ok).toBe(false);
  });

  it('a timestamp that is not unix seconds is refused', () => {
    expect(
      verifySignature({ body, timestamp: '2026-11-27T01:15:00Z', signature: signBody(SECRET, body) }, policy()),
    ).toEqual({
      ok: false,
      reason: expect.stringMatching(/must be unix seconds/),
    });
  });

  it('a source that requires the timestamp refuses a request without it, even correctly signed', () => {
    const check = verifySignature({ body, signature: signBody(SECRET, body) }, policy({ requireTimestamp: true }));
    expect(check).toEqual({ ok: false, reason: expect.stringMatching(/requires X-Otklik-Timestamp/) });
  });

  it('a source that requires the timestamp accepts a fresh signed one', () => {
    expect(verifySignature(signedAt(at(0)), policy({ requireTimestamp: true }))).toEqual({ ok: true });
  });
});
