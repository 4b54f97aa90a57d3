import { randomUUID } from 'node:crypto';
import writeXlsxFile from 'write-excel-file/node';
import type { Viewer } from '@otklik/auth';
import { demoOrganization } from '@otklik/demo';
import { FEED_POLLER_DEFAULTS } from '../src/feeds/feed.settings';
import { EVERY_ORGANIZATION, IntakeUnderTest, outcome, staffViewer } from './intake.harness';

// Medium (STYLE.md §13): the real intake app on a fresh database and the real NATS; files are
// imported over GraphQL as the gateway forwards them, and what was stored and announced is checked.

const KALMANSKY = demoOrganization('kalmansky').id;
const BURANOVSKY = demoOrganization('buranovsky').id;
const IMPORT_SOURCE = `import-${KALMANSKY}`;

const official = staffViewer('official', 'OFFICIAL', KALMANSKY, EVERY_ORGANIZATION);
const reception = staffViewer('reception', 'RECEPTION', KALMANSKY);
const villageOfficial = staffViewer('buranovsky.official', 'OFFICIAL', BURANOVSKY);
const executor = staffViewer('executor', 'EXECUTOR', KALMANSKY);

const IMPORT = `mutation ($input: ImportMessagesInput!) {
  importMessages(input: $input) {
    id organizationId fileName format importedBy importedAt totalRows accepted duplicates rejected ignoredColumns encoding
    rows { row status messageId problems { column message } }
  }
}`;

interface ImportRow {
  row: number;
  status: 'ACCEPTED' | 'DUPLICATE' | 'REJECTED';
  messageId: string | null;
  problems: Array<{ column: string | null; message: string }>;
}
interface ImportAnswer {
  id: string;
  organizationId: string;
  fileName: string;
  format: string;
  importedBy: string;
  importedAt: string;
  totalRows: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  ignoredColumns: string[];
  encoding: string | null;
  rows: ImportRow[];
}

const BOM = '\ufeff';
const csvOf = (lines: string[]) => Buffer.from(BOM + lines.join('\r\n') + '\r\n', 'utf8').toString('base64');
/** Cyrillic in windows-1251 (А..я are 0xC0..0xFF), as Excel on a Russian Windows saves a CSV. */
const cp1251 = (text: string) =>
  Buffer.from([...text].map((c) => (c.charCodeAt(0) >= 0x410 ? c.charCodeAt(0) - 0x410 + 0xc0 : c.charCodeAt(0))));

describe('importMessages (cl. 2): a batch of messages from a CSV or XLSX file', () => {
  let intake: IntakeUnderTest;

  const query = <T>(sql: string, params: unknown[] = []) => intake.sql<T>(sql, params);
  const importFile = async (as: Viewer, input: Record<string, unknown>) =>
    intake.graphql<{ importMessages: ImportAnswer }>(IMPORT, { input: { organizationId: KALMANSKY, ...input } }, as);
  const errorOf = async (as: Viewer, input: Record<string, unknown>) => outcome(await importFile(as, input));

  beforeAll(async () => {
    intake = await IntakeUnderTest.start('intake_imports', { feedPoller: { ...FEED_POLLER_DEFAULTS, enabled: false } });
  }, 60_000);

  afterAll(async () => {
    await intake?.stop();
  });

  describe('a CSV with good, duplicate and bad rows (UTF-8 with BOM, “;”, Russian headers)', () => {
    const vkPost = `https://vk.com/wall-1_${randomUUID().slice(0, 8)}`;
    const file = csvOf([
      'Текст;Дата;Ссылка;Платформа;Автор;Ссылка на автора;Примечание',
      `Третий день нет воды на ул. Ленина;27.11.2026 08:15;${vkPost};ВКонтакте;Иван Петров;https://vk.com/id42;звонил`,
      'Яма у школы, когда засыплют?;2026-11-27T09:00:00+07:00;;;Мария;;',
      `Третий день нет воды на ул. Ленина (повтор);27.11.2026 08:15;${vkPost};ВКонтакте;;;`,
      ';27.11.2026 10:00;vk.com/wall-1_2;;;;',
      'Снег не убран;вчера;;Телеграм;;;',
      '',
      '"Во дворе; у дома 5 — мусор";27.11.2026 11:00;https://t.me/kalmanka/77;;;;',
    ]);
    let answer: ImportAnswer;

    beforeAll(async () => {
      const result = await importFile(official, {
        fileName: 'Обращения за ноябрь.csv',
        contentBase64: file,
        timeZone: 'Asia/Barnaul',
      });
      expect(result.errors).toBeUndefined();
      answer = (result.data as { importMessages: ImportAnswer }).importMessages;
    });

    it('the report: every row by its number, ACCEPTED / DUPLICATE / REJECTED, problems naming the column', () => {
      expect(answer).toMatchObject({
        organizationId: KALMANSKY,
        fileName: 'Обращения за ноябрь.csv',
        format: 'CSV',
        importedBy: 'official',
        totalRows: 6,
        accepted: 3,
        duplicates: 1,
        rejected: 2,
        ignoredColumns: ['Примечание'],
        encoding: 'UTF-8',
      });
      const id = expect.stringMatching(/^[0-9a-f-]{36}$/) as string;
      expect(answer.rows).toEqual([
        { row: 2, status: 'ACCEPTED', messageId: id, problems: [] },
        { row: 3, status: 'ACCEPTED', messageId: id, problems: [] },
        { row: 4, status: 'DUPLICATE', messageId: answer.rows[0].messageId, problems: [] },
        {
          row: 5,
          status: 'REJECTED',
          messageId: null,
          problems: [
            { column: 'Ссылка', message: 'must be an http(s) URL' },
            { column: 'Текст', message: 'is required' },
          ],
        },
        {
          row: 6,
          status: 'REJECTED',
          messageId: null,
          problems: [
            { column: 'Дата', message: '"вчера" is not a date; write 2026-11-27T08:15:00+07:00 or 27.11.2026 08:15' },
          ],
        },
        { row: 8, status: 'ACCEPTED', messageId: id, problems: [] },
      ]);
    });

    it('accepted rows are stored through the organisation’s IMPORT source and announced on NATS', async () => {
      const accepted = answer.rows.filter((r) => r.status === 'ACCEPTED').map((r) => r.messageId as string);
      const stored = await query<Record<string, unknown>>(
        `select m.id, m.organization_id, m.source_id, s.kind, m.platform, m.url, m.text, m.posted_at, m.author, m.external_id,
                m.raw -> 'import' as import, m.raw -> 'cells' as cells
           from intake.messages m join intake.sources s on s.id = m.source_id
          where m.id = any($1) order by m.posted_at`,
        [accepted],
      );
      expect(stored).toEqual([
        {
          id: accepted[0],
          organization_id: KALMANSKY,
          source_id: IMPORT_SOURCE,
          kind: 'IMPORT',
          platform: 'VK',
          url: vkPost,
          text: 'Третий день нет воды на ул. Ленина',
          // 08:15 in Barnaul (UTC+7).
          posted_at: new Date('2026-11-27T01:15:00Z'),
          author: { name: 'Иван Петров', url: 'https://vk.com/id42' },
          external_id: vkPost,
          import: { id: answer.id, fileName: 'Обращения за ноябрь.csv', row: 2 },
          cells: {
            Текст: 'Третий день нет воды на ул. Ленина',
            Дата: '27.11.2026 08:15',
            Ссылка: vkPost,
            Платформа: 'ВКонтакте',
            Автор: 'Иван Петров',
            'Ссылка на автора': 'https://vk.com/id42',
            Примечание: 'звонил',
          },
        },
        expect.objectContaining({
          id: accepted[1],
          platform: 'OTHER',
          url: null,
          author: { name: 'Мария' },
          external_id: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) as string,
        }),
        expect.objectContaining({
          id: accepted[2],
          // No platform column value: told by the link.
          platform: 'TELEGRAM',
          text: 'Во дворе; у дома 5 — мусор',
        }),
      ]);
      for (const messageId of accepted) {
        const { envelope } = await intake.events.accepted(messageId);
        expect(envelope).toMatchObject({ type: 'message.accepted', organizationId: KALMANSKY });
        expect(envelope.data).toMatchObject({ messageId, sourceId: IMPORT_SOURCE });
      }
    });

    it('the import is recorded: messageImport(id) and messageImports(organizationId) read it back', async () => {
      const one = await intake.graphql<{ messageImport: ImportAnswer }>(
        `query ($id: ID!) { messageImport(id: $id) { id importedBy totalRows accepted duplicates rejected rows { row status messageId } } }`,
        { id: answer.id },
        reception,
      );
      expect(one.data?.messageImport).toEqual({
        id: answer.id,
        importedBy: 'official',
        totalRows: 6,
        accepted: 3,
        duplicates: 1,
        rejected: 2,
        rows: answer.rows.map(({ row, status, messageId }) => ({ row, status, messageId })),
      });
      const list = await intake.graphql<{ messageImports: ImportAnswer[] }>(
        `query ($org: ID!) { messageImports(organizationId: $org) { id fileName rows { row status } } }`,
        { org: KALMANSKY },
        official,
      );
      expect(list.data?.messageImports[0]).toEqual({
        id: answer.id,
        fileName: 'Обращения за ноябрь.csv',
        rows: answer.rows.map(({ row, status }) => ({ row, status })),
      });
      const rows = await query<{ imported_by: string; total_rows: number; details: unknown }>(
        'select imported_by, total_rows, details from intake.message_imports where id = $1',
        [answer.id],
      );
      expect(rows).toEqual([
        {
          imported_by: 'official',
          total_rows: 6,
          details: expect.objectContaining({ encoding: 'UTF-8', delimiter: ';', timeZone: 'Asia/Barnaul' }) as unknown,
        },
      ]);
    });

    it('another organisation’s official sees neither the import nor its list', async () => {
      const one = await intake.graphql(
        `query ($id: ID!) { messageImport(id: $id) { id } }`,
        { id: answer.id },
        villageOfficial,
      );
      expect(one.data).toEqual({ messageImport: null });
      const list = await intake.graphql(
        `query ($org: ID!) { messageImports(organizationId: $org) { id } }`,
        { org: KALMANSKY },
        villageOfficial,
      );
      expect(list.errors?.[0]).toMatchObject({
        message: `organisation ${KALMANSKY} is not among those you may see`,
        extensions: { code: 'NOT_FOUND' },
      });
    });

    it('the same file again: what was stored is a DUPLICATE with the same message, and nothing is stored twice', async () => {
      const again = (
        await importFile(official, {
          fileName: 'Обращения за ноябрь.csv',
          contentBase64: file,
          timeZone: 'Asia/Barnaul',
        })
      ).data?.importMessages as ImportAnswer;
      expect(again.id).not.toBe(answer.id);
      expect(again).toMatchObject({ totalRows: 6, accepted: 0, duplicates: 4, rejected: 2 });
      expect(again.rows.map((r) => r.messageId)).toEqual(answer.rows.map((r) => r.messageId));
      expect(
        await query(`select 1 from intake.messages where raw -> 'import' ->> 'fileName' = 'Обращения за ноябрь.csv'`),
      ).toHaveLength(3);
    });
  });

  it('an XLSX made with write-excel-file: date cells read in the time zone given, English headers, numbers as ids', async () => {
    const header = ['text', 'postedAt', 'url', 'platform', 'author', 'externalId'].map((value) => ({ value }));
    const at = (day: number, hour: number) => ({
      value: new Date(Date.UTC(2026, 10, day, hour, 30)),
      type: Date,
      format: 'dd.mm.yyyy hh:mm',
    });
    const id = (n: number) => ({ value: 900_000 + n, type: Number });
    const file = await writeXlsxFile([
      header,
      [{ value: 'Не работает фонарь на ул. Мира' }, at(26, 19), null, { value: 'OK' }, { value: 'Пётр' }, id(1)],
      [{ value: 'Автобус не пришёл' }, at(27, 7), { value: 'https://ok.ru/group/1/topic/2' }, null, null, id(2)],
      [{ value: 'Фонарь всё ещё не работает' }, at(26, 19), null, { value: 'OK' }, null, id(1)],
      [{ value: 'Непонятно откуда' }, at(27, 8), null, { value: 'Пейджер' }, null, id(3)],
    ]).toBuffer();

    const result = await importFile(official, {
      fileName: 'export',
      format: 'XLSX',
      contentBase64: file.toString('base64'),
      timeZone: 'Asia/Barnaul',
    });
    expect(result.errors).toBeUndefined();
    const answer = result.data?.importMessages as ImportAnswer;
    expect(answer).toMatchObject({
      format: 'XLSX',
      totalRows: 4,
      accepted: 2,
      duplicates: 1,
      rejected: 1,
      encoding: null,
    });
    expect(answer.rows.map((r) => [r.row, r.status])).toEqual([
      [2, 'ACCEPTED'],
      [3, 'ACCEPTED'],
      [4, 'DUPLICATE'],
      [5, 'REJECTED'],
    ]);
    expect(answer.rows[3].problems).toEqual([
      { column: 'platform', message: expect.stringMatching(/^must be one of VK, OK, TELEGRAM/) as string },
    ]);
    const stored = await query<{ external_id: string; platform: string; posted_at: Date; url: string | null }>(
      'select external_id, platform, posted_at, url from intake.messages where id = any($1) order by external_id',
      [answer.rows.slice(0, 2).map((r) => r.messageId)],
    );
    expect(stored).toEqual([
      // 19:30 on the 26th in Barnaul (UTC+7).
      { external_id: '900001', platform: 'OK', posted_at: new Date('2026-11-26T12:30:00Z'), url: null },
      {
        external_id: '900002',
        platform: 'OK',
        posted_at: new Date('2026-11-27T00:30:00Z'),
        url: 'https://ok.ru/group/1/topic/2',
      },
    ]);
    await intake.events.accepted(answer.rows[0].messageId as string);

    // Without a zone, Excel's date cells (which carry none) cannot be placed in time.
    const noZone = (await importFile(official, { fileName: 'export.xlsx', contentBase64: file.toString('base64') }))
      .data?.importMessages as ImportAnswer;
    expect(noZone).toMatchObject({ accepted: 0, rejected: 4 });
    expect(noZone.rows[0].problems[0]).toEqual({
      column: 'postedAt',
      message: 'has no time zone: give the offset (2026-11-27T08:15:00+07:00) or pass timeZone with the import',
    });
  });

  it('a row the database refuses is REJECTED alone: the rows around it in its batch are stored', async () => {
    // The database refusing one row, as a constraint or a trigger would: arranged as the owner.
    await query(`
      create function intake.refuse_marked() returns trigger language plpgsql as $$
      begin
        if new.text like '%[refuse]%' then raise exception 'refused by the test trigger'; end if;
        return new;
      end $$`);
    await query(
      'create trigger refuse_marked before insert on intake.messages for each row execute function intake.refuse_marked()',
    );
    try {
      const file = csvOf([
        'text;postedAt',
        'Первая: свет не горит;2026-11-27T10:00:00+07:00',
        'Вторая [refuse];2026-11-27T10:01:00+07:00',
        'Третья: лёд на тротуаре;2026-11-27T10:02:00+07:00',
      ]);
      const answer = (await importFile(official, { fileName: 'refused.csv', contentBase64: file })).data
        ?.importMessages as ImportAnswer;
      expect(answer).toMatchObject({ accepted: 2, rejected: 1 });
      expect(answer.rows[1]).toEqual({
        row: 3,
        status: 'REJECTED',
        messageId: null,
        problems: [{ column: null, message: `could not be stored; quote import ${answer.id}, row 3 to the operator` }],
      });
      const stored = await query<{ text: string }>(
        `select text from intake.messages where raw -> 'import' ->> 'fileName' = 'refused.csv' order by posted_at`,
      );
      expect(stored.map((m) => m.text)).toEqual(['Первая: свет не горит', 'Третья: лёд на тротуаре']);
      for (const row of [answer.rows[0], answer.rows[2]]) await intake.events.accepted(row.messageId as string);
    } finally {
      await query('drop trigger refuse_marked on intake.messages');
      await query('drop function intake.refuse_marked()');
    }
  });

  it('a windows-1251 CSV with commas is read and says so', async () => {
    const file = cp1251('Текст,Дата\r\n"Не вывозят мусор, третью неделю",2026-11-27T12:00:00+07:00\r\n').toString(
      'base64',
    );
    const answer = (await importFile(reception, { fileName: 'old-excel.csv', contentBase64: file })).data
      ?.importMessages as ImportAnswer;
    expect(answer).toMatchObject({ encoding: 'windows-1251', accepted: 1, importedBy: 'reception' });
    const [stored] = await query<{ text: string }>('select text from intake.messages where id = $1', [
      answer.rows[0].messageId,
    ]);
    expect(stored.text).toBe('Не вывозят мусор, третью неделю');
  });

  it('refusals name what is wrong: no usable header, an old .xls, not base64, another organisation, a role that may not', async () => {
    expect(
      await errorOf(official, { fileName: 'a.csv', contentBase64: csvOf(['Вода;27.11.2026', 'Свет;28.11.2026']) }),
    ).toBe(
      'BAD_USER_INPUT: no known column in the first row; the first row must name the columns: text (Текст), postedAt (Дата), ' +
        'url (Ссылка), platform (Платформа), author (Автор), authorUrl (Ссылка на автора), externalId (Идентификатор), ' +
        'threadId (Обсуждение); text and postedAt are required',
    );
    expect(await errorOf(official, { fileName: 'a.csv', contentBase64: csvOf(['Текст;Ссылка']) })).toMatch(
      /^BAD_USER_INPUT: the file has no postedAt \(Дата\) column; /,
    );
    expect(await errorOf(official, { fileName: 'old.xls', contentBase64: csvOf(['x']) })).toBe(
      'BAD_USER_INPUT: old Excel files (.xls) are not read: save the sheet as .xlsx or CSV',
    );
    expect(await errorOf(official, { fileName: 'a.xlsx', contentBase64: csvOf(['Текст;Дата']) })).toBe(
      'BAD_USER_INPUT: the file is not an XLSX workbook (an .xlsx is a zip archive; this is not one)',
    );
    expect(await errorOf(official, { fileName: 'a.csv', contentBase64: 'not base64!' })).toBe(
      'BAD_USER_INPUT: contentBase64 is not base64',
    );
    expect(
      await errorOf(official, { fileName: 'a.csv', contentBase64: csvOf(['text;date']), timeZone: 'Mars/Olympus' }),
    ).toBe('BAD_USER_INPUT: timeZone "Mars/Olympus" is not an IANA time zone such as Asia/Barnaul');
    expect(await errorOf(villageOfficial, { fileName: 'a.csv', contentBase64: csvOf(['text;date']) })).toBe(
      `NOT_FOUND: organisation ${KALMANSKY} is not among those you may see`,
    );
    expect(await errorOf(executor, { fileName: 'a.csv', contentBase64: csvOf(['text;date']) })).toMatch(/^FORBIDDEN: /);
    // Nothing refused left an import behind.
    expect(
      await query(`select 1 from intake.message_imports where file_name in ('a.csv', 'old.xls', 'a.xlsx')`),
    ).toEqual([]);
  });
});
