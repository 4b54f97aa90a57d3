import { MAX_TEXT_LENGTH } from '../webhooks/generic-message.dto';
import { feedMessageOf, parseFeedDate, storableRaw } from './feed-entry.mapper';
import type { FeedEntry } from './feed.parser';

const FEED_URL = 'https://kalmanka.example/news/rss';
const NOW = new Date('2026-11-28T00:00:00Z');

const entry = (overrides: Partial<FeedEntry> = {}): FeedEntry => ({
  id: 'news-1',
  link: 'https://kalmanka.example/news/1',
  title: 'Нет воды',
  body: 'Третий день на ул. Ленина',
  published: 'Fri, 27 Nov 2026 08:15:00 +0700',
  author: { name: 'Иван' },
  enclosures: [],
  raw: {},
  ...overrides,
});

describe('a feed entry as a message (cl. 2, websites)', () => {
  it('externalId = guid/id, url = link, text = title and body, postedAt = pubDate, threadId = the feed', () => {
    expect(feedMessageOf(entry(), FEED_URL, NOW)).toEqual({
      externalId: 'news-1',
      url: 'https://kalmanka.example/news/1',
      text: 'Нет воды\n\nТретий день на ул. Ленина',
      postedAt: new Date('2026-11-27T01:15:00Z'),
      author: { name: 'Иван' },
      attachments: [],
      threadId: FEED_URL,
    });
  });

  it('without a guid the link is the id; without both, a hash of the text', () => {
    expect(feedMessageOf(entry({ id: undefined }), FEED_URL, NOW)?.externalId).toBe('https://kalmanka.example/news/1');
    const a = feedMessageOf(entry({ id: undefined, link: undefined }), FEED_URL, NOW);
    const b = feedMessageOf(entry({ id: undefined, link: undefined }), FEED_URL, NOW);
    expect(a?.externalId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(a?.externalId).toBe(b?.externalId);
  });

  it('a body that opens with the title does not repeat it; an entry with no text is skipped', () => {
    expect(feedMessageOf(entry({ body: 'Нет воды: третий день' }), FEED_URL, NOW)?.text).toBe('Нет воды: третий день');
    expect(feedMessageOf(entry({ title: '', body: '' }), FEED_URL, NOW)).toBeNull();
  });

  it('no date, an unreadable date or one in the future: dated when it was read', () => {
    expect(feedMessageOf(entry({ published: undefined }), FEED_URL, NOW)?.postedAt).toEqual(NOW);
    expect(feedMessageOf(entry({ published: 'вчера' }), FEED_URL, NOW)?.postedAt).toEqual(NOW);
    expect(feedMessageOf(entry({ published: '2030-01-01T00:00:00Z' }), FEED_URL, NOW)?.postedAt).toEqual(NOW);
  });

  it('a link that is not http(s) is not kept as the url; enclosures become attachments by media type', () => {
    const message = feedMessageOf(
      entry({
        link: 'javascript:alert(1)',
        enclosures: [
          { url: 'https://x.example/a.jpg', mediaType: 'image/jpeg' },
          { url: 'https://x.example/a.pdf', mediaType: 'application/pdf' },
          { url: 'ftp://x.example/a.mp3', mediaType: 'audio/mpeg' },
        ],
      }),
      FEED_URL,
      NOW,
    );
    expect(message?.url).toBeUndefined();
    expect(message?.attachments).toEqual([
      { type: 'PHOTO', url: 'https://x.example/a.jpg' },
      { type: 'DOCUMENT', url: 'https://x.example/a.pdf' },
    ]);
  });

  it('a text longer than the webhook takes is cut with an ellipsis; NUL is removed', () => {
    const message = feedMessageOf(entry({ title: '', body: `a\u0000${'я'.repeat(MAX_TEXT_LENGTH)}` }), FEED_URL, NOW);
    expect(message?.text).toHaveLength(MAX_TEXT_LENGTH);
    expect(message?.text.startsWith('aя')).toBe(true);
    expect(message?.text.endsWith('…')).toBe(true);
  });

  it('raw items lose what jsonb refuses', () => {
    expect(storableRaw({ 'a\u0000': ['x\u0000y', '\ud800'], n: 1 })).toEqual({ a: ['xy', '\ufffd'], n: 1 });
  });
});

describe('feed dates', () => {
  it.each([
    ['Fri, 27 Nov 2026 08:15:00 +0700', '2026-11-27T01:15:00.000Z'],
    ['Fri, 27 Nov 2026 08:15:00 GMT', '2026-11-27T08:15:00.000Z'],
    ['Fri, 27 Nov 2026 08:15:00 MSK', '2026-11-27T05:15:00.000Z'],
    ['2026-11-27T10:00:00+07:00', '2026-11-27T03:00:00.000Z'],
  ])('%s', (written, iso) => {
    expect(parseFeedDate(written)?.toISOString()).toBe(iso);
  });

  it('what is not a date is undefined', () => {
    expect(parseFeedDate('27 ноября')).toBeUndefined();
    expect(parseFeedDate(undefined)).toBeUndefined();
  });
});
