import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { jetstream, JetStreamClient, jetstreamManager, JetStreamManager } from '@nats-io/jetstream';
import { Client } from 'pg';
import pino from 'pino';
import { DEVELOPMENT_AUTH, signViewerToken, Viewer } from '@otklik/auth';
import {
  CaseOpened,
  EventEnvelope,
  eventSubject,
  EventType,
  NotificationCreated,
  NotificationCreatedV1,
  StaffAppointed,
  StaffAppointedV1,
  VIEWER_HEADER,
} from '@otklik/contracts';
import { DEMO_ORGANIZATIONS, DEMO_USERS, DemoUser, demoOrganization } from '@otklik/demo';
import { streamNames } from '@otklik/messaging';
import { loadServiceConfig, runService } from '@otklik/service-kit';
import { createTestDatabase, testEventsPrefix, testNatsUrl, waitFor } from '@otklik/testing';
import { AppModule } from '../src/app.module';

// Medium test: the real notify app (HTTP, PostgreSQL, JetStream) with a fresh database and
// events prefix; events go in through JetStream, answers come out of GraphQL and NATS.

const KALMANSKY = demoOrganization('kalmansky').id;
const BURANOVSKY = demoOrganization('buranovsky').id;
const SHADRINSKY = demoOrganization('shadrinsky').id;
const demoUser = (login: string): DemoUser => {
  const found = DEMO_USERS.find((u) => u.login === login);
  if (!found) throw new Error(`no demo user ${login}`);
  return found;
};
const official = demoUser('official');
const executor = demoUser('executor');
const buranovskyOfficial = demoUser('buranovsky.official');

/** The viewer the gateway would forward: kalmansky's staff see the whole district, a sel'sovet's only itself. */
const viewerOf = (user: DemoUser): Viewer => {
  const roles = user.roles.map((r) => ({ organizationId: demoOrganization(r.organizationCode).id, role: r.role }));
  const district = roles.some((r) => r.organizationId === KALMANSKY);
  return {
    userId: user.id,
    login: user.login,
    displayName: user.displayName,
    roles,
    visibleOrganizationIds: district ? DEMO_ORGANIZATIONS.map((o) => o.id) : roles.map((r) => r.organizationId),
  };
};

interface GraphQLAnswer<T> {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}
interface NotificationView {
  id: string;
  kind: string;
  text: string;
  case: { id: string } | null;
  createdAt: string;
  readAt: string | null;
}
interface Feed {
  notifications: {
    totalCount: number;
    edges: Array<{ cursor: string; node: NotificationView }>;
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  };
}

const FEED = `query Feed($unreadOnly: Boolean, $first: Int, $after: String) {
  notifications(unreadOnly: $unreadOnly, first: $first, after: $after) {
    totalCount
    edges { cursor node { id kind text case { id } createdAt readAt } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

describe('notify: officials are told about opened cases, and read their own notifications', () => {
  const prefix = testEventsPrefix();
  const streams = streamNames(prefix);
  const logLines: string[] = [];
  let app: INestApplication;
  let baseUrl: string;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  let db: Client;
  let dropDb: () => Promise<void>;

  beforeAll(async () => {
    const database = await createTestDatabase('notify');
    dropDb = database.drop;
    // Warnings are part of the contract here (no officials to notify): keep every line the app logs.
    const logger = pino(
      { level: 'info', base: { service: 'notify' } },
      {
        write: (line: string) => {
          logLines.push(line);
          if (process.env.TEST_LOG === '1') process.stdout.write(line);
        },
      },
    );
    // Recipients come from StaffAppointed alone here; the demo seed has its own test.
    const config = loadServiceConfig('notify', {
      DATABASE_URL: database.url,
      NATS_URL: testNatsUrl(),
      EVENTS_PREFIX: prefix,
      NOTIFY_PORT: '0',
      OTKLIK_DEMO_SEED: 'false',
    });
    app = (await runService(AppModule.forConfig(config, logger), { config, logger })) as INestApplication;
    baseUrl = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}`;
    nc = await connect({ servers: testNatsUrl() });
    js = jetstream(nc);
    jsm = await jetstreamManager(nc);
    // The owner connection: a superuser, so it sees every organisation's rows (probes only).
    db = new Client({ connectionString: database.url });
    await db.connect();
    await waitFor('the app to be healthy', async () => ((await fetch(`${baseUrl}/health`)).ok ? true : undefined));
    await waitFor('the events stream', () => jsm.streams.info(streams.events).then(() => true));
  });

  afterAll(async () => {
    await app?.close();
    await db?.end();
    if (jsm) for (const name of Object.values(streams)) await jsm.streams.delete(name).catch(() => undefined);
    await nc?.close();
    await dropDb?.();
  });

  /** Publishes an event as its producer's outbox relay would (Nats-Msg-Id = event id unless told otherwise). */
  async function publish<P extends object>(
    type: EventType<P>,
    organizationId: string,
    data: P,
    options: { eventId?: string; msgId?: string; occurredAt?: string } = {},
  ): Promise<{ envelope: EventEnvelope<P>; seq: number }> {
    const envelope: EventEnvelope<P> = {
      eventId: options.eventId ?? randomUUID(),
      type: type.name,
      version: type.version,
      organizationId,
      occurredAt: options.occurredAt ?? new Date().toISOString(),
      correlationId: `test-${randomUUID()}`,
      data,
    };
    const ack = await js.publish(eventSubject(prefix, organizationId, type), JSON.stringify(envelope), {
      msgID: options.msgId ?? envelope.eventId,
    });
    return { envelope, seq: ack.seq };
  }

  /** Resolves once notify's durable consumer has handled (and acknowledged) everything up to `seq`. */
  const handledUpTo = (durable: string, seq: number) =>
    waitFor(`notify_${durable} to handle stream message ${seq}`, async () => {
      const info = await jsm.consumers.info(streams.events, `notify_${durable}`);
      return info.delivered.stream_seq >= seq && info.num_ack_pending === 0 && info.num_pending === 0
        ? true
        : undefined;
    });

  const appoint = (
    user: DemoUser,
    organizationCode: string,
    role: StaffAppointedV1['role'],
    extra: Partial<StaffAppointedV1> = {},
  ) => {
    const organizationId = demoOrganization(organizationCode).id;
    return publish(StaffAppointed, organizationId, {
      userId: user.id,
      login: user.login,
      displayName: user.displayName,
      email: user.email,
      organizationId,
      role,
      ...extra,
    });
  };

  const openCase = (organizationId: string, routeDueAt: string, caseId = randomUUID()) =>
    publish(CaseOpened, organizationId, {
      caseId,
      messageId: randomUUID(),
      status: 'DETECTED',
      openedAt: new Date().toISOString(),
      routeDueAt,
    });

  const notificationsOfCase = async (caseId: string) =>
    (
      await db.query<{ id: string; user_id: string; organization_id: string; kind: string; text: string }>(
        'select id, user_id, organization_id, kind, text from notify.notifications where case_id = $1 order by user_id',
        [caseId],
      )
    ).rows;

  const notificationCreatedCount = async (organizationId: string): Promise<number> => {
    const subject = eventSubject(prefix, organizationId, NotificationCreated);
    const info = await jsm.streams.info(streams.events, { subjects_filter: subject });
    return info.state.subjects?.[subject] ?? 0;
  };

  async function gql<T>(
    viewer: Viewer | undefined,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<GraphQLAnswer<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (viewer) headers[VIEWER_HEADER] = await signViewerToken(viewer, DEVELOPMENT_AUTH.internalSecret);
    const response = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLAnswer<T>;
  }

  async function feedOf(viewer: Viewer, variables: Record<string, unknown> = {}): Promise<Feed['notifications']> {
    const answer = await gql<Feed>(viewer, FEED, variables);
    expect(answer.errors).toBeUndefined();
    return answer.data!.notifications;
  }

  let firstCaseId: string;
  let officialNotificationId: string;

  describe('StaffAppointed keeps the recipients', () => {
    it('every appointment announced becomes a recipient of its organisation', async () => {
      await appoint(official, 'kalmansky', 'OFFICIAL');
      await appoint(executor, 'kalmansky', 'EXECUTOR');
      const { seq } = await appoint(buranovskyOfficial, 'buranovsky', 'OFFICIAL');
      await handledUpTo('staff-projection', seq);
      const { rows } = await db.query<{
        user_id: string;
        organization_id: string;
        role: string;
        login: string;
        email: string;
      }>('select user_id, organization_id, role, login, email from notify.recipients order by login');
      expect(rows).toEqual([
        {
          user_id: buranovskyOfficial.id,
          organization_id: BURANOVSKY,
          role: 'OFFICIAL',
          login: 'buranovsky.official',
          email: buranovskyOfficial.email,
        },
        {
          user_id: executor.id,
          organization_id: KALMANSKY,
          role: 'EXECUTOR',
          login: 'executor',
          email: executor.email,
        },
        {
          user_id: official.id,
          organization_id: KALMANSKY,
          role: 'OFFICIAL',
          login: 'official',
          email: official.email,
        },
      ]);
    });

    it('a replayed or out-of-date announcement changes nothing', async () => {
      await appoint(official, 'kalmansky', 'OFFICIAL');
      const { seq } = await publish(
        StaffAppointed,
        KALMANSKY,
        {
          userId: official.id,
          login: 'official',
          displayName: 'Старое имя',
          organizationId: KALMANSKY,
          role: 'OFFICIAL',
        },
        { occurredAt: '2020-01-01T00:00:00.000Z' },
      );
      await handledUpTo('staff-projection', seq);
      const { rows } = await db.query<{ display_name: string }>(
        'select display_name from notify.recipients where user_id = $1',
        [official.id],
      );
      expect(rows).toEqual([{ display_name: official.displayName }]);
    });
  });

  describe('CaseOpened tells the officials of the case’s organisation', () => {
    it('exactly one notification, for kalmansky’s official, with the route due time on Barnaul’s clock', async () => {
      const { envelope, seq } = await openCase(KALMANSKY, '2026-11-28T10:00:00.000Z');
      firstCaseId = envelope.data.caseId;
      await handledUpTo('case-opened', seq);
      const rows = await notificationsOfCase(firstCaseId);
      expect(rows).toEqual([
        {
          id: expect.any(String),
          user_id: official.id,
          organization_id: KALMANSKY,
          kind: 'CASE_OPENED',
          text: 'Новое обращение: обнаружено критическое сообщение, направьте его до 28.11 17:00',
        },
      ]);
      officialNotificationId = rows[0].id;
    });

    it('NotificationCreated goes out on NATS for the gateway to push', async () => {
      const subject = eventSubject(prefix, KALMANSKY, NotificationCreated);
      await waitFor('NotificationCreated on NATS', async () =>
        (await notificationCreatedCount(KALMANSKY)) > 0 ? true : undefined,
      );
      const stored = await jsm.streams.getMessage(streams.events, { last_by_subj: subject });
      const event = stored!.json<EventEnvelope<NotificationCreatedV1>>();
      expect(event).toMatchObject({ type: 'notification.created', version: 1, organizationId: KALMANSKY });
      expect(event.data).toEqual({
        notificationId: officialNotificationId,
        userId: official.id,
        kind: 'CASE_OPENED',
        text: 'Новое обращение: обнаружено критическое сообщение, направьте его до 28.11 17:00',
        caseId: firstCaseId,
        createdAt: expect.any(String),
      });
    });

    it('the same CaseOpened again, redelivered or replayed under a new event id, notifies nobody twice', async () => {
      const [before] = await notificationsOfCase(firstCaseId);
      const original = (await jsm.streams.getMessage(streams.events, {
        last_by_subj: eventSubject(prefix, KALMANSKY, CaseOpened),
      }))!.json<EventEnvelope<{ caseId: string }>>();
      expect(original.data.caseId).toBe(firstCaseId);
      // Same event id under a new Nats-Msg-Id: past JetStream's de-duplication, stopped by the inbox.
      await publish(CaseOpened, KALMANSKY, original.data as never, { eventId: original.eventId, msgId: randomUUID() });
      // A new event id for the same case: stopped by the one-per-user-case-kind rule.
      const { seq } = await publish(CaseOpened, KALMANSKY, original.data as never);
      await handledUpTo('case-opened', seq);
      expect(await notificationsOfCase(firstCaseId)).toEqual([before]);
      expect((await db.query('select 1 from notify.outbox')).rowCount).toBe(0);
      expect(await notificationCreatedCount(KALMANSKY)).toBe(1);
    });

    it('an organisation without officials: nobody is notified, and a warning names the organisation and the case', async () => {
      const { envelope, seq } = await openCase(SHADRINSKY, '2026-11-28T10:00:00.000Z');
      await handledUpTo('case-opened', seq);
      expect(await notificationsOfCase(envelope.data.caseId)).toEqual([]);
      const warnings = logLines
        .map((line) => JSON.parse(line) as { level: number; organizationId?: string; caseId?: string; msg?: string })
        .filter((line) => line.level === 40 && line.caseId === envelope.data.caseId);
      expect(warnings).toHaveLength(1);
      expect(warnings[0].organizationId).toBe(SHADRINSKY);
      expect(warnings[0].msg).toContain(SHADRINSKY);
      expect(warnings[0].msg).toContain(envelope.data.caseId);
    });
  });

  describe('GraphQL: each viewer reads and marks their own notifications only', () => {
    it('the official’s notifications list the case opened, as a reference to the Case', async () => {
      const feed = await feedOf(viewerOf(official));
      expect(feed.totalCount).toBe(1);
      expect(feed.edges.map((e) => e.node)).toEqual([
        {
          id: officialNotificationId,
          kind: 'CASE_OPENED',
          text: 'Новое обращение: обнаружено критическое сообщение, направьте его до 28.11 17:00',
          case: { id: firstCaseId },
          createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
          readAt: null,
        },
      ]);
      expect(feed.pageInfo).toEqual({
        hasNextPage: false,
        hasPreviousPage: false,
        startCursor: feed.edges[0].cursor,
        endCursor: feed.edges[0].cursor,
      });
    });

    it('the executor and another organisation’s official have none', async () => {
      for (const user of [executor, buranovskyOfficial]) {
        const feed = await feedOf(viewerOf(user));
        expect({ login: user.login, totalCount: feed.totalCount, edges: feed.edges }).toEqual({
          login: user.login,
          totalCount: 0,
          edges: [],
        });
      }
    });

    it('notification(id) answers the owner, and null to anyone else', async () => {
      const query = 'query One($id: ID!) { notification(id: $id) { id case { id } } }';
      const own = await gql<{ notification: { id: string } | null }>(viewerOf(official), query, {
        id: officialNotificationId,
      });
      expect(own.data?.notification).toEqual({ id: officialNotificationId, case: { id: firstCaseId } });
      for (const user of [executor, buranovskyOfficial]) {
        const other = await gql<{ notification: unknown }>(viewerOf(user), query, { id: officialNotificationId });
        expect(other).toEqual({ data: { notification: null } });
      }
      const missing = await gql<{ notification: unknown }>(viewerOf(official), query, { id: randomUUID() });
      expect(missing).toEqual({ data: { notification: null } });
    });

    it('markNotificationsRead on someone else’s notification changes nothing', async () => {
      const mark = 'mutation Mark($ids: [ID!]!) { markNotificationsRead(ids: $ids) { id readAt } }';
      const answer = await gql<{ markNotificationsRead: unknown[] }>(viewerOf(executor), mark, {
        ids: [officialNotificationId],
      });
      expect(answer).toEqual({ data: { markNotificationsRead: [] } });
      expect((await feedOf(viewerOf(official), { unreadOnly: true })).totalCount).toBe(1);
    });

    it('unreadOnly lists what is unread; markNotificationsRead marks it read and returns it', async () => {
      const official$ = viewerOf(official);
      expect((await feedOf(official$, { unreadOnly: true })).edges.map((e) => e.node.id)).toEqual([
        officialNotificationId,
      ]);
      const mark = 'mutation Mark($ids: [ID!]!) { markNotificationsRead(ids: $ids) { id readAt } }';
      const answer = await gql<{ markNotificationsRead: Array<{ id: string; readAt: string | null }> }>(
        official$,
        mark,
        {
          ids: [officialNotificationId, randomUUID()],
        },
      );
      expect(answer.errors).toBeUndefined();
      const [marked] = answer.data!.markNotificationsRead;
      expect(answer.data!.markNotificationsRead).toHaveLength(1);
      expect(marked.id).toBe(officialNotificationId);
      expect(Number.isNaN(Date.parse(marked.readAt ?? ''))).toBe(false);
      expect(await feedOf(official$, { unreadOnly: true })).toMatchObject({ totalCount: 0, edges: [] });
      const all = await feedOf(official$);
      expect(all.edges.map((e) => [e.node.id, e.node.readAt])).toEqual([[officialNotificationId, marked.readAt]]);
      // Marking again keeps the first time.
      const again = await gql<{ markNotificationsRead: Array<{ readAt: string }> }>(official$, mark, {
        ids: [officialNotificationId],
      });
      expect(again.data!.markNotificationsRead[0].readAt).toBe(marked.readAt);
    });

    it('pages run newest first, each after the previous page’s endCursor', async () => {
      // Two more cases, handled one after the other so that their order is known.
      const second = await openCase(KALMANSKY, '2026-11-30T03:00:00.000Z');
      await handledUpTo('case-opened', second.seq);
      const third = await openCase(KALMANSKY, '2026-11-30T04:00:00.000Z');
      await handledUpTo('case-opened', third.seq);
      const official$ = viewerOf(official);
      const page1 = await feedOf(official$, { first: 2 });
      expect(page1.totalCount).toBe(3);
      expect(page1.edges.map((e) => e.node.case?.id)).toEqual([
        third.envelope.data.caseId,
        second.envelope.data.caseId,
      ]);
      expect(page1.edges[1].node.text).toBe(
        'Новое обращение: обнаружено критическое сообщение, направьте его до 30.11 10:00',
      );
      expect(page1.pageInfo.hasNextPage).toBe(true);
      const page2 = await feedOf(official$, { first: 2, after: page1.pageInfo.endCursor });
      expect(page2.edges.map((e) => e.node.case?.id)).toEqual([firstCaseId]);
      expect(page2.pageInfo).toMatchObject({ hasNextPage: false, endCursor: page2.edges[0].cursor });
      const counted = await feedOf(official$, { first: 0 });
      expect(counted).toMatchObject({ totalCount: 3, edges: [], pageInfo: { hasNextPage: true, endCursor: null } });
    });

    it('markAllNotificationsRead marks the viewer’s unread ones and says how many', async () => {
      const markAll = 'mutation { markAllNotificationsRead }';
      expect(await gql(viewerOf(executor), markAll)).toEqual({ data: { markAllNotificationsRead: 0 } });
      expect((await feedOf(viewerOf(official), { unreadOnly: true })).totalCount).toBe(2);
      expect(await gql(viewerOf(official), markAll)).toEqual({ data: { markAllNotificationsRead: 2 } });
      expect(await gql(viewerOf(official), markAll)).toEqual({ data: { markAllNotificationsRead: 0 } });
      expect((await feedOf(viewerOf(official), { unreadOnly: true })).totalCount).toBe(0);
    });

    it.each([
      ['first above 100', FEED, { first: 101 }, /first must be between 0 and 100/],
      ['a negative first', FEED, { first: -1 }, /first must be between 0 and 100/],
      ['an after that is not a cursor', FEED, { after: 'page-2' }, /after is not a cursor/],
      [
        'an id that is not a notification id',
        'query { notification(id: "42") { id } }',
        {},
        /"42" is not a notification id/,
      ],
      [
        'ids that are not notification ids',
        'mutation { markNotificationsRead(ids: ["x"]) { id } }',
        {},
        /ids\[0\]: "x"/,
      ],
    ])('%s is BAD_USER_INPUT with a message saying what is right', async (_what, query, variables, message) => {
      const answer = await gql(viewerOf(official), query, variables);
      expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(answer.errors?.[0]?.message).toMatch(message);
    });

    it('a call without the gateway’s viewer token is UNAUTHENTICATED', async () => {
      const answer = await gql(undefined, FEED);
      expect(answer.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });
  });
});
