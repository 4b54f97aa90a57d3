import { headerKey, mapImportColumns } from './import.columns';

describe('the header row of an imported file: Russian or English names', () => {
  it('maps Russian headers, keeps their spelling for the report, lists the unknown ones', () => {
    expect(
      mapImportColumns([
        'Текст',
        'Ссылка',
        'Платформа',
        'Дата',
        'Автор',
        'Ссылка на автора',
        'Идентификатор',
        'Ветка',
        'Примечание',
      ]),
    ).toEqual({
      byField: {
        text: { index: 0, header: 'Текст' },
        url: { index: 1, header: 'Ссылка' },
        platform: { index: 2, header: 'Платформа' },
        postedAt: { index: 3, header: 'Дата' },
        author: { index: 4, header: 'Автор' },
        authorUrl: { index: 5, header: 'Ссылка на автора' },
        externalId: { index: 6, header: 'Идентификатор' },
        threadId: { index: 7, header: 'Ветка' },
      },
      ignored: ['Примечание'],
    });
  });

  it('English names in any case and spacing; empty header cells are skipped', () => {
    expect(mapImportColumns(['TEXT', null, 'Posted at', 'author_url', 'External ID', ' ']).byField).toEqual({
      text: { index: 0, header: 'TEXT' },
      postedAt: { index: 2, header: 'Posted at' },
      authorUrl: { index: 3, header: 'author_url' },
      externalId: { index: 4, header: 'External ID' },
    });
    expect(headerKey('Дата и  время')).toBe(headerKey('датаивремя'));
    expect(headerKey('Ёлка')).toBe('елка');
  });

  it('no known column at all: BAD_USER_INPUT naming every column expected', () => {
    expect(() => mapImportColumns(['Вода', '27.11.2026'])).toThrow(
      'no known column in the first row; the first row must name the columns: text (Текст), postedAt (Дата), url (Ссылка), ' +
        'platform (Платформа), author (Автор), authorUrl (Ссылка на автора), externalId (Идентификатор), threadId (Обсуждение); ' +
        'text and postedAt are required',
    );
  });

  it('a required column missing, or a field named twice: BAD_USER_INPUT naming it', () => {
    expect(() => mapImportColumns(['Текст', 'Ссылка'])).toThrow(/^the file has no postedAt \(Дата\) column; /);
    expect(() => mapImportColumns(['Текст', 'text', 'Дата'])).toThrow(
      'the columns "Текст" and "text" both name text (Текст): keep one',
    );
  });
});
