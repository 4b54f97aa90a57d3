import { randomInt, randomUUID } from 'node:crypto';
import { AuthorErasedV1, ERASED_TEXT } from '@otklik/contracts';
import { demoOrganization } from '@otklik/demo';
import { ALL_ORGS, callContext } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';
import { waitFor } from '@otklik/testing';
import { EVERY_ORGANIZATION, IntakeUnderTest, outcome, postGenericWebhook, staffViewer } from './intake.harness';

// Medium (STYLE.md §13): the real intake app on a fresh database with the demo seed and the real
// NATS. A data subject's request (152-FZ): a coordinator exports one author's data, then erases
// it; the messages stay for their cases, and nothing of the author is left in any intake table.

const KALMANSKY = demoOrganization('kalmansky').id;
const BURANOVSKY = demoOrganization('buranovsky').id;
const SHADRINSKY = demoOrganization('shadrinsky').id;

const EXPORT = `mutation ($input: AuthorDataInput!) {
  exportAuthorData(input: $input) { platform exportedAt messages document }
}`;
const ERASE = `mutation ($input: EraseAuthorDataInput!) {
  eraseAuthorData(input: $input) {
    id platform erasedAt erasedBy reason requestReference messageIds messages versions rawPayloads
  }
}`;
const READS = `query ($authorId: String, $platform: Platform) {
  personalDataReads(authorId: $authorId, platform: $platform, first: 100) {
    edges { node { id viewerLogin viewerUserId messageId organizationId fields } }
  }
}`;
const MESSAGE = `query ($id: ID!) {
  message(id: $id) {
    text url threadId author { id name url } attachments { url }
    screening { evidence } criticality { signals { evidence } } versions { text attachments { url } }
  }
}`;

interface ExportedMessage {
  id: string;
  organizationId: string;
  text: string;
  author: { id?: string; name?: string; url?: string } | null;
  raw: unknown;
  versions: Array<{ version: number; text: string }>;
}
type ExportAnswer = {
  exportAuthorData: {
    platform: string;
    exportedAt: string;
    messages: number;
    document: { format: string; subject: unknown; messages: ExportedMessage[]; elsewhere: unknown[] };
  };
};
interface Receipt {
  id: string;
  platform: string;
  erasedAt: string;
  erasedBy: string;
  reason: string;
  requestReference: string;
  messageIds: string[];
  messages: number;
  versions: number;
  rawPayloads: number;
}

/** A Callback API request body as VK sends it to the demo community (group 1). */
const vkEvent = (type: string, object: Record<string, unknown>) => ({
  group_id: 1,
  type,
  event_id: randomUUID().replace(/-/g, ''),
  v: '5.199',
  object,
  secret: 'demo-vk-secret',
});

describe('a data subject’s request (152-FZ): a coordinator exports and erases one author’s data', () => {
  let intake: IntakeUnderTest;

  // The author: a VK user, whose every trace is looked for after the erasure.
  const vkUser = randomInt(100_000_000, 999_999_999);
  const author = {
    id: `id${vkUser}`,
    name: 'Эрастова Анфиса Петровна',
    url: `https://vk.com/id${vkUser}`,
  };
  const token = randomUUID().slice(0, 8);
  const words = {
    first: `Яма у дома Эрастовой на Лесной ${token}-первое, помогите`,
    original: `Нет воды у Эрастовой ${token}-исходное`,
    edited: `Нет воды третий день у Эрастовой ${token}-правка`,
    selsovet: `Не вывозят мусор с Береговой ${token}-сельсовет`,
    photo: `https://photos.example/${token}-photo.jpg`,
  };
  // Another author, whose messages are neither exported nor erased.
  const other = { id: `id${vkUser + 1}`, name: 'Другой Житель', text: `Не горит фонарь ${token}-чужое` };

  const coordinator = staffViewer('coordinator', 'COORDINATOR', KALMANSKY, EVERY_ORGANIZATION);
  const buranovskyCoordinator = staffViewer('buranovsky.coordinator', 'COORDINATOR', BURANOVSKY);
  const shadrinskyCoordinator = staffViewer('shadrinsky.coordinator', 'COORDINATOR', SHADRINSKY);
  const official = staffViewer('official', 'OFFICIAL', KALMANSKY, EVERY_ORGANIZATION);

  const ids = { first: '', commented: '', selsovet: '', other: '' };
  const vkPost = randomInt(1_000, 1_000_000);

  const vkComment = (text: string) => ({
    id: 77,
    from_id: vkUser,
    date: 1764206100,
    text,
    post_owner_id: -1,
    owner_id: -1,
    post_id: vkPost,
    parents_stack: [],
  });

  const generic = async (body: Record<string, unknown>, source?: { source: string; secret: string }) => {
    const answer = await postGenericWebhook(intake, body, source);
    expect(answer.status).toBe(202);
    return answer.body.messageId as string;
  };

  /** Everything the erasure must leave nowhere. */
  const needles = [
    author.id,
    String(vkUser),
    author.name,
    'Эрастов',
    author.url,
    words.photo,
    `${token}-первое`,
    `${token}-исходное`,
    `${token}-правка`,
    `${token}-сельсовет`,
  ];

  /**
   * `table.column: needle` for each needle found in any text, JSON or text-array column of the
   * intake schema — columns read from the catalogue, so that a column added later is searched too.
   */
  const traces = async (): Promise<string[]> => {
    const columns = await intake.sql<{ table_name: string; column_name: string }>(
      `select c.table_name, c.column_name
         from information_schema.columns c
         join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
        where c.table_schema = 'intake' and t.table_type = 'BASE TABLE'
          and (c.data_type in ('text', 'jsonb', 'json', 'character varying', 'character')
               or c.udt_name in ('_text', '_varchar', '_jsonb'))
        order by 1, 2`,
    );
    expect(columns.map((c) => `${c.table_name}.${c.column_name}`)).toEqual(
      expect.arrayContaining(['messages.text', 'messages.author', 'messages.raw', 'message_versions.text']),
    );
    const found: string[] = [];
    for (const { table_name: table, column_name: column } of columns) {
      for (const needle of needles) {
        const [row] = await intake.sql<{ n: number }>(
          `select count(*)::int as n from intake."${table}" where "${column}"::text like '%' || $1 || '%'`,
          [needle],
        );
        if (row.n > 0) found.push(`${table}.${column}: ${needle}`);
      }
    }
    return found;
  };

  const erase = (viewer = coordinator, input: Record<string, unknown> = {}) =>
    intake.graphql<{ eraseAuthorData: Receipt }>(
      ERASE,
      {
        input: {
          platform: 'VK',
          authorId: author.id,
          reason: 'Требование субъекта персональных данных об уничтожении (ст. 21 152-ФЗ)',
          requestReference: 'вх. № 152-17 от 01.12.2026',
          ...input,
        },
      },
      viewer,
    );
  const exportAs = (viewer = coordinator, authorId = author.id) =>
    intake.graphql<ExportAnswer>(EXPORT, { input: { platform: 'VK', authorId } }, viewer);

  beforeAll(async () => {
    intake = await IntakeUnderTest.start('intake_author_data');
    await intake.insertSource({
      id: 'buranovsky-webhook',
      organizationId: BURANOVSKY,
      platform: 'OTHER',
      kind: 'GENERIC_WEBHOOK',
      secret: 'buranovsky-secret',
    });

    ids.first = await generic({
      externalId: `post-${token}_comment-1`,
      url: `https://vk.com/wall-1_500?reply=${vkUser}`,
      platform: 'VK',
      text: words.first,
      postedAt: '2026-11-30T09:55:00+07:00',
      author,
      threadId: `post-${token}`,
      attachments: [{ type: 'PHOTO', url: words.photo }],
    });
    // A comment through VK's own webhook, edited once: its first version is kept in message_versions.
    expect(
      (await intake.webhook('vk/demo-vk', { body: vkEvent('wall_reply_new', vkComment(words.original)) })).text,
    ).toBe('ok');
    expect(
      (await intake.webhook('vk/demo-vk', { body: vkEvent('wall_reply_edit', vkComment(words.edited)) })).text,
    ).toBe('ok');
    [{ id: ids.commented }] = await intake.sql<{ id: string }>(
      `select id from intake.messages where source_id = 'demo-vk' and external_id = $1`,
      [`wall-1_${vkPost}_r77`],
    );
    // The same author wrote to a sel'sovet's account as well.
    ids.selsovet = await generic(
      {
        externalId: `selsovet-${token}`,
        platform: 'VK',
        text: words.selsovet,
        postedAt: '2026-11-30T10:05:00+07:00',
        author,
      },
      { source: 'buranovsky-webhook', secret: 'buranovsky-secret' },
    );
    ids.other = await generic({
      externalId: `post-${token}_comment-2`,
      platform: 'VK',
      text: other.text,
      postedAt: '2026-11-30T10:00:00+07:00',
      author: { id: other.id, name: other.name },
    });
    for (const id of Object.values(ids)) await intake.events.accepted(id);
  }, 60_000);

  afterAll(async () => {
    await intake?.stop();
  });

  describe('who may ask', () => {
    it('one who is not a COORDINATOR is refused: FORBIDDEN, for export and erasure alike', async () => {
      expect(outcome(await exportAs(official))).toMatch(/^FORBIDDEN: /);
      expect(outcome(await erase(official))).toMatch(/^FORBIDDEN: /);
    });

    it('a coordinator of another organisation finds no such author: NOT_FOUND, and nothing is erased', async () => {
      expect(outcome(await exportAs(shadrinskyCoordinator))).toMatch(/^NOT_FOUND: /);
      expect(outcome(await erase(shadrinskyCoordinator))).toMatch(/^NOT_FOUND: /);
      const [row] = await intake.sql<{ text: string }>('select text from intake.messages where id = $1', [ids.first]);
      expect(row.text).toBe(words.first);
    });

    it('an erasure needs its grounds: a reason and the request’s reference (BAD_USER_INPUT)', async () => {
      expect(outcome(await erase(coordinator, { reason: '  ' }))).toMatch(/^BAD_USER_INPUT: reason /);
      expect(outcome(await erase(coordinator, { requestReference: '' }))).toMatch(/^BAD_USER_INPUT: requestReference /);
      expect(await intake.sql('select 1 from intake.erasure_requests')).toEqual([]);
    });
  });

  it('an earlier version is never rewritten, only erased: the application role’s UPDATE to other words is refused', async () => {
    const rewrite = (text: string) =>
      callContext.run({ correlationId: 'test-rewrite', orgScope: ALL_ORGS }, () =>
        intake.app
          .get(UnitOfWork)
          .run((manager) =>
            manager.query('update intake.message_versions set text = $2 where message_id = $1', [ids.commented, text]),
          ),
      );
    await expect(rewrite('Совсем другие слова')).rejects.toThrow(/may only be erased/);
    const [version] = await intake.sql<{ text: string }>(
      'select text from intake.message_versions where message_id = $1',
      [ids.commented],
    );
    expect(version.text).toBe(words.original);
  });

  describe('exportAuthorData', () => {
    it('gives every message of the author in the coordinator’s organisations, with its versions, and nothing of another author', async () => {
      const answer = await exportAs();
      expect(outcome(answer)).toBe('OK');
      const exported = answer.data!.exportAuthorData;
      expect(exported).toMatchObject({ platform: 'VK', messages: 3 });
      const { document } = exported;
      expect(document.format).toBe('otklik.author-data.v1');
      expect(document.subject).toEqual({ platform: 'VK', authorId: author.id });
      expect(document.messages.map((m) => m.id).sort()).toEqual([ids.first, ids.commented, ids.selsovet].sort());

      const byId = new Map(document.messages.map((m) => [m.id, m]));
      expect(byId.get(ids.first)).toMatchObject({ text: words.first, author, organizationId: KALMANSKY });
      expect(byId.get(ids.selsovet)).toMatchObject({ text: words.selsovet, organizationId: BURANOVSKY });
      // The comment as it is now, the version it replaced, and the body VK sent.
      expect(byId.get(ids.commented)).toMatchObject({
        text: words.edited,
        versions: [{ version: 1, text: words.original }],
        raw: expect.objectContaining({ from_id: vkUser }),
      });
      expect(document.elsewhere).toEqual(expect.arrayContaining([expect.objectContaining({ service: 'workflow' })]));

      const whole = JSON.stringify(document);
      expect(whole).not.toContain(other.id);
      expect(whole).not.toContain(other.name);
      expect(whole).not.toContain(`${token}-чужое`);
    });

    it('a sel’sovet’s coordinator gets only what came to the sel’sovet', async () => {
      const answer = await exportAs(buranovskyCoordinator);
      expect(outcome(answer)).toBe('OK');
      expect(answer.data!.exportAuthorData.document.messages.map((m) => m.id)).toEqual([ids.selsovet]);
    });

    it('is logged as the coordinator’s read of each message it hands out (152-FZ), and personalDataReads shows it', async () => {
      const before = new Set(
        (await intake.sql<{ id: string }>('select id from intake.personal_data_reads')).map((r) => r.id),
      );
      expect(outcome(await exportAs())).toBe('OK');
      const rows = (
        await intake.sql<{
          id: string;
          message_id: string;
          organization_id: string;
          viewer_login: string;
          viewer_user_id: string;
          request_id: string;
          fields: string[];
        }>('select * from intake.personal_data_reads order by message_id')
      ).filter((r) => !before.has(r.id));
      const everything = ['AUTHOR_ID', 'AUTHOR_NAME', 'AUTHOR_URL', 'EXPORT'];
      // VK's own webhook gives a comment's author an id and a page, not a name.
      const fromVk = ['AUTHOR_ID', 'AUTHOR_URL', 'EXPORT'];
      expect(rows.map((r) => [r.message_id, r.organization_id, r.viewer_login, r.viewer_user_id, r.fields])).toEqual(
        [
          [ids.first, KALMANSKY, 'coordinator', coordinator.userId, everything],
          [ids.commented, KALMANSKY, 'coordinator', coordinator.userId, fromVk],
          [ids.selsovet, BURANOVSKY, 'coordinator', coordinator.userId, everything],
        ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      );
      // One request: one row per message, written together.
      expect(new Set(rows.map((r) => r.request_id)).size).toBe(1);

      const log = await intake.graphql<{
        personalDataReads: { edges: Array<{ node: { id: string; viewerLogin: string; fields: string[] } }> };
      }>(READS, { authorId: author.id, platform: 'VK' }, coordinator);
      expect(outcome(log)).toBe('OK');
      const byId = (x: [string, ...unknown[]], y: [string, ...unknown[]]) => x[0].localeCompare(y[0]);
      const shown = log.data!.personalDataReads.edges.map((e): [string, string, string[]] => [
        e.node.id,
        e.node.viewerLogin,
        e.node.fields,
      ]);
      expect(shown.filter(([id]) => rows.some((r) => r.id === id)).sort(byId)).toEqual(
        rows.map((r): [string, string, string[]] => [r.id, 'coordinator', r.fields]).sort(byId),
      );
    });

    it('an export whose read cannot be logged fails, and hands nothing out', async () => {
      await intake.sql('revoke insert on intake.personal_data_reads from otklik_intake');
      try {
        const answer = await exportAs();
        expect(outcome(answer)).toMatch(/^INTERNAL_SERVER_ERROR: /);
        expect(answer.data ?? null).toBeNull();
      } finally {
        await intake.sql('grant insert on intake.personal_data_reads to otklik_intake');
      }
    });

    it('an author unknown to intake: NOT_FOUND', async () => {
      expect(outcome(await exportAs(coordinator, `id${vkUser}0`))).toMatch(/^NOT_FOUND: /);
    });
  });

  describe('eraseAuthorData', () => {
    let receipt: Receipt;
    let tracesBefore: string[];

    beforeAll(async () => {
      tracesBefore = await traces();
      const answer = await erase();
      expect(outcome(answer)).toBe('OK');
      receipt = answer.data!.eraseAuthorData;
    });

    it('answers with a receipt: what was erased, per store, under what request', () => {
      expect(receipt).toMatchObject({
        platform: 'VK',
        erasedBy: 'coordinator',
        requestReference: 'вх. № 152-17 от 01.12.2026',
        messages: 3,
        versions: 1,
        rawPayloads: 3,
      });
      expect([...receipt.messageIds].sort()).toEqual([ids.first, ids.commented, ids.selsovet].sort());
    });

    it('keeps a record of the request — who, when, why, on what request, how much — append-only', async () => {
      const [record] = await intake.sql<Record<string, unknown>>(
        'select * from intake.erasure_requests where id = $1',
        [receipt.id],
      );
      expect(record).toMatchObject({
        organization_id: KALMANSKY,
        platform: 'VK',
        requested_by: 'coordinator',
        requested_by_user_id: coordinator.userId,
        reason: receipt.reason,
        request_reference: receipt.requestReference,
        messages: 3,
        versions: 1,
        raw_payloads: 3,
      });
      expect([...(record.message_ids as string[])].sort()).toEqual([...receipt.messageIds].sort());
      const [grants] = await intake.sql<{ update: boolean; delete: boolean }>(
        `select has_table_privilege('otklik_intake', 'intake.erasure_requests', 'UPDATE') as update,
                has_table_privilege('otklik_intake', 'intake.erasure_requests', 'DELETE') as delete`,
      );
      expect(grants).toEqual({ update: false, delete: false });
    });

    it('leaves no trace of the author’s name, id, addresses or words in any column of any intake table', async () => {
      // The outbox emptied: the events of the erasure are out, and nothing older waits there.
      await waitFor('the outbox relayed', async () =>
        (await intake.sql('select 1 from intake.outbox')).length === 0 ? true : undefined,
      );
      // Before, the scan found every one of them somewhere: it looks where they would be.
      expect(needles.filter((needle) => !tracesBefore.some((t) => t.endsWith(`: ${needle}`)))).toEqual([]);
      expect(await traces()).toEqual([]);
    });

    it('keeps the messages, by their ids, with the fixed text; the author is an unlinkable marker', async () => {
      const answers = await Promise.all(
        [ids.first, ids.commented, ids.selsovet].map((id) =>
          intake.graphql<{ message: Record<string, unknown> }>(MESSAGE, { id }, coordinator),
        ),
      );
      const markers = new Set<string>();
      for (const answer of answers) {
        const message = answer.data!.message as {
          text: string;
          url: string | null;
          threadId: string | null;
          author: { id: string; name: string | null; url: string | null };
          attachments: unknown[];
          versions: Array<{ text: string; attachments: unknown[] }>;
        };
        expect(message).toMatchObject({ text: ERASED_TEXT, url: null, threadId: null, attachments: [] });
        expect(message.author).toEqual({ id: expect.stringMatching(/^erased-[0-9a-f]{16}$/), name: null, url: null });
        markers.add(message.author.id);
        for (const version of message.versions) expect(version).toEqual({ text: ERASED_TEXT, attachments: [] });
      }
      // A marker per message: the erased messages cannot be told to be one person's.
      expect(markers.size).toBe(3);
    });

    it('touches no other author', async () => {
      const [row] = await intake.sql<{ text: string; author: unknown }>(
        'select text, author from intake.messages where id = $1',
        [ids.other],
      );
      expect(row).toEqual({ text: other.text, author: { id: other.id, name: other.name } });
    });

    it('announces author.erased per organisation of the messages, naming the messages and nothing of the author', async () => {
      const erased = await waitFor('author.erased of both organisations', () => {
        const events = intake.events.received.filter((e) => e.envelope.type === 'author.erased');
        return events.length >= 2 ? events : undefined;
      });
      const byOrganization = Object.fromEntries(
        erased.map((e) => [e.envelope.organizationId, e.envelope.data as unknown as AuthorErasedV1]),
      );
      expect(Object.keys(byOrganization).sort()).toEqual([KALMANSKY, BURANOVSKY].sort());
      expect(byOrganization[KALMANSKY].messageIds.sort()).toEqual([ids.first, ids.commented].sort());
      expect(byOrganization[BURANOVSKY].messageIds).toEqual([ids.selsovet]);
      expect(erased.every((e) => (e.envelope.data as unknown as AuthorErasedV1).erasureId === receipt.id)).toBe(true);
      expect(erased[0].subject).toMatch(new RegExp(`^${intake.prefix}\\.[0-9a-f-]+\\.author\\.erased\\.v1$`));
      for (const e of erased) {
        expect(e.raw).not.toContain(author.id);
        expect(e.raw).not.toContain(String(vkUser));
      }
    });

    it('the same request again finds nothing left to erase or export: NOT_FOUND', async () => {
      expect(outcome(await erase())).toMatch(/^NOT_FOUND: /);
      expect(outcome(await exportAs())).toMatch(/^NOT_FOUND: /);
      expect(await intake.sql('select 1 from intake.erasure_requests')).toHaveLength(1);
    });

    it('an edit of the erased comment arriving later does not bring its words back into the erased message', async () => {
      const later = `Нет воды уже неделю ${token}-позже`;
      expect((await intake.webhook('vk/demo-vk', { body: vkEvent('wall_reply_edit', vkComment(later)) })).text).toBe(
        'ok',
      );
      const [erased] = await intake.sql<{ text: string }>('select text from intake.messages where id = $1', [
        ids.commented,
      ]);
      expect(erased.text).toBe(ERASED_TEXT);
      // The platform still has the comment: it arrives as a message of its own (a new processing).
      const arrived = await intake.sql<{ id: string }>('select id from intake.messages where text = $1', [later]);
      expect(arrived).toHaveLength(1);
      expect(arrived[0].id).not.toBe(ids.commented);
    });
  });
});
