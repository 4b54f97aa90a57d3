import { mapImportColumns } from './import.columns';
import { checkImportRow, parseImportDate } from './import-row.check';

const NOW = new Date('2026-11-28T00:00:00Z');
const columns = mapImportColumns(['Текст', 'Дата', 'Ссылка', 'Платформа', 'Автор', 'Ссылка на автора', 'Ветка']);
const check = (cells: Array<string | number | Date | null>, timeZone?: string) =>
  checkImportRow(cells, columns, { timeZone, now: NOW });

describe('a row of an imported file, checked like a generic webhook’s message', () => {
  it('a full row: the message it makes; the url is its external id', () => {
    expect(
      check([
        'Нет воды',
        '2026-11-27T08:15:00+07:00',
        'https://vk.com/wall-1_2',
        'ВКонтакте',
        'Иван',
        'https://vk.com/id1',
        'post-2',
      ]),
    ).toEqual({
      ok: true,
      message: {
        externalId: 'https://vk.com/wall-1_2',
        url: 'https://vk.com/wall-1_2',
        platform: 'VK',
        text: 'Нет воды',
        postedAt: new Date('2026-11-27T01:15:00Z'),
        author: { name: 'Иван', url: 'https://vk.com/id1' },
        threadId: 'post-2',
      },
    });
  });

  it('the platform: the enum or a Russian name, else guessed from the link, else OTHER', () => {
    const platformOf = (platform: string | null, url: string | null) => {
      const result = check(['x', '2026-11-27T08:15:00Z', url, platform, null, null, null]);
      return result.ok ? result.message.platform : result.problems;
    };
    expect(platformOf('telegram', null)).toBe('TELEGRAM');
    expect(platformOf('Одноклассники', null)).toBe('OK');
    expect(platformOf(null, 'https://t.me/kalmanka/12')).toBe('TELEGRAM');
    expect(platformOf(null, 'https://kalmanka.example/forum/1')).toBe('WEBSITE');
    expect(platformOf(null, null)).toBe('OTHER');
    expect(platformOf('Пейджер', null)).toEqual([
      { column: 'Платформа', message: expect.stringMatching(/^must be one of VK, OK, /) as string },
    ]);
  });

  it('without an id or a link, the external id is a hash of text, date and author: the same row twice is one message', () => {
    const a = check(['Яма у школы', '2026-11-27T08:15:00Z', null, null, 'Мария', null, null]);
    const b = check(['Яма у школы', '2026-11-27T08:15:00Z', null, null, 'Мария', null, null]);
    const c = check(['Яма у школы', '2026-11-27T08:16:00Z', null, null, 'Мария', null, null]);
    expect(a.ok && a.message.externalId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(a.ok && b.ok && a.message.externalId === b.message.externalId).toBe(true);
    expect(a.ok && c.ok && a.message.externalId !== c.message.externalId).toBe(true);
  });

  it('every problem at once, each naming its column as the file does', () => {
    expect(check(['   ', 'вчера', 'vk.com/wall-1', null, null, 'javascript:x', null])).toEqual({
      ok: false,
      problems: [
        { column: 'Дата', message: '"вчера" is not a date; write 2026-11-27T08:15:00+07:00 or 27.11.2026 08:15' },
        { column: 'Ссылка', message: 'must be an http(s) URL' },
        { column: 'Текст', message: 'is required' },
        { column: 'Ссылка на автора', message: 'must be an http(s) URL' },
      ],
    });
  });

  it('a date in the future is refused, as registerMessage refuses it', () => {
    expect(check(['x', '2030-01-01T00:00:00Z', null, null, null, null, null])).toEqual({
      ok: false,
      problems: [{ column: 'Дата', message: '2030-01-01T00:00:00.000Z is in the future' }],
    });
  });
});

describe('dates in imported files', () => {
  it('ISO 8601 with an offset needs no zone', () => {
    expect(parseImportDate('2026-11-27T08:15:00+07:00', undefined)).toEqual(new Date('2026-11-27T01:15:00Z'));
    expect(parseImportDate('2026-11-27 08:15+0700', undefined)).toEqual(new Date('2026-11-27T01:15:00Z'));
    expect(parseImportDate('2026-11-27T01:15Z', undefined)).toEqual(new Date('2026-11-27T01:15:00Z'));
  });

  it('local dates and Excel date cells are read in the zone given', () => {
    const barnaul = new Date('2026-11-27T01:15:00Z');
    expect(parseImportDate('27.11.2026 08:15', 'Asia/Barnaul')).toEqual(barnaul);
    expect(parseImportDate('2026-11-27 08:15:00', 'Asia/Barnaul')).toEqual(barnaul);
    expect(parseImportDate(new Date(Date.UTC(2026, 10, 27, 8, 15)), 'Asia/Barnaul')).toEqual(barnaul);
    expect(parseImportDate('27.11.2026', 'Europe/Moscow')).toEqual(new Date('2026-11-26T21:00:00Z'));
  });

  it('a local date without a zone to read it in is refused, saying what to do', () => {
    expect(parseImportDate('27.11.2026 08:15', undefined)).toBe(
      'has no time zone: give the offset (2026-11-27T08:15:00+07:00) or pass timeZone with the import',
    );
  });

  it('what is no date is refused', () => {
    expect(parseImportDate('31.02.2026', 'Asia/Barnaul')).toBe('"31.02.2026" is not a valid date and time');
    expect(parseImportDate(null, 'Asia/Barnaul')).toBe('is required');
    expect(parseImportDate(46_000, 'Asia/Barnaul')).toMatch(/^"46000" is not a date/);
  });
});
