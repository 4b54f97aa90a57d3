import { parse as parseCsv } from 'csv-parse/sync';
import { readSheet } from 'read-excel-file/node';
import { AppError } from '@otklik/service-kit';

export const IMPORT_FORMATS = ['CSV', 'XLSX'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** The largest file taken (decoded); a larger batch is split by the sender. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
/** The most data rows of one import: each becomes a message in its own savepoint. */
export const MAX_IMPORT_ROWS = 10_000;
/** An XLSX is a zip: what it may unpack to, so a zip bomb is refused before it is opened. */
const MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024;

export type Cell = string | number | boolean | Date | null;

/** One line of a table as the file numbers it (1 = the first line of the file or sheet). */
export interface TableRow {
  row: number;
  cells: Cell[];
}

/** A file read as a table: the header (its first non-empty row) and the rows below it. */
export interface ImportTable {
  header: TableRow;
  rows: TableRow[];
  /** CSV only: what the bytes were read as, and the delimiter found. */
  encoding?: string;
  delimiter?: string;
}

const badInput = (message: string) => new AppError('BAD_USER_INPUT', message);

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/**
 * The file's bytes from base64 (a `data:…;base64,` prefix and line breaks allowed). The size is
 * checked on the encoded length first, so an oversized upload is refused before it is decoded.
 */
export function decodeUpload(contentBase64: string): Buffer {
  const encoded = contentBase64.replace(/^data:[^,]*;base64,/, '').replace(/\s+/g, '');
  const size = Math.floor((encoded.length * 3) / 4) - (encoded.endsWith('==') ? 2 : encoded.endsWith('=') ? 1 : 0);
  if (size > MAX_IMPORT_BYTES) {
    throw badInput(`the file is ${mib(size)}; at most ${mib(MAX_IMPORT_BYTES)} per import: split it`);
  }
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) || encoded.length % 4 === 1) {
    throw badInput('contentBase64 is not base64');
  }
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.length === 0) throw badInput('the file is empty');
  return bytes;
}

const isZip = (bytes: Buffer) => bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

/** The format given, else the file name's extension, else what the bytes look like. */
export function importFormatOf(fileName: string, given: ImportFormat | null | undefined, bytes: Buffer): ImportFormat {
  if (given) return given;
  const extension = /\.([a-z0-9]+)$/i.exec(fileName.trim())?.[1]?.toLowerCase();
  if (extension === 'csv' || extension === 'txt' || extension === 'tsv') return 'CSV';
  if (extension === 'xlsx') return 'XLSX';
  if (extension === 'xls') {
    throw badInput('old Excel files (.xls) are not read: save the sheet as .xlsx or CSV');
  }
  return isZip(bytes) ? 'XLSX' : 'CSV';
}

export async function readImportTable(format: ImportFormat, bytes: Buffer): Promise<ImportTable> {
  return format === 'XLSX' ? readXlsx(bytes) : readCsv(bytes);
}

/**
 * A CSV's characters: UTF-8 (with or without a byte-order mark), UTF-16 with its mark (Excel's
 * "Unicode text"), or — bytes that are not UTF-8 — windows-1251, which Excel on a Russian
 * Windows writes.
 */
export function decodeCsvBytes(bytes: Uint8Array): { text: string; encoding: string } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: decodeStrict('utf-8', bytes.subarray(3)), encoding: 'UTF-8' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'UTF-16LE' };
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'UTF-16BE' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'UTF-8' };
  } catch {
    return { text: new TextDecoder('windows-1251').decode(bytes), encoding: 'windows-1251' };
  }
}

function decodeStrict(encoding: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    throw badInput('the file starts with a UTF-8 byte-order mark but is not UTF-8 throughout');
  }
}

const DELIMITERS = [';', ',', '\t'] as const;

/** The delimiter of the first line: whichever of ; , and tab occurs most outside quotes (a comma when none does). */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && counts.has(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best = ',';
  let most = 0;
  for (const [delimiter, count] of counts) {
    if (count > most) [best, most] = [delimiter, count];
  }
  return best;
}

interface CsvRecord {
  record: string[];
  info: { lines: number };
}

export function readCsv(bytes: Buffer): ImportTable {
  const { text, encoding } = decodeCsvBytes(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const delimiter = detectDelimiter(text);
  let records: CsvRecord[];
  try {
    records = parseCsv(text, {
      delimiter,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as CsvRecord[];
  } catch (error) {
    const e = error as { message: string; lines?: number };
    throw badInput(`the CSV cannot be read${e.lines ? ` at line ${e.lines}` : ''}: ${e.message}`);
  }
  // csv-parse counts the line a record ends on; a quoted cell's line breaks put its start earlier.
  const breaks = (cells: string[]) => cells.reduce((n, cell) => n + (cell.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
  return tableOf(
    records.map((r) => ({ row: r.info.lines - breaks(r.record), cells: r.record })),
    { encoding, delimiter: delimiter === '\t' ? 'tab' : delimiter },
  );
}

export async function readXlsx(bytes: Buffer): Promise<ImportTable> {
  if (!isZip(bytes)) throw badInput('the file is not an XLSX workbook (an .xlsx is a zip archive; this is not one)');
  const unpacked = unpackedZipSize(bytes);
  if (unpacked === null) throw badInput('the XLSX workbook is damaged: its zip directory cannot be read');
  if (unpacked > MAX_XLSX_UNPACKED_BYTES) {
    throw badInput(`the XLSX workbook unpacks to ${mib(unpacked)}; at most ${mib(MAX_XLSX_UNPACKED_BYTES)}`);
  }
  let data: Cell[][];
  try {
    // The first sheet; read-excel-file gives dates as Date (their wall time in UTC fields).
    data = (await readSheet(bytes)) as unknown as Cell[][];
  } catch (error) {
    throw badInput(`the XLSX workbook cannot be read: ${(error as Error).message}`);
  }
  return tableOf(data.map((cells, i) => ({ row: i + 1, cells })));
}

const isEmpty = (cells: Cell[]) => cells.every((c) => c === null || (typeof c === 'string' && c.trim() === ''));

function tableOf(lines: TableRow[], details: Pick<ImportTable, 'encoding' | 'delimiter'> = {}): ImportTable {
  const filled = lines.filter((line) => !isEmpty(line.cells));
  if (filled.length === 0) throw badInput('the file has no rows: the first row must name the columns');
  const [header, ...rows] = filled;
  if (rows.length > MAX_IMPORT_ROWS) {
    throw badInput(`the file has ${rows.length} rows; at most ${MAX_IMPORT_ROWS} per import: split it`);
  }
  return { header, rows, ...details };
}

/**
 * The total unpacked size from a zip's central directory (null when there is none to read).
 * ZIP64 archives — which Excel writes only past 4 GiB — are refused as too large.
 */
export function unpackedZipSize(bytes: Buffer): number | null {
  const END = 0x06054b50;
  const ENTRY = 0x02014b50;
  // The end record is 22 bytes plus a comment of at most 64 KiB.
  const earliest = Math.max(0, bytes.length - 22 - 0xffff);
  let end = -1;
  for (let i = bytes.length - 22; i >= earliest; i--) {
    if (bytes.readUInt32LE(i) === END) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  const entries = bytes.readUInt16LE(end + 10);
  let offset = bytes.readUInt32LE(end + 16);
  let total = 0;
  for (let n = 0; n < entries; n++) {
    if (offset + 46 > bytes.length || bytes.readUInt32LE(offset) !== ENTRY) return null;
    const size = bytes.readUInt32LE(offset + 24);
    if (size === 0xffffffff) return Number.MAX_SAFE_INTEGER;
    total += size;
    offset += 46 + bytes.readUInt16LE(offset + 28) + bytes.readUInt16LE(offset + 30) + bytes.readUInt16LE(offset + 32);
  }
  return total;
}
