import { checkGenericMessage } from './generic-message.dto';
import { storedDeliveryId, storedExternalId } from './platform-webhook.service';

// What the webhook fuzz (apps/intake/test/webhooks.fuzz.medium-spec.ts) found answered with a
// 500, as rules: the generic webhook's check never throws, and a platform's ids always fit.

describe('webhook fuzz findings', () => {
  const message = { externalId: 'post-1', text: 'Нет воды', postedAt: '2026-11-27T08:15:00+07:00' };

  it('a generic body with a "constructor" or "__proto__" key anywhere is checked, not thrown on', () => {
    const poisoned = JSON.parse('{"constructor": {"prototype": 1}, "__proto__": {"x": 1}}') as object;
    expect(checkGenericMessage({ ...message, externalId: poisoned })).toEqual({
      ok: false,
      problems: ['externalId: must be a string'],
    });
    expect(
      checkGenericMessage({ ...message, author: { name: 'Иван', extra: poisoned }, extra: [poisoned] }),
    ).toMatchObject({
      ok: true,
      message: { author: { name: 'Иван' } },
    });
  });

  it('a platform’s id too long for intake’s columns and events is named by its digest, the same each time', () => {
    expect(storedExternalId('mid.1')).toBe('mid.1');
    expect(storedExternalId('x'.repeat(500))).toBe('x'.repeat(500));
    const long = storedExternalId('x'.repeat(501));
    expect(long).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(storedExternalId('x'.repeat(501))).toBe(long);
    expect(storedDeliveryId('e'.repeat(200))).toBe('e'.repeat(200));
    expect(storedDeliveryId('e'.repeat(201))).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('U+0000 and lone surrogates in a platform’s id become U+FFFD, as in the rest of the message', () => {
    expect(storedExternalId('a\u0000b')).toBe('a\ufffdb');
    expect(storedDeliveryId('\ud800')).toBe('\ufffd');
  });
});
