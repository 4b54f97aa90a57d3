import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Viewer } from '@otklik/auth';
import { AuthorErased, ERASED_TEXT, MessageAcceptedV1 } from '@otklik/contracts';
import { demoOrganization } from '@otklik/demo';
import { createTestDatabase, testEventsPrefix, testNatsUrl, waitFor } from '@otklik/testing';
import { WorkflowUnderTest } from './workflow.harness';

// Medium (STYLE.md §13): the real workflow app on a fresh database and its own events prefix.
// intake erased an author at their request (152-FZ) and announced author.erased: workflow
// anonymises every copy of their messages, the cases stay, and a message that arrives after its
// erasure opens its case anonymised.

const KALMANSKY = demoOrganization('kalmansky').id;
const HOUSING = demoOrganization('kalmansky.housing').id;

interface CaseRow {
  id: string;
  status: string;
  message_text: string | null;
  author_id: string | null;
  author_name: string | null;
  message_url: string | null;
  external_id: string | null;
  thread_id: string | null;
}

describe('author.erased: workflow anonymises its copies of an erased author’s messages (152-FZ)', () => {
  let workflow: WorkflowUnderTest;
  let owner: Client;
  let official: Viewer;
  const token = randomUUID().slice(0, 8);
  const author = { id: `id${token}7`, name: 'Эрастова Анфиса', url: `https://vk.com/erastova-${token}` };
  const other = { id: `id${token}8`, name: 'Другой Житель' };

  const words = {
    complaint: `Яма у дома Эрастовой ${token}-жалоба, помогите`,
    reply: `Уточняю адрес: Лесная 5, ${token}-ответ`,
    chatter: `Спасибо за праздник ${token}-болтовня`,
    late: `Не вывозят мусор ${token}-позднее`,
  };
  const ids = { complaint: randomUUID(), reply: randomUUID(), chatter: randomUUID(), other: randomUUID() };
  let caseId: string;
  let otherCaseId: string;

  const sql = async <R>(text: string, params: unknown[] = []): Promise<R[]> =>
    (await owner.query(text, params)).rows as R[];
  const caseOf = (messageId: string) =>
    waitFor(`the case of message ${messageId}`, async () => {
      const [row] = await sql<CaseRow>('select * from workflow.cases where message_id = $1', [messageId]);
      return row;
    });
  const accepted = (messageId: string, data: Partial<MessageAcceptedV1>) =>
    workflow.publishMessageAccepted(KALMANSKY, {
      messageId,
      externalId: `wall-1_${token}_r${messageId.slice(0, 4)}`,
      threadId: `wall-1_${token}`,
      url: `https://vk.com/wall-1_${token}?reply=${messageId.slice(0, 4)}`,
      author,
      attachments: [{ type: 'PHOTO', url: `https://photos.example/${token}.jpg` }],
      ...data,
    });
  const erased = async (messageIds: string[]) => {
    const envelope = await workflow.publish(AuthorErased, KALMANSKY, {
      erasureId: randomUUID(),
      messageIds,
      erasedAt: new Date().toISOString(),
    });
    await waitFor(`author.erased ${envelope.eventId} handled`, async () =>
      (await workflow.handled(envelope.eventId)) ? true : undefined,
    );
  };

  /** `table.column: needle` for every needle in any text, JSON or text-array column of the schema (from the catalogue). */
  const traces = async (needles: string[]): Promise<string[]> => {
    const columns = await sql<{ table_name: string; column_name: string }>(
      `select c.table_name, c.column_name
         from information_schema.columns c
         join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
        where c.table_schema = 'workflow' and t.table_type = 'BASE TABLE'
          and (c.data_type in ('text', 'jsonb', 'json', 'character varying', 'character')
               or c.udt_name in ('_text', '_varchar', '_jsonb'))`,
    );
    const found: string[] = [];
    for (const { table_name: table, column_name: column } of columns) {
      for (const needle of needles) {
        const [row] = await sql<{ n: number }>(
          `select count(*)::int as n from workflow."${table}" where "${column}"::text like '%' || $1 || '%'`,
          [needle],
        );
        if (row.n > 0) found.push(`${table}.${column}: ${needle}`);
      }
    }
    return found;
  };
  const needles = [
    author.id,
    author.name,
    author.url,
    `${token}-жалоба`,
    `${token}-ответ`,
    `${token}-болтовня`,
    `${token}-позднее`,
    `photos.example/${token}`,
    `wall-1_${token}`,
  ];

  beforeAll(async () => {
    const database = await createTestDatabase('wf_author_erasure');
    workflow = await WorkflowUnderTest.start({ database, eventsPrefix: testEventsPrefix(), natsUrl: testNatsUrl() });
    owner = new Client({ connectionString: database.url });
    await owner.connect();
    official = await workflow.viewer('official');

    // A message that is not critical: kept without a case (first: a later one of the author would join the open case).
    await accepted(ids.chatter, { text: words.chatter, criticality: { critical: false } });
    await waitFor('the message kept without a case', async () => {
      const rows = await sql('select 1 from workflow.uncased_messages where message_id = $1', [ids.chatter]);
      return rows.length > 0 ? true : undefined;
    });
    await accepted(ids.complaint, { text: words.complaint });
    caseId = (await caseOf(ids.complaint)).id;
    // An official routes it: the routing is kept as a training example made of the text.
    const routed = await workflow.graphql(
      'mutation ($input: RouteCaseInput!) { routeCase(input: $input) { status } }',
      { input: { caseId, organizationId: HOUSING } },
      official,
    );
    expect(routed.errors).toBeUndefined();
    // The district's routing model exists: an erasure of its examples asks for its retraining.
    await sql(
      `insert into workflow.routing_models (organization_id, target, version, examples, labels, features)
       values ($1, 'ORGANIZATION', 1, 10, 2, 100)`,
      [KALMANSKY],
    );
    // The author's reply to a clarification request, joined to the case (arranged as the owner).
    await sql(
      `insert into workflow.case_messages (message_id, case_id, organization_id, text, url, posted_at, joined_at)
       values ($1, $2, $3, $4, $5, now(), now())`,
      [ids.reply, caseId, HOUSING, words.reply, `https://vk.com/wall-1_${token}?reply=2`],
    );
    // Another author's case, untouched by the erasure.
    await workflow.publishMessageAccepted(KALMANSKY, {
      messageId: ids.other,
      text: `Не горит фонарь ${token}-чужое`,
      author: other,
    });
    otherCaseId = (await caseOf(ids.other)).id;

    // Before, the scan finds each of them somewhere (but the late message's words): it looks where they would be.
    const before = await traces(needles);
    expect(needles.filter((n) => !before.some((t) => t.endsWith(`: ${n}`)))).toEqual([`${token}-позднее`]);
    await erased([ids.complaint, ids.reply, ids.chatter]);
  }, 60_000);

  afterAll(async () => {
    await owner?.end();
    await workflow?.stop();
  });

  it('the case stays — status, history, deadlines — with the fixed text and without author, address or reply target', async () => {
    const [kase] = await sql<CaseRow>('select * from workflow.cases where id = $1', [caseId]);
    expect(kase).toMatchObject({
      status: 'ROUTED',
      message_text: ERASED_TEXT,
      author_id: null,
      author_name: null,
      message_url: null,
      external_id: null,
      thread_id: null,
    });
    const history = await sql<{ to_status: string }>(
      'select to_status from workflow.case_transitions where case_id = $1 order by seq',
      [caseId],
    );
    expect(history.map((h) => h.to_status)).toEqual(['DETECTED', 'ROUTED']);
    expect(await sql('select 1 from workflow.deadlines where case_id = $1', [caseId])).not.toEqual([]);
  });

  it('the reply joined to the case and the message kept without a case are anonymised alike', async () => {
    const [reply] = await sql<{ text: string; url: string | null }>(
      'select text, url from workflow.case_messages where message_id = $1',
      [ids.reply],
    );
    expect(reply).toEqual({ text: ERASED_TEXT, url: null });
    const [kept] = await sql<{ message_text: string; message: Record<string, unknown> }>(
      'select message_text, message from workflow.uncased_messages where message_id = $1',
      [ids.chatter],
    );
    expect(kept.message_text).toBe(ERASED_TEXT);
    expect(kept.message).toMatchObject({ text: ERASED_TEXT, externalId: ids.chatter, attachments: [] });
    expect(Object.keys(kept.message)).not.toEqual(expect.arrayContaining(['author']));
    expect(kept.message).not.toHaveProperty('url');
    expect(kept.message).not.toHaveProperty('threadId');
  });

  it('the routing example made of the text is dropped, and the model that learnt from it is to be retrained', async () => {
    expect(await sql('select 1 from workflow.routing_examples where case_id = $1', [caseId])).toEqual([]);
    const [model] = await sql<{ requested_by: string | null; requested_at: Date | null }>(
      `select requested_by, requested_at from workflow.routing_models where organization_id = $1 and target = 'ORGANIZATION'`,
      [KALMANSKY],
    );
    expect(model.requested_by).toBe('author-erasure');
    expect(model.requested_at).not.toBeNull();
  });

  it('another author’s case is untouched', async () => {
    const [kase] = await sql<CaseRow>('select * from workflow.cases where id = $1', [otherCaseId]);
    expect(kase).toMatchObject({
      author_id: other.id,
      author_name: other.name,
      message_text: `Не горит фонарь ${token}-чужое`,
    });
  });

  it('a message whose message.accepted arrives after its erasure opens its case anonymised', async () => {
    const late = randomUUID();
    await erased([late]);
    await accepted(late, { text: words.late });
    const kase = await caseOf(late);
    expect(kase).toMatchObject({
      status: 'DETECTED',
      message_text: ERASED_TEXT,
      author_id: null,
      author_name: null,
      message_url: null,
      thread_id: null,
      external_id: late,
    });
  });

  it('leaves no trace of the author’s name, id, addresses or words in any column of any workflow table', async () => {
    await waitFor('the outbox relayed', async () =>
      (await sql('select 1 from workflow.outbox')).length === 0 ? true : undefined,
    );
    expect(await traces(needles)).toEqual([]);
  });

  it('the same erasure again (a redelivery under a new id) changes nothing and fails nothing', async () => {
    await erased([ids.complaint, ids.reply, ids.chatter]);
    const [kase] = await sql<CaseRow>('select * from workflow.cases where id = $1', [caseId]);
    expect(kase).toMatchObject({ status: 'ROUTED', message_text: ERASED_TEXT });
  });
});
