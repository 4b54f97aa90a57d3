import { parse } from 'csv-parse/sync';
import { normalise } from '@otklik/classifier';
import type { TreeNode } from '../organizations/organization.tree';
import { RoutingException } from './routing.exception';

/** Largest archive accepted in one import (decoded). */
export const MAX_ARCHIVE_BYTES = 10 * 1024 * 1024;
/** Longest text kept of one appeal: longer ones are cut (their start says what they are about). */
export const MAX_EXAMPLE_LENGTH = 4000;

export type ArchiveRowStatus = 'MATCHED' | 'UNMATCHED' | 'REJECTED';

/** One data row of an archive as read: its text and topic, and the organisation its body names. */
export interface ArchiveRow {
  /** The row's number in the file, the header being row 1 when there is one. */
  readonly row: number;
  readonly text: string;
  readonly topic: string | null;
  /** The organisation of the subtree its body matched; null when it matched none (or there was none). */
  readonly organizationId: string | null;
  readonly status: ArchiveRowStatus;
  readonly problem: string | null;
}

/** Header names of the three columns, in Russian as archives export them, or in English. */
const COLUMNS = {
  text: /^(текст|text|message|сообщение|обращение)/i,
  topic: /^(темат|тема|topic|рубрик|категор)/i,
  body: /^(ответствен|исполнит|организац|орган|body|organi[sz]ation|responsible|адресат)/i,
} as const;
type Column = keyof typeof COLUMNS;

/** Decodes a base64 upload (a `data:…;base64,` prefix and line breaks allowed), checking its size first. */
export function decodeArchive(contentBase64: string): Buffer {
  const encoded = contentBase64.replace(/^data:[^,]*;base64,/, '').replace(/\s+/g, '');
  const size = Math.floor((encoded.length * 3) / 4);
  if (size > MAX_ARCHIVE_BYTES) {
    throw RoutingException.badInput(
      `the archive is ${(size / 1024 / 1024).toFixed(1)} MiB; at most ${MAX_ARCHIVE_BYTES / 1024 / 1024} MiB per import: split it`,
    );
  }
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) || encoded.length % 4 === 1) {
    throw RoutingException.badInput('contentBase64 is not base64');
  }
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.length === 0) throw RoutingException.badInput('the archive is empty');
  return bytes;
}

/** The separator of the first line: the most frequent of , ; and tab outside quotes. */
function delimiterOf(text: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '\n') break;
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) as number) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0][0];
}

/** How a body's name is compared: the classifier's normalisation, quotes and punctuation dropped. */
const key = (value: string): string =>
  normalise(value)
    .replace(/[«»"'`„“”.,]/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * Reads an archive of past appeals: CSV with a text, a topic and the responsible body per row,
 * found by their header names (Текст…, Тематика/Тема…, Ответственное лицо/Исполнитель/
 * Организация…, or text/topic/body) or, without a recognisable header, as the first three
 * columns in that order. The body is matched to the code or name of an organisation in
 * `organizations` (case, ё/е and quotes ignored).
 */
export function readAppealsArchive(bytes: Buffer, organizations: readonly TreeNode[]): ArchiveRow[] {
  const content = bytes.toString('utf8').replace(/^\uFEFF/, '');
  let records: string[][];
  try {
    records = parse(content, {
      delimiter: delimiterOf(content),
      relax_column_count: true,
      skip_empty_lines: true,
      relax_quotes: true,
    });
  } catch (error) {
    throw RoutingException.badInput(`the archive is not CSV that can be read: ${(error as Error).message}`);
  }
  if (records.length === 0) throw RoutingException.badInput('the archive has no rows');
  const header = records[0].map((cell) => cell.trim());
  const found = (column: Column) => header.findIndex((cell) => COLUMNS[column].test(cell));
  const hasHeader = found('text') >= 0;
  const at: Record<Column, number> = hasHeader
    ? { text: found('text'), topic: found('topic'), body: found('body') }
    : { text: 0, topic: 1, body: 2 };
  if (hasHeader && at.topic < 0 && at.body < 0) {
    throw RoutingException.badInput(
      `the archive's header (${header.join(', ')}) names a text column but neither a topic (Тематика, Тема, topic) nor a responsible body (Ответственное лицо, Исполнитель, Организация, body)`,
    );
  }
  const byKey = new Map<string, string>();
  for (const organization of organizations) {
    byKey.set(key(organization.name), organization.id);
    byKey.set(key(organization.code), organization.id);
  }
  const first = hasHeader ? 1 : 0;
  return records.slice(first).map((record, i): ArchiveRow => {
    const row = i + first + 1;
    const cell = (column: Column): string => (at[column] >= 0 ? (record[at[column]] ?? '').trim() : '');
    const text = cell('text').slice(0, MAX_EXAMPLE_LENGTH);
    const topic = cell('topic') || null;
    const body = cell('body');
    if (normalise(text) === '') {
      return { row, text, topic, organizationId: null, status: 'REJECTED', problem: 'the text is empty' };
    }
    const organizationId = body ? (byKey.get(key(body)) ?? null) : null;
    if (organizationId) return { row, text, topic, organizationId, status: 'MATCHED', problem: null };
    const problem = body
      ? `the body "${body}" is not the code or name of an organisation here`
      : 'no responsible body is given';
    if (!topic)
      return { row, text, topic, organizationId: null, status: 'REJECTED', problem: `${problem}, nor a topic` };
    return {
      row,
      text,
      topic,
      organizationId: null,
      status: 'UNMATCHED',
      problem: `${problem}: kept for its topic only`,
    };
  });
}
