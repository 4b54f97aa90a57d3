import { createHash } from 'node:crypto';
import { instantOfWallTime } from '@otklik/calendar';
import { PLATFORMS, Platform } from '@otklik/contracts';
import type { StoredAuthor } from '../messages/message.entity';
import { checkGenericMessage } from '../webhooks/generic-message.dto';
import type { Cell } from './import-file.reader';
import type { ImportColumns, ImportField } from './import.columns';

/** A problem of a row, with the column it is in as the file's header names it (null: the row as a whole). */
export interface ImportProblem {
  column: string | null;
  message: string;
}

/** A row that makes a message. */
export interface ImportedMessage {
  externalId: string;
  url?: string;
  platform: Platform;
  text: string;
  postedAt: Date;
  author?: StoredAuthor;
  threadId?: string;
}

export type ImportRowCheck = { ok: true; message: ImportedMessage } | { ok: false; problems: ImportProblem[] };

export interface ImportRowOptions {
  /** IANA zone for dates written without an offset (and for XLSX date cells, which have none). */
  timeZone?: string;
  now: Date;
}

/** A posting time this far ahead of the clock is a mistake, not a clock skew (as registerMessage). */
const FUTURE_TOLERANCE_MS = 5 * 60_000;
const MAX_ID_LENGTH = 500;

/** Platform names as people write them, lower-cased; the enum's own values are taken too. */
const PLATFORM_NAMES: Record<string, Platform> = {
  вк: 'VK',
  вконтакте: 'VK',
  vkontakte: 'VK',
  ок: 'OK',
  одноклассники: 'OK',
  odnoklassniki: 'OK',
  телеграм: 'TELEGRAM',
  телеграмм: 'TELEGRAM',
  макс: 'MAX',
  фейсбук: 'FACEBOOK',
  твиттер: 'TWITTER',
  x: 'TWITTER',
  инстаграм: 'INSTAGRAM',
  инстаграмм: 'INSTAGRAM',
  сайт: 'WEBSITE',
  site: 'WEBSITE',
  'e-mail': 'EMAIL',
  почта: 'EMAIL',
  'эл. почта': 'EMAIL',
  'электронная почта': 'EMAIL',
  другое: 'OTHER',
};

/** Where a link points tells the platform when the row does not. */
const PLATFORM_HOSTS: Array<[RegExp, Platform]> = [
  [/(^|\.)(vk\.com|vk\.ru|vkontakte\.ru)$/, 'VK'],
  [/(^|\.)(ok\.ru|odnoklassniki\.ru)$/, 'OK'],
  [/(^|\.)(t\.me|telegram\.me|telegram\.org)$/, 'TELEGRAM'],
  [/(^|\.)max\.ru$/, 'MAX'],
  [/(^|\.)(facebook\.com|fb\.com)$/, 'FACEBOOK'],
  [/(^|\.)(twitter\.com|x\.com)$/, 'TWITTER'],
  [/(^|\.)instagram\.com$/, 'INSTAGRAM'],
];

/** The platform of a row (a name the DTO refuses stays as written, so the report quotes it). */
function platformOf(written: string | undefined, url: string | undefined): string {
  if (written) {
    const upper = written.toUpperCase();
    if ((PLATFORMS as readonly string[]).includes(upper)) return upper;
    return PLATFORM_NAMES[written.toLowerCase()] ?? written;
  }
  if (!url) return 'OTHER';
  try {
    const { hostname, protocol } = new URL(url);
    const known = PLATFORM_HOSTS.find(([host]) => host.test(hostname.toLowerCase()));
    return known ? known[1] : protocol.startsWith('http') ? 'WEBSITE' : 'OTHER';
  } catch {
    return 'OTHER';
  }
}

/** A cell as text (trimmed; numbers and booleans as written), or undefined when empty. */
function textOf(cell: Cell | undefined): string | undefined {
  if (cell === null || cell === undefined) return undefined;
  const text = cell instanceof Date ? cell.toISOString() : String(cell).trim();
  return text === '' ? undefined : text;
}

const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const ISO_LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;
const RUSSIAN_LOCAL = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function validWall(w: WallClock): boolean {
  const probe = new Date(Date.UTC(w.year, w.month - 1, w.day));
  return (
    probe.getUTCFullYear() === w.year &&
    probe.getUTCMonth() === w.month - 1 &&
    probe.getUTCDate() === w.day &&
    w.hour < 24 &&
    w.minute < 60 &&
    w.second < 60
  );
}

/**
 * When a row's message was posted: ISO 8601 with an offset as the webhook takes it, or a local
 * date and time (2026-11-27 08:15, 27.11.2026 08:15, an Excel date cell) read in `timeZone`.
 */
export function parseImportDate(cell: Cell | undefined, timeZone: string | undefined): Date | string {
  if (cell === null || cell === undefined) return 'is required';
  let wall: WallClock | undefined;
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) return 'is not a date';
    // Excel keeps no zone: read-excel-file gives the wall time in UTC fields.
    wall = {
      year: cell.getUTCFullYear(),
      month: cell.getUTCMonth() + 1,
      day: cell.getUTCDate(),
      hour: cell.getUTCHours(),
      minute: cell.getUTCMinutes(),
      second: cell.getUTCSeconds(),
    };
  } else {
    const written = String(cell).trim();
    if (WITH_OFFSET.test(written)) {
      const time = Date.parse(written.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
      return Number.isNaN(time) ? `"${written}" is not a valid date and time` : new Date(time);
    }
    const iso = ISO_LOCAL.exec(written);
    const russian = iso ? null : RUSSIAN_LOCAL.exec(written);
    const [year, month, day, hour, minute, second] = iso
      ? [iso[1], iso[2], iso[3], iso[4], iso[5], iso[6]]
      : russian
        ? [russian[3], russian[2], russian[1], russian[4], russian[5], russian[6]]
        : [];
    if (year === undefined) {
      return `"${written.slice(0, 100)}" is not a date; write 2026-11-27T08:15:00+07:00 or 27.11.2026 08:15`;
    }
    wall = {
      year: Number(year),
      month: Number(month),
      day: Number(day),
      hour: Number(hour ?? 0),
      minute: Number(minute ?? 0),
      second: Number(second ?? 0),
    };
    if (!validWall(wall)) return `"${written}" is not a valid date and time`;
  }
  if (!timeZone) {
    return 'has no time zone: give the offset (2026-11-27T08:15:00+07:00) or pass timeZone with the import';
  }
  const date = `${String(wall.year).padStart(4, '0')}-${String(wall.month).padStart(2, '0')}-${String(wall.day).padStart(2, '0')}`;
  return new Date(
    instantOfWallTime(timeZone, { date, minuteOfDay: wall.hour * 60 + wall.minute }) + wall.second * 1000,
  );
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Checks one data row the way the generic webhook checks a message (its DTO, reused), with a
 * file's leniencies: Russian platform names, local dates, the platform guessed from the link, and
 * an external id made when there is none — the link, else a hash of text, date and author, so the
 * same row imported again is the same message. Every problem names the column it is in.
 */
export function checkImportRow(cells: Cell[], columns: ImportColumns, options: ImportRowOptions): ImportRowCheck {
  const cell = (field: ImportField): Cell | undefined => {
    const column = columns.byField[field];
    return column ? cells[column.index] : undefined;
  };
  const columnOf = (field: ImportField): string | null => columns.byField[field]?.header ?? null;
  const problems: ImportProblem[] = [];

  const postedAt = parseImportDate(cell('postedAt'), options.timeZone);
  if (typeof postedAt === 'string') problems.push({ column: columnOf('postedAt'), message: postedAt });
  else if (postedAt.getTime() > options.now.getTime() + FUTURE_TOLERANCE_MS) {
    problems.push({ column: columnOf('postedAt'), message: `${postedAt.toISOString()} is in the future` });
  }

  const text = textOf(cell('text'));
  const url = textOf(cell('url'));
  const authorName = textOf(cell('author'));
  const authorUrl = textOf(cell('authorUrl'));
  const dateForId = typeof postedAt === 'string' ? '' : postedAt.toISOString();
  const externalId =
    textOf(cell('externalId')) ??
    (url && url.length <= MAX_ID_LENGTH ? url : undefined) ??
    `sha256:${sha256([url ?? '', text ?? '', dateForId, authorName ?? ''].join('\u0000'))}`;

  // The webhook's own checks, on the message this row makes (postedAt already checked above).
  const body = {
    externalId,
    url,
    platform: platformOf(textOf(cell('platform')), url),
    text,
    postedAt: typeof postedAt === 'string' ? options.now.toISOString() : postedAt.toISOString(),
    author: authorName || authorUrl ? { name: authorName, url: authorUrl } : undefined,
    threadId: textOf(cell('threadId')),
  };
  const checked = checkGenericMessage(body);
  if (!checked.ok) problems.push(...checked.problems.map((p) => inColumn(p, columnOf)));
  if (problems.length > 0 || !checked.ok) return { ok: false, problems };

  const message = checked.message;
  return {
    ok: true,
    message: {
      externalId: message.externalId,
      url: message.url,
      platform: message.platform ?? 'OTHER',
      text: message.text,
      postedAt: postedAt as Date,
      author: message.author ? { name: message.author.name, url: message.author.url } : undefined,
      threadId: message.threadId,
    },
  };
}

/** The webhook's "author.url: must be …" as the file's column: { column: "Ссылка на автора", message: "must be …" }. */
function inColumn(problem: string, columnOf: (field: ImportField) => string | null): ImportProblem {
  const colon = problem.indexOf(': ');
  const path = problem.slice(0, colon);
  const message = problem.slice(colon + 2);
  const field: ImportField | undefined =
    path === 'author.name' ? 'author' : path === 'author.url' ? 'authorUrl' : (path as ImportField);
  return { column: columnOf(field) ?? path, message };
}
