import writeXlsxFile from 'write-excel-file/node';
import {
  decodeCsvBytes,
  decodeUpload,
  detectDelimiter,
  importFormatOf,
  MAX_IMPORT_BYTES,
  MAX_IMPORT_ROWS,
  readCsv,
  readXlsx,
  unpackedZipSize,
} from './import-file.reader';

const bytesOf = (text: string) => Buffer.from(text, 'utf8');
/** The bytes as a plain Uint8Array (what decodeCsvBytes takes). */
const view = (...parts: number[][]) => Uint8Array.from(parts.flat());
/** Cyrillic in windows-1251: А..я are 0xC0..0xFF. */
const cp1251 = (text: string) =>
  Buffer.from([...text].map((c) => (c.charCodeAt(0) >= 0x410 ? c.charCodeAt(0) - 0x410 + 0xc0 : c.charCodeAt(0))));

describe('an uploaded file (cl. 2, import of a batch)', () => {
  it('base64, with or without a data: prefix and line breaks', () => {
    expect(decodeUpload(Buffer.from('Текст').toString('base64')).toString()).toBe('Текст');
    expect(decodeUpload(`data:text/csv;base64,${Buffer.from('a,b').toString('base64')}\n`).toString()).toBe('a,b');
  });

  it('over 5 MiB decoded: BAD_USER_INPUT before it is decoded', () => {
    const big = 'A'.repeat(Math.ceil((MAX_IMPORT_BYTES + 3) / 3) * 4);
    expect(() => decodeUpload(big)).toThrow(/^the file is 5\.0 MiB; at most 5\.0 MiB per import: split it$/);
    expect(() => decodeUpload(big)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }) as Error);
  });

  it('what is not base64, or nothing at all, is refused', () => {
    expect(() => decodeUpload('**not base64**')).toThrow('contentBase64 is not base64');
    expect(() => decodeUpload('')).toThrow('the file is empty');
  });

  it('the format: as given, else by extension, else by the bytes; .xls is refused with what to do', () => {
    const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
    expect(importFormatOf('list.csv', 'XLSX', bytesOf('a'))).toBe('XLSX');
    expect(importFormatOf('list.CSV', null, zip)).toBe('CSV');
    expect(importFormatOf('Обращения.xlsx', null, bytesOf('a'))).toBe('XLSX');
    expect(importFormatOf('export', null, zip)).toBe('XLSX');
    expect(importFormatOf('export', null, bytesOf('a;b'))).toBe('CSV');
    expect(() => importFormatOf('old.xls', null, zip)).toThrow(/save the sheet as \.xlsx or CSV/);
  });
});

describe('CSV encodings and delimiters', () => {
  it('UTF-8 with a byte-order mark, UTF-8 without', () => {
    expect(decodeCsvBytes(view([0xef, 0xbb, 0xbf], [...bytesOf('Текст')]))).toEqual({
      text: 'Текст',
      encoding: 'UTF-8',
    });
    expect(decodeCsvBytes(view([...bytesOf('Текст')]))).toEqual({ text: 'Текст', encoding: 'UTF-8' });
  });

  it('bytes that are not UTF-8 are read as windows-1251 (Excel on a Russian Windows) and say so', () => {
    expect(decodeCsvBytes(view([...cp1251('Текст;Дата')]))).toEqual({ text: 'Текст;Дата', encoding: 'windows-1251' });
  });

  it('UTF-16 with its mark (Excel’s “Unicode text”)', () => {
    const utf16 = view([0xff, 0xfe], [...Buffer.from('Текст\tДата', 'utf16le')]);
    expect(decodeCsvBytes(utf16)).toEqual({ text: 'Текст\tДата', encoding: 'UTF-16LE' });
  });

  it('the delimiter of the header: ; , or tab, whichever is most common outside quotes', () => {
    expect(detectDelimiter('Текст;Дата;Ссылка\n1,2,3,4')).toBe(';');
    expect(detectDelimiter('text,postedAt\n')).toBe(',');
    expect(detectDelimiter('"a;b;c",d,e\n')).toBe(',');
    expect(detectDelimiter('text\tdate')).toBe('\t');
    expect(detectDelimiter('text')).toBe(',');
  });

  it('rows keep the file’s line numbers; empty lines are skipped; quoted cells may hold the delimiter and line breaks', () => {
    const table = readCsv(cp1251('Текст;Дата\r\n"Вода; нет";27.11.2026\r\n\r\n"две\r\nстроки";28.11.2026\r\n'));
    expect(table).toEqual({
      header: { row: 1, cells: ['Текст', 'Дата'] },
      rows: [
        { row: 2, cells: ['Вода; нет', '27.11.2026'] },
        { row: 5, cells: ['две\r\nстроки', '28.11.2026'] },
      ],
      encoding: 'windows-1251',
      delimiter: ';',
    });
  });

  it('a CSV that cannot be parsed, or has no rows, or too many: BAD_USER_INPUT saying so', () => {
    expect(() => readCsv(bytesOf('text,postedAt\n"unclosed,2026'))).toThrow(/^the CSV cannot be read/);
    expect(() => readCsv(bytesOf('\n\n'))).toThrow('the file has no rows: the first row must name the columns');
    const many = `text\n${'x\n'.repeat(MAX_IMPORT_ROWS + 1)}`;
    expect(() => readCsv(bytesOf(many))).toThrow(
      `the file has ${MAX_IMPORT_ROWS + 1} rows; at most ${MAX_IMPORT_ROWS}`,
    );
  });
});

describe('XLSX workbooks', () => {
  it('the first sheet: strings, numbers, booleans and dates as cells; rows numbered as in Excel', async () => {
    const file = await writeXlsxFile([
      [null, null],
      [{ value: 'Текст' }, { value: 'Дата' }],
      [
        { value: 'Нет воды' },
        { value: new Date(Date.UTC(2026, 10, 27, 8, 15)), type: Date, format: 'dd.mm.yyyy hh:mm' },
      ],
      [
        { value: 42, type: Number },
        { value: true, type: Boolean },
      ],
    ]).toBuffer();
    expect(await readXlsx(file)).toEqual({
      header: { row: 2, cells: ['Текст', 'Дата'] },
      rows: [
        { row: 3, cells: ['Нет воды', new Date(Date.UTC(2026, 10, 27, 8, 15))] },
        { row: 4, cells: [42, true] },
      ],
    });
  });

  it('what is not a workbook is refused before it is opened', async () => {
    await expect(readXlsx(bytesOf('Текст;Дата'))).rejects.toThrow(/is not an XLSX workbook/);
    const damaged = Buffer.from([0x50, 0x4b, 0x03, 0x04, ...new Array<number>(100).fill(0)]);
    await expect(readXlsx(damaged)).rejects.toThrow(/its zip directory cannot be read/);
  });

  it('the unpacked size is read from the zip directory (a zip bomb is refused unopened)', async () => {
    const file = await writeXlsxFile([[{ value: 'x'.repeat(10_000) }]]).toBuffer();
    const unpacked = unpackedZipSize(file);
    expect(unpacked).toBeGreaterThan(10_000);
    expect(unpacked).toBeGreaterThan(file.length);
  });
});
