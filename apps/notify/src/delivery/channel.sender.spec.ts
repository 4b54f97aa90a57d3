import { backoffMs, DEFAULT_RETRY } from './delivery.service';
import { classify } from './email.sender';
import { fitTelegram, outcomeOf, TELEGRAM_TEXT_LIMIT } from './telegram.sender';

describe('an e-mail attempt’s outcome follows SMTP’s reply codes (RFC 5321)', () => {
  it('5xx: permanent, with the server’s words', () => {
    expect(classify({ responseCode: 550, response: '550 5.1.1 No such user' })).toEqual({
      outcome: 'FAILED',
      reason: 'почтовый сервер отказал: 550 5.1.1 No such user',
    });
  });

  it('4xx: another attempt later', () => {
    expect(classify({ responseCode: 451, response: '451 Try again later' })).toMatchObject({ outcome: 'RETRY' });
  });

  it('no server (refused, timed out): another attempt later', () => {
    expect(classify(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ESOCKET' }))).toEqual({
      outcome: 'RETRY',
      reason: 'почтовый сервер недоступен (ESOCKET)',
    });
  });
});

describe('a Telegram attempt’s outcome follows the Bot API’s answer', () => {
  it.each([
    [200, { ok: true, result: {} }, { outcome: 'SENT' }],
    [
      429,
      { ok: false, error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } },
      { outcome: 'RETRY', retryAfterMs: 7000 },
    ],
    [502, undefined, { outcome: 'RETRY' }],
    [403, { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' }, { outcome: 'FAILED' }],
    [
      400,
      { ok: false, error_code: 400, description: 'Bad Request: chat not found' },
      { outcome: 'FAILED', reason: 'Telegram отказал: Bad Request: chat not found' },
    ],
  ])('HTTP %s %o', (status, answer, expected) => {
    expect(outcomeOf(status, answer)).toMatchObject(expected);
  });

  it('a text over 4096 is cut with an ellipsis', () => {
    const cut = fitTelegram('я'.repeat(5000));
    expect(cut).toHaveLength(TELEGRAM_TEXT_LIMIT);
    expect(cut.endsWith('…')).toBe(true);
  });
});

describe('retries back off exponentially, capped, with jitter', () => {
  it.each([
    [1, 0, 15_000],
    [1, 1, 30_000],
    [3, 1, 120_000],
    [20, 1, 3_600_000],
  ])('after attempt %s (random %s): %s ms', (attempts, random, ms) => {
    expect(backoffMs(attempts, DEFAULT_RETRY, () => random)).toBe(ms);
  });
});
