import {
  MAX_BACKOFF_SECONDS,
  MAX_RETRY_AFTER_SECONDS,
  nextPollAfterFailure,
  nextPollAfterSuccess,
  parseRetryAfter,
} from './feed.schedule';

const NOW = new Date('2026-11-27T00:00:00Z');
const secondsAfterNow = (at: Date) => (at.getTime() - NOW.getTime()) / 1000;

describe('when a feed is polled next', () => {
  it('after an answer: its own interval', () => {
    expect(secondsAfterNow(nextPollAfterSuccess(NOW, 600))).toBe(600);
  });

  it('after failures: exponential back-off with jitter between half and all of interval × 2^failures', () => {
    for (const [failures, base] of [
      [1, 1200],
      [2, 2400],
      [3, 4800],
    ]) {
      expect(secondsAfterNow(nextPollAfterFailure(NOW, 600, failures, undefined, () => 0))).toBe(base / 2);
      expect(secondsAfterNow(nextPollAfterFailure(NOW, 600, failures, undefined, () => 1))).toBe(base);
    }
  });

  it('the back-off is capped at six hours however long the site has been failing', () => {
    expect(secondsAfterNow(nextPollAfterFailure(NOW, 600, 50, undefined, () => 1))).toBe(MAX_BACKOFF_SECONDS);
  });

  it('Retry-After is honoured, within a minute and a day', () => {
    expect(secondsAfterNow(nextPollAfterFailure(NOW, 600, 1, 3600))).toBe(3600);
    expect(secondsAfterNow(nextPollAfterFailure(NOW, 600, 1, 0))).toBe(60);
    expect(secondsAfterNow(nextPollAfterFailure(NOW, 600, 1, 10 * 86_400))).toBe(MAX_RETRY_AFTER_SECONDS);
  });

  it('Retry-After is read as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120);
    expect(parseRetryAfter('Fri, 27 Nov 2026 01:00:00 GMT', NOW)).toBe(3600);
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
  });
});
