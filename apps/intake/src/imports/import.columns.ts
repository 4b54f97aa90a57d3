import { AppError } from '@otklik/service-kit';
import type { Cell } from './import-file.reader';

export const IMPORT_FIELDS = [
  'text',
  'postedAt',
  'url',
  'platform',
  'author',
  'authorUrl',
  'externalId',
  'threadId',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Without these a row cannot be a message: the file is refused rather than every row. */
const REQUIRED: readonly ImportField[] = ['text', 'postedAt'];

/**
 * The header names each field goes by, English and Russian. Compared without case, spaces,
 * underscores, hyphens or dots, and with ё as е: "Posted at", "posted_at" and "postedAt" are one.
 */
const NAMES: Record<ImportField, readonly string[]> = {
  text: ['text', 'message', 'текст', 'сообщение', 'текст сообщения', 'содержание'],
  postedAt: ['postedAt', 'date', 'posted', 'дата', 'дата публикации', 'дата и время', 'время публикации'],
  url: ['url', 'link', 'ссылка', 'адрес', 'ссылка на сообщение'],
  platform: ['platform', 'платформа', 'соцсеть', 'социальная сеть', 'площадка'],
  author: ['author', 'authorName', 'автор', 'имя автора'],
  authorUrl: ['authorUrl', 'author link', 'ссылка на автора', 'профиль автора', 'автор ссылка'],
  externalId: ['externalId', 'id', 'идентификатор', 'внешний идентификатор'],
  threadId: ['threadId', 'thread', 'ветка', 'обсуждение', 'идентификатор обсуждения'],
};

/** How a header is compared. */
export const headerKey = (name: string): string =>
  name
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[\s_\-.:]+/g, '');

const FIELD_OF = new Map<string, ImportField>(
  IMPORT_FIELDS.flatMap((field) => NAMES[field].map((name) => [headerKey(name), field] as const)),
);

/** A field's column in the file: its position, and its header as written there (for the report). */
export interface ImportColumn {
  index: number;
  header: string;
}

export interface ImportColumns {
  byField: Partial<Record<ImportField, ImportColumn>>;
  /** Headers that name no field: left out, and listed in the report. */
  ignored: string[];
}

/** The Russian header the documentation suggests for each field. */
const RUSSIAN: Record<ImportField, string> = {
  text: 'Текст',
  postedAt: 'Дата',
  url: 'Ссылка',
  platform: 'Платформа',
  author: 'Автор',
  authorUrl: 'Ссылка на автора',
  externalId: 'Идентификатор',
  threadId: 'Обсуждение',
};

/** "text (Текст)": how errors name a field. */
export const describeField = (field: ImportField): string => `${field} (${RUSSIAN[field]})`;

const EXPECTED = `the first row must name the columns: ${IMPORT_FIELDS.map(describeField).join(', ')}; text and postedAt are required`;

/** Maps a header row to fields; refuses a file without the required columns or with one named twice. */
export function mapImportColumns(header: Cell[]): ImportColumns {
  const byField: ImportColumns['byField'] = {};
  const ignored: string[] = [];
  header.forEach((cell, index) => {
    const name = cell === null ? '' : String(cell).trim();
    if (name === '') return;
    const field = FIELD_OF.get(headerKey(name));
    if (!field) {
      ignored.push(name);
      return;
    }
    const taken = byField[field];
    if (taken) {
      throw new AppError(
        'BAD_USER_INPUT',
        `the columns "${taken.header}" and "${name}" both name ${describeField(field)}: keep one`,
      );
    }
    byField[field] = { index, header: name };
  });
  const missing = REQUIRED.filter((field) => !byField[field]);
  if (missing.length === REQUIRED.length && Object.keys(byField).length === 0) {
    throw new AppError('BAD_USER_INPUT', `no known column in the first row; ${EXPECTED}`);
  }
  if (missing.length > 0) {
    throw new AppError(
      'BAD_USER_INPUT',
      `the file has no ${missing.map(describeField).join(' or ')} column; ${EXPECTED}`,
    );
  }
  return { byField, ignored };
}
