import { checkGenericMessage, MAX_TEXT_LENGTH } from './generic-message.dto';

const valid = () => ({
  externalId: 'post-123_comment-9',
  url: 'https://vk.com/wall-1_123?reply=9',
  platform: 'VK',
  text: 'Во дворе дома 5 по улице Ленина третий день не вывозят мусор',
  postedAt: '2026-11-27T08:15:00+07:00',
  author: { id: 'id42', name: 'Иван Петров', url: 'https://vk.com/id42' },
  threadId: 'post-123',
  attachments: [{ type: 'PHOTO', url: 'https://sun9-1.userapi.com/photo.jpg' }],
});

const problemsOf = (body: unknown): string[] => {
  const result = checkGenericMessage(body);
  return result.ok ? [] : result.problems;
};

describe('generic webhook body (CONTRACT.md "Generic webhook")', () => {
  it('accepts the example of the contract', () => {
    const result = checkGenericMessage(valid());
    expect(result.ok).toBe(true);
  });

  it('accepts the three required fields alone', () => {
    expect(problemsOf({ externalId: 'x', text: 'y', postedAt: '2026-11-27T01:15:00Z' })).toEqual([]);
  });

  it('externalId, text and postedAt are required: an empty object names all three', () => {
    expect(problemsOf({})).toEqual(['externalId: is required', 'text: is required', 'postedAt: is required']);
  });

  it('lists every problem, nested ones with their path, one per field', () => {
    const problems = problemsOf({
      externalId: 42,
      url: 'ftp://example.com/x',
      platform: 'MYSPACE',
      text: '   ',
      postedAt: '2026-11-27T08:15:00',
      author: { id: 7, name: 'x'.repeat(501), url: 'not a url' },
      threadId: ['post-1'],
      attachments: [{ type: 'PHOTO', url: 'https://example.com/a.jpg' }, { type: 'GIF' }, 'photo.jpg'],
    });
    expect(problems).toEqual([
      'externalId: must be a string',
      'url: must be an http(s) URL',
      'platform: must be one of VK, OK, TELEGRAM, MAX, FACEBOOK, TWITTER, INSTAGRAM, WEBSITE, EMAIL, OTHER',
      'text: must not be empty',
      'postedAt: must be ISO 8601 with a time zone offset, e.g. 2026-11-27T08:15:00+07:00',
      'author.id: must be a string',
      'author.name: must be at most 500 characters',
      'author.url: must be an http(s) URL',
      'threadId: must be a string',
      'attachments[1].type: must be one of PHOTO, VIDEO, DOCUMENT, LINK, AUDIO',
      'attachments[1].url: is required',
      'attachments[2]: must be an object',
    ]);
  });

  it(`text holds at most ${MAX_TEXT_LENGTH} characters`, () => {
    expect(problemsOf({ ...valid(), text: 'а'.repeat(MAX_TEXT_LENGTH) })).toEqual([]);
    expect(problemsOf({ ...valid(), text: 'а'.repeat(MAX_TEXT_LENGTH + 1) })).toEqual([
      `text: must be at most ${MAX_TEXT_LENGTH} characters`,
    ]);
  });

  it('postedAt must be a real date and time, with Z or an offset', () => {
    expect(problemsOf({ ...valid(), postedAt: '2026-11-27T01:15:00.123Z' })).toEqual([]);
    expect(problemsOf({ ...valid(), postedAt: '2026-02-30T08:15:00+07:00' })).toEqual([
      'postedAt: must be a valid date and time',
    ]);
    expect(problemsOf({ ...valid(), postedAt: 1764206100 })).toEqual(['postedAt: must be a string']);
  });

  it('a body that is not a JSON object is refused as such', () => {
    expect(problemsOf([valid()])).toEqual(['body: must be a JSON object']);
    expect(problemsOf('text')).toEqual(['body: must be a JSON object']);
    expect(problemsOf(null)).toEqual(['body: must be a JSON object']);
  });

  it('refuses what PostgreSQL cannot store — U+0000, a lone surrogate — anywhere in the body, naming where', () => {
    const problem = 'must not contain U+0000 or an unpaired surrogate (\\ud800–\\udfff)';
    expect(problemsOf({ ...valid(), text: 'a\u0000b', extra: { note: ['x\ud800'] }, tail: '\udc00' })).toEqual([
      `text: ${problem}`,
      `extra.note[0]: ${problem}`,
      `tail: ${problem}`,
    ]);
    expect(problemsOf({ ...valid(), text: 'Спасибо 😀' })).toEqual([]);
  });

  it('fields the contract does not name are ignored, not refused', () => {
    expect(problemsOf({ ...valid(), likes: 3 })).toEqual([]);
  });
});
