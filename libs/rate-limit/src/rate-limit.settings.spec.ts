import { describeRateLimit, parseRateLimit, readRateLimit } from './rate-limit.settings';

describe('rate-limit settings: <requests>/<duration>, or off', () => {
  it.each([
    ['600/60s', { points: 600, durationSeconds: 60 }],
    ['600/60', { points: 600, durationSeconds: 60 }],
    [' 300 / 60 s ', { points: 300, durationSeconds: 60 }],
    ['100/1m', { points: 100, durationSeconds: 60 }],
    ['100/m', { points: 100, durationSeconds: 60 }],
    ['5000/1h', { points: 5000, durationSeconds: 3600 }],
    ['1/24h', { points: 1, durationSeconds: 86_400 }],
    ['10/S', { points: 10, durationSeconds: 1 }],
  ])('"%s" reads as %j', (text, setting) => {
    expect(parseRateLimit(text)).toEqual(setting);
  });

  it.each(['off', 'OFF', ' off '])('"%s" turns the limit off (null)', (text) => {
    expect(parseRateLimit(text)).toBeNull();
  });

  it.each([
    ['600', 'must be <requests>/<duration>'],
    ['600/60x', 'must be <requests>/<duration>'],
    ['-5/60s', 'must be <requests>/<duration>'],
    ['1.5/60s', 'must be <requests>/<duration>'],
    ['six hundred/minute', 'must be <requests>/<duration>'],
    ['', 'must be <requests>/<duration>'],
    ['0/60s', 'the number of requests must be from 1'],
    ['600/0s', 'the duration must be from 1 s to 24 h'],
    ['600/25h', 'the duration must be from 1 s to 24 h'],
    ['99999999999/1s', 'must be <requests>/<duration>'],
  ])('"%s" is refused: %s', (text, problem) => {
    expect(() => parseRateLimit(text)).toThrow(problem);
    expect(() => parseRateLimit(text)).toThrow(`(got "${text}")`);
  });

  it('readRateLimit: the fallback when unset or empty, the value when given', () => {
    const problems: string[] = [];
    expect(readRateLimit(undefined, 'X_LIMIT', '600/60s', problems)).toEqual({ points: 600, durationSeconds: 60 });
    expect(readRateLimit('  ', 'X_LIMIT', '600/60s', problems)).toEqual({ points: 600, durationSeconds: 60 });
    expect(readRateLimit('5/1s', 'X_LIMIT', '600/60s', problems)).toEqual({ points: 5, durationSeconds: 1 });
    expect(readRateLimit('off', 'X_LIMIT', '600/60s', problems)).toBeNull();
    expect(problems).toEqual([]);
  });

  it('readRateLimit: a bad value is a problem naming the variable', () => {
    const problems: string[] = [];
    expect(readRateLimit('lots', 'GATEWAY_RATE_LIMIT_IP', '600/60s', problems)).toBeNull();
    expect(problems).toEqual([
      'GATEWAY_RATE_LIMIT_IP: must be <requests>/<duration> such as 600/60s, 100/1m or 5000/1h, or off (got "lots")',
    ]);
  });

  it('describes a budget for people', () => {
    expect(describeRateLimit({ points: 600, durationSeconds: 60 })).toBe('600 requests per 60 s');
    expect(describeRateLimit({ points: 1, durationSeconds: 1 })).toBe('1 request per 1 s');
    expect(describeRateLimit(null)).toBe('off');
  });
});
