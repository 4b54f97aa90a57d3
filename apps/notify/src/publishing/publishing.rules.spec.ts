import {
  afterRetry,
  attemptsInWords,
  manualReason,
  paceOf,
  retryDelayMs,
  RETRY_POLICY,
  SourceFacts,
} from './publishing.rules';

const VK_SOURCE: SourceFacts = { name: 'Сообщество (демо)', kind: 'VK_CALLBACK', enabled: true, hasCredentials: true };
const requestedAt = new Date('2025-03-03T09:00:00Z');

describe('retries: exponential back-off with full jitter, capped, honouring the platform', () => {
  it('draws up to base × 2^(n−1): the whole range at the top of the draw, nothing at the bottom', () => {
    expect(retryDelayMs(1, undefined, () => 0.999999)).toBe(RETRY_POLICY.baseDelayMs - 1);
    expect(retryDelayMs(4, undefined, () => 0.5)).toBe((RETRY_POLICY.baseDelayMs * 8) / 2);
    expect(retryDelayMs(3, undefined, () => 0)).toBe(0);
  });

  it('never waits more than the cap, however many attempts', () => {
    expect(retryDelayMs(40, undefined, () => 0.999999)).toBeLessThan(RETRY_POLICY.maxDelayMs);
  });

  it('waits at least what the platform asked for (Telegram retry_after), even beyond the cap', () => {
    expect(retryDelayMs(1, 30_000, () => 0)).toBe(30_000);
    expect(retryDelayMs(1, 20 * 60_000, () => 0.9)).toBe(20 * 60_000);
  });

  it('retries until the last attempt, then FAILS with the count and the last reason', () => {
    const now = new Date(requestedAt.getTime() + 60_000);
    const again = afterRetry({ attempts: 3, requestedAt }, { reason: 'ВКонтакте временно недоступен' }, now, () => 0.5);
    expect(again).toEqual({ retryAt: new Date(now.getTime() + RETRY_POLICY.baseDelayMs * 2) });
    expect(
      afterRetry({ attempts: RETRY_POLICY.maxAttempts, requestedAt }, { reason: 'ВКонтакте временно недоступен' }, now),
    ).toEqual({ failed: 'Не удалось опубликовать за 12 попыток: ВКонтакте временно недоступен' });
  });

  it('FAILS when the next attempt would come after the answer may wait (its attachments’ links expire)', () => {
    const late = new Date(requestedAt.getTime() + RETRY_POLICY.maxAgeMs - 1_000);
    expect(afterRetry({ attempts: 2, requestedAt }, { reason: 'нет ответа', retryAfterMs: 5_000 }, late)).toEqual({
      failed: 'Не удалось опубликовать за 2 попытки: нет ответа',
    });
  });

  it.each([
    [1, '1 попытку'],
    [2, '2 попытки'],
    [5, '5 попыток'],
    [11, '11 попыток'],
    [12, '12 попыток'],
    [21, '21 попытку'],
    [22, '22 попытки'],
  ])('%i → «за %s»', (n, words) => {
    expect(attemptsInWords(n)).toBe(words);
  });
});

describe('pacing within the platforms’ published limits', () => {
  it('VK: 20 requests a second per community token, three more per uploaded file', () => {
    expect(paceOf('VK', 'demo-vk', { externalId: 'wall-1_5_r7' }, [])).toEqual([
      { key: 'source:demo-vk', intervalMs: 50 },
    ]);
    expect(paceOf('VK', 'demo-vk', { externalId: 'wall-1_5_r7' }, [{ type: 'PHOTO', url: 'http://x/1.jpg' }])).toEqual([
      { key: 'source:demo-vk', intervalMs: 200 },
    ]);
  });

  it('Telegram: about 30 a second per bot and one a second per chat', () => {
    expect(paceOf('TELEGRAM', 'demo-telegram', { externalId: '-100123_45' }, [])).toEqual([
      { key: 'source:demo-telegram', intervalMs: 34 },
      { key: 'chat:demo-telegram:-100123', intervalMs: 1_000 },
    ]);
  });

  it('MAX: 30 requests a second, two messages a second in one chat (its thread)', () => {
    expect(paceOf('MAX', 'src-max', { externalId: 'mid.abc', threadId: '-7001' }, [])).toEqual([
      { key: 'source:src-max', intervalMs: 34 },
      { key: 'chat:src-max:-7001', intervalMs: 500 },
    ]);
  });

  it('platforms without a publisher are not paced (they are published by hand)', () => {
    expect(paceOf('WEBSITE', 'site', { externalId: 'page-1' }, [])).toEqual([]);
  });
});

describe('what cannot go through an API is MANUAL at once, with the reason in an official’s words', () => {
  const VK_KINDS = ['VK_CALLBACK'];

  it('a source that can publish: no reason', () => {
    expect(manualReason('VK', 'demo-vk', VK_SOURCE, VK_KINDS)).toBeUndefined();
  });

  it.each([
    ['a platform with no API for answers', 'WEBSITE' as const, VK_SOURCE, [], 'нет API для ответов'],
    ['a restricted platform', 'INSTAGRAM' as const, VK_SOURCE, [], 'ограничен в России'],
    ['a source notify does not know', 'VK' as const, null, VK_KINDS, 'не знает источник «demo-vk»'],
    [
      'a message registered by hand',
      'VK' as const,
      { ...VK_SOURCE, kind: 'MANUAL' },
      VK_KINDS,
      'не через API ВКонтакте',
    ],
    ['a disabled source', 'VK' as const, { ...VK_SOURCE, enabled: false }, VK_KINDS, 'отключён'],
    [
      'a source without a key',
      'VK' as const,
      { ...VK_SOURCE, hasCredentials: false },
      VK_KINDS,
      'не задан ключ доступа',
    ],
  ])('%s', (_case, platform, source, kinds, words) => {
    const reason = manualReason(platform, 'demo-vk', source, kinds);
    expect(reason).toContain(words);
    expect(reason).toContain('опубликуйте ответ вручную');
  });
});
