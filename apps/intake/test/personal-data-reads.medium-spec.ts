import { randomUUID } from 'node:crypto';
import { DEVELOPMENT_AUTH, signViewerToken, Viewer } from '@otklik/auth';
import { CORRELATION_HEADER, VIEWER_HEADER } from '@otklik/contracts';
import { demoOrganization } from '@otklik/demo';
import {
  EVERY_ORGANIZATION,
  GraphqlAnswer,
  IntakeUnderTest,
  outcome,
  postGenericWebhook,
  staffViewer,
} from './intake.harness';

// Medium (STYLE.md §13): 152-FZ — every staff read of an author's personal data is logged (who,
// when, which message) in intake.personal_data_reads, on the real intake app and PostgreSQL, over
// GraphQL as the gateway calls it; and the log is for the coordinators of the organisation alone.

const KALMANSKY = demoOrganization('kalmansky').id;
const BURANOVSKY = demoOrganization('buranovsky').id;

const official = staffViewer('official', 'OFFICIAL', KALMANSKY, EVERY_ORGANIZATION);
const coordinator = staffViewer('coordinator', 'COORDINATOR', KALMANSKY, EVERY_ORGANIZATION);
const foreignCoordinator = staffViewer('buranovsky.coordinator', 'COORDINATOR', BURANOVSKY);

type ReadRow = {
  id: string;
  organization_id: string;
  message_id: string;
  case_id: string | null;
  viewer_user_id: string;
  viewer_login: string;
  at: Date;
  request_id: string;
  correlation_id: string;
  fields: string[];
};

/** The gateway fetching Case.message for a case page or a live case feed's event. */
const ENTITIES = (selection: string) => `query ($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Message { id ${selection} } }
}`;
const refs = (...ids: string[]) => ({ representations: ids.map((id) => ({ __typename: 'Message', id })) });

const READS = `query ($messageId: ID, $authorId: String, $platform: Platform, $first: Int, $after: String) {
  personalDataReads(messageId: $messageId, authorId: $authorId, platform: $platform, first: $first, after: $after) {
    edges { cursor node { id at viewerLogin viewerUserId messageId organizationId fields correlationId } }
    pageInfo { hasNextPage endCursor }
  }
}`;

type ReadsAnswer = {
  personalDataReads: {
    edges: Array<{ cursor: string; node: Record<string, unknown> & { viewerLogin: string; fields: string[] } }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};

describe('152-FZ: every staff read of an author’s personal data is logged, and the log is the coordinator’s', () => {
  let intake: IntakeUnderTest;

  const readsOf = (messageId: string) =>
    intake.sql<ReadRow>('select * from intake.personal_data_reads where message_id = $1 order by at, id', [messageId]);

  /** A message of the district's demo webhook from author `authorId` (no author at all: null). */
  const arrive = async (authorId: string | null) =>
    (
      await postGenericWebhook(intake, {
        externalId: `post-${randomUUID()}`,
        platform: 'VK',
        text: 'Третий день нет воды на ул. Ленина',
        postedAt: '2026-11-27T08:15:00+07:00',
        ...(authorId ? { author: { id: authorId, name: 'Иван Петров', url: `https://vk.com/${authorId}` } } : {}),
      })
    ).body.messageId as string;

  /** POST /graphql as the gateway sends it, with the request's correlation id. */
  async function asGateway<T>(viewer: Viewer, query: string, variables: object, correlationId: string) {
    const response = await fetch(`${intake.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [VIEWER_HEADER]: await signViewerToken(viewer, DEVELOPMENT_AUTH.internalSecret),
        [CORRELATION_HEADER]: correlationId,
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphqlAnswer<T>;
  }

  beforeAll(async () => {
    intake = await IntakeUnderTest.start('intake_personal_data_reads');
  }, 60_000);

  afterAll(async () => {
    await intake?.stop();
  });

  it('reading a case’s message author (the gateway’s entity fetch) as an official writes one row naming them', async () => {
    const message = await arrive('id42');
    const correlationId = `corr-${randomUUID()}`;
    const answer = await asGateway<{ _entities: unknown[] }>(
      official,
      ENTITIES('text author { id name url }'),
      refs(message),
      correlationId,
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data?._entities).toEqual([
      {
        id: message,
        text: expect.any(String),
        author: { id: 'id42', name: 'Иван Петров', url: 'https://vk.com/id42' },
      },
    ]);
    expect(await readsOf(message)).toEqual([
      {
        id: expect.any(String),
        organization_id: KALMANSKY,
        message_id: message,
        case_id: null,
        viewer_user_id: official.userId,
        viewer_login: 'official',
        at: expect.any(Date),
        request_id: expect.any(String),
        correlation_id: correlationId,
        fields: ['AUTHOR_ID', 'AUTHOR_NAME', 'AUTHOR_URL'],
      },
    ]);
  });

  it('only the fields returned are named; reading a message without author fields, or a message without an author, writes none', async () => {
    const withAuthor = await arrive('id43');
    const anonymous = await arrive(null);
    const withoutAuthorFields = await intake.graphql(
      'query ($id: ID!) { message(id: $id) { id text url postedAt platform } }',
      { id: withAuthor },
      official,
    );
    expect(outcome(withoutAuthorFields)).toBe('OK');
    const noAuthor = await intake.graphql(
      'query ($id: ID!) { message(id: $id) { author { id name url } } }',
      { id: anonymous },
      official,
    );
    expect(noAuthor.data).toEqual({ message: { author: null } });
    expect(await readsOf(withAuthor)).toEqual([]);
    expect(await readsOf(anonymous)).toEqual([]);

    const nameOnly = await intake.graphql(
      'query ($id: ID!) { message(id: $id) { author { name } } }',
      { id: withAuthor },
      official,
    );
    expect(outcome(nameOnly)).toBe('OK');
    expect((await readsOf(withAuthor)).map((r) => r.fields)).toEqual([['AUTHOR_NAME']]);
  });

  it('a page of cases with their authors is one row per message, however often a request names it', async () => {
    const [a, b, c] = [await arrive('id44'), await arrive('id45'), await arrive('id46')];
    const answer = await intake.graphql(
      ENTITIES('author { name url } again: author { name }'),
      refs(a, b, c, a),
      coordinator,
    );
    expect(outcome(answer)).toBe('OK');
    const rows = [...(await readsOf(a)), ...(await readsOf(b)), ...(await readsOf(c))];
    expect(rows.map((r) => [r.message_id, r.viewer_login, r.fields])).toEqual([
      [a, 'coordinator', ['AUTHOR_NAME', 'AUTHOR_URL']],
      [b, 'coordinator', ['AUTHOR_NAME', 'AUTHOR_URL']],
      [c, 'coordinator', ['AUTHOR_NAME', 'AUTHOR_URL']],
    ]);
    // One request, and the three rows written together.
    expect(new Set(rows.map((r) => r.request_id)).size).toBe(1);
    expect(new Set(rows.map((r) => r.at.getTime())).size).toBe(1);
  });

  it('the district’s coordinator reads the log of a message and of an author, newest first, page by page', async () => {
    const message = await arrive('id47');
    for (const viewer of [official, coordinator]) {
      expect(outcome(await intake.graphql(ENTITIES('author { name }'), refs(message), viewer))).toBe('OK');
    }
    const first = await intake.graphql<ReadsAnswer>(READS, { messageId: message, first: 1 }, coordinator);
    expect(outcome(first)).toBe('OK');
    const page1 = first.data?.personalDataReads;
    expect(page1?.edges.map((e) => e.node)).toEqual([
      {
        id: expect.any(String),
        at: expect.any(String),
        viewerLogin: 'coordinator',
        viewerUserId: coordinator.userId,
        messageId: message,
        organizationId: KALMANSKY,
        fields: ['AUTHOR_NAME'],
        correlationId: expect.any(String),
      },
    ]);
    expect(page1?.pageInfo.hasNextPage).toBe(true);
    const second = await intake.graphql<ReadsAnswer>(
      READS,
      { messageId: message, first: 1, after: page1?.pageInfo.endCursor },
      coordinator,
    );
    expect(second.data?.personalDataReads.edges.map((e) => e.node.viewerLogin)).toEqual(['official']);
    expect(second.data?.personalDataReads.pageInfo.hasNextPage).toBe(false);

    const byAuthor = await intake.graphql<ReadsAnswer>(READS, { authorId: 'id47', platform: 'VK' }, coordinator);
    expect(byAuthor.data?.personalDataReads.edges.map((e) => [e.node.messageId, e.node.viewerLogin])).toEqual([
      [message, 'coordinator'],
      [message, 'official'],
    ]);
  });

  it('a foreign organisation’s coordinator cannot read the log; an official may not ask', async () => {
    const message = await arrive('id48');
    expect(outcome(await intake.graphql(ENTITIES('author { name }'), refs(message), official))).toBe('OK');
    expect(await readsOf(message)).toHaveLength(1);

    const foreign = await intake.graphql<ReadsAnswer>(READS, { messageId: message }, foreignCoordinator);
    expect(outcome(foreign)).toBe('OK');
    expect(foreign.data?.personalDataReads.edges).toEqual([]);
    const foreignByAuthor = await intake.graphql<ReadsAnswer>(
      READS,
      { authorId: 'id48', platform: 'VK' },
      foreignCoordinator,
    );
    expect(foreignByAuthor.data?.personalDataReads.edges).toEqual([]);

    expect(outcome(await intake.graphql(READS, { messageId: message }, official))).toMatch(/^FORBIDDEN: /);
  });

  it('a question without a message or an author (with its platform) is refused with what to give', async () => {
    expect(outcome(await intake.graphql(READS, {}, coordinator))).toBe(
      'BAD_USER_INPUT: give messageId, or authorId with platform',
    );
    expect(outcome(await intake.graphql(READS, { authorId: 'id42' }, coordinator))).toMatch(
      /^BAD_USER_INPUT: authorId needs the platform/,
    );
    expect(outcome(await intake.graphql(READS, { messageId: 'x', first: 1 }, coordinator))).toMatch(
      /^BAD_USER_INPUT: /,
    );
  });

  it('the log is append-only for the application and under row-level security', async () => {
    const [table] = await intake.sql<Record<string, boolean>>(
      `select c.relrowsecurity as rls, c.relforcerowsecurity as forced,
              has_table_privilege('otklik_intake', c.oid, 'INSERT') as insert,
              has_table_privilege('otklik_intake', c.oid, 'SELECT') as select,
              has_any_column_privilege('otklik_intake', c.oid, 'UPDATE') as update,
              has_table_privilege('otklik_intake', c.oid, 'DELETE') as delete
         from pg_class c where c.oid = 'intake.personal_data_reads'::regclass`,
    );
    expect(table).toEqual({ rls: true, forced: true, insert: true, select: true, update: false, delete: false });
  });
});
