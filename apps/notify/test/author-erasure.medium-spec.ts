import { randomUUID } from 'node:crypto';
import { AuthorErased } from '@otklik/contracts';
import { demoOrganization } from '@otklik/demo';
import { NotifyUnderTest } from './notify.harness';

// Medium (STYLE.md §13): the real notify app on a fresh database and its own events prefix.
// intake erased an author at their request (152-FZ): the publications under their messages
// forget where the messages were and who wrote them; the answers stay.

const KALMANSKY = demoOrganization('kalmansky').id;
const HOUSING = demoOrganization('kalmansky.housing').id;

describe('author.erased: notify anonymises the reply targets of an erased author’s messages (152-FZ)', () => {
  let notify: NotifyUnderTest;
  const token = randomUUID().slice(0, 8);
  const erasedMessage = randomUUID();
  const otherMessage = randomUUID();
  const answer = `Яму заделают до пятницы. ${token}-ответ`;

  /** A published answer under `messageId`, its case routed to the housing subdivision (arranged as the owner). */
  const insertPublication = async (messageId: string, target: Record<string, string>) => {
    const id = randomUUID();
    await notify.sql(
      `insert into notify.publications
         (id, organization_id, organization_path, case_id, draft_id, kind, message_id, source_id, platform,
          target, text, attachments, status, attempts, next_attempt_at, platform_error, external_id, url,
          correlation_id, requested_at, completed_at)
       values ($1, $2, $3, $4, $5, 'FINAL', $6, 'demo-vk', 'VK', $7, $8, '[]', 'PUBLISHED', 1, now(), $9,
               'wall-1_500_r900', 'https://vk.com/wall-1_500?reply=900', 'test', now(), now())`,
      [
        id,
        HOUSING,
        [HOUSING, KALMANSKY],
        randomUUID(),
        randomUUID(),
        messageId,
        JSON.stringify(target),
        answer,
        `user ${target.authorId} restricted replies`,
      ],
    );
    return id;
  };

  let erasedPublication: string;
  let otherPublication: string;

  beforeAll(async () => {
    notify = await NotifyUnderTest.start('notify_author_erasure');
    erasedPublication = await insertPublication(erasedMessage, {
      externalId: `wall-1_${token}_r7`,
      threadId: `wall-1_${token}`,
      url: `https://vk.com/wall-1_${token}?reply=7`,
      authorId: `id${token}`,
    });
    otherPublication = await insertPublication(otherMessage, {
      externalId: `wall-1_${token}_r8`,
      authorId: `id${token}-other`,
    });
    // Published for the message's organisation; the publication belongs to the subdivision it was routed to.
    const { seq } = await notify.publish(AuthorErased, KALMANSKY, {
      erasureId: randomUUID(),
      messageIds: [erasedMessage],
      erasedAt: new Date().toISOString(),
    });
    await notify.handledUpTo('author-erased', seq);
  }, 60_000);

  afterAll(async () => {
    await notify?.stop();
  });

  it('the publication keeps the answer and its outcome; its target is the message’s id, the platform’s words are gone', async () => {
    const [row] = await notify.sql('select * from notify.publications where id = $1', [erasedPublication]);
    expect(row).toMatchObject({
      status: 'PUBLISHED',
      text: answer,
      url: 'https://vk.com/wall-1_500?reply=900',
      target: { externalId: erasedMessage },
      platform_error: null,
    });
  });

  it('another author’s publication is untouched', async () => {
    const [row] = await notify.sql('select target, platform_error from notify.publications where id = $1', [
      otherPublication,
    ]);
    expect(row).toEqual({
      target: { externalId: `wall-1_${token}_r8`, authorId: `id${token}-other` },
      platform_error: `user id${token}-other restricted replies`,
    });
  });

  it('no column of any notify table holds the author’s id or the message’s address any more', async () => {
    const columns = await notify.sql<{ table_name: string; column_name: string }>(
      `select c.table_name, c.column_name
         from information_schema.columns c
         join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
        where c.table_schema = 'notify' and t.table_type = 'BASE TABLE'
          and (c.data_type in ('text', 'jsonb', 'json', 'character varying') or c.udt_name in ('_text', '_jsonb'))`,
    );
    const found: string[] = [];
    for (const { table_name: table, column_name: column } of columns) {
      for (const needle of [`"id${token}"`, `id${token} `, `wall-1_${token}_r7`, `wall-1_${token}?`]) {
        const [row] = await notify.sql<{ n: number }>(
          `select count(*)::int as n from notify."${table}" where "${column}"::text like '%' || $1 || '%'`,
          [needle],
        );
        if (row.n > 0) found.push(`${table}.${column}: ${needle}`);
      }
    }
    expect(found).toEqual([]);
  });
});
