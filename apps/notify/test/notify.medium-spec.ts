import { randomUUID } from 'node:crypto';
import type { Viewer } from '@otklik/auth';
import { CaseOpened, NotificationCreated, StaffAppointed } from '@otklik/contracts';
import { demoOrganization } from '@otklik/demo';
import { waitFor } from '@otklik/testing';
import { demoUser, NotifyUnderTest, viewerOf } from './notify.harness';

// Medium test: the real notify app (HTTP, PostgreSQL, JetStream) with a fresh database and
// events prefix; events go in through JetStream, answers come out of GraphQL and NATS.

const KALMANSKY = demoOrganization('kalmansky').id;
const BURANOVSKY = demoOrganization('buranovsky').id;
const SHADRINSKY = demoOrganization('shadrinsky').id;
const official = demoUser('official');
const executor = demoUser('executor');
const buranovskyOfficial = demoUser('buranovsky.official');

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
  let notify: NotifyUnderTest;

  beforeAll(async () => {
    // Recipients come from StaffAppointed alone here; the demo seed has its own test.
    notify = await NotifyUnderTest.start('notify');
  });

  afterAll(() => notify?.stop());

  const notificationsOfCase = (caseId: string) =>
    notify.sql<{ id: string; user_id: string; organization_id: string; kind: string; text: string }>(
      'select id, user_id, organization_id, kind, text from notify.notifications where case_id = $1 order by user_id',
      [caseId],
    );

  async function feedOf(viewer: Viewer, variables: Record<string, unknown> = {}): Promise<Feed['notifications']> {
    const answer = await notify.graphql<Feed>(FEED, variables, viewer);
    expect(answer.errors).toBeUndefined();
    return answer.data!.notifications;
  }

  let firstCaseId: string;
  let officialNotificationId: string;

  describe('StaffAppointed keeps the recipients', () => {
    it('every appointment announced becomes a recipient of its organisation', async () => {
      await notify.appoint(official, KALMANSKY, 'OFFICIAL');
      await notify.appoint(executor, KALMANSKY, 'EXECUTOR');
      const { seq } = await notify.appoint(buranovskyOfficial, BURANOVSKY, 'OFFICIAL');
      await notify.handledUpTo('staff-projection', seq);
      const rows = await notify.sql<{
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
      await notify.appoint(official, KALMANSKY, 'OFFICIAL');
      const { seq } = await notify.publish(
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
      await notify.handledUpTo('staff-projection', seq);
      const rows = await notify.sql<{ display_name: string }>(
        'select display_name from notify.recipients where user_id = $1',
        [official.id],
      );
      expect(rows).toEqual([{ display_name: official.displayName }]);
    });
  });

  describe('CaseOpened tells the officials of the case’s organisation', () => {
    it('exactly one notification, for kalmansky’s official, with the route due time on Barnaul’s clock', async () => {
      const { envelope, seq } = await notify.openCase(KALMANSKY, { routeDueAt: '2026-11-28T10:00:00.000Z' });
      firstCaseId = envelope.data.caseId;
      await notify.handledUpTo('case-opened', seq);
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
      const event = await waitFor('NotificationCreated on NATS', async () =>
        (await notify.events(NotificationCreated, KALMANSKY)).at(-1),
      );
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
      const original = (await notify.events(CaseOpened, KALMANSKY)).at(-1)!;
      expect(original.data.caseId).toBe(firstCaseId);
      // Same event id under a new Nats-Msg-Id: past JetStream's de-duplication, stopped by the inbox.
      await notify.publish(CaseOpened, KALMANSKY, original.data, { eventId: original.eventId, msgId: randomUUID() });
      // A new event id for the same case: stopped by the one-per-user-case-kind rule.
      const { seq } = await notify.publish(CaseOpened, KALMANSKY, original.data);
      await notify.handledUpTo('case-opened', seq);
      expect(await notificationsOfCase(firstCaseId)).toEqual([before]);
      expect((await notify.sql('select 1 from notify.outbox')).length).toBe(0);
      expect((await notify.events(NotificationCreated, KALMANSKY)).length).toBe(1);
    });

    it('an organisation without officials: nobody is notified, and a warning names the organisation and the case', async () => {
      const { envelope, seq } = await notify.openCase(SHADRINSKY, { routeDueAt: '2026-11-28T10:00:00.000Z' });
      await notify.handledUpTo('case-opened', seq);
      expect(await notificationsOfCase(envelope.data.caseId)).toEqual([]);
      const warnings = notify.logLines
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
      const own = await notify.graphql<{ notification: { id: string } | null }>(
        query,
        { id: officialNotificationId },
        viewerOf(official),
      );
      expect(own.data?.notification).toEqual({ id: officialNotificationId, case: { id: firstCaseId } });
      for (const user of [executor, buranovskyOfficial]) {
        const other = await notify.graphql<{ notification: unknown }>(
          query,
          { id: officialNotificationId },
          viewerOf(user),
        );
        expect(other).toEqual({ data: { notification: null } });
      }
      const missing = await notify.graphql<{ notification: unknown }>(query, { id: randomUUID() }, viewerOf(official));
      expect(missing).toEqual({ data: { notification: null } });
    });

    it('markNotificationsRead on someone else’s notification changes nothing', async () => {
      const mark = 'mutation Mark($ids: [ID!]!) { markNotificationsRead(ids: $ids) { id readAt } }';
      const answer = await notify.graphql<{ markNotificationsRead: unknown[] }>(
        mark,
        { ids: [officialNotificationId] },
        viewerOf(executor),
      );
      expect(answer).toEqual({ data: { markNotificationsRead: [] } });
      expect((await feedOf(viewerOf(official), { unreadOnly: true })).totalCount).toBe(1);
    });

    it('unreadOnly lists what is unread; markNotificationsRead marks it read and returns it', async () => {
      const official$ = viewerOf(official);
      expect((await feedOf(official$, { unreadOnly: true })).edges.map((e) => e.node.id)).toEqual([
        officialNotificationId,
      ]);
      const mark = 'mutation Mark($ids: [ID!]!) { markNotificationsRead(ids: $ids) { id readAt } }';
      const answer = await notify.graphql<{ markNotificationsRead: Array<{ id: string; readAt: string | null }> }>(
        mark,
        { ids: [officialNotificationId, randomUUID()] },
        official$,
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
      const again = await notify.graphql<{ markNotificationsRead: Array<{ readAt: string }> }>(
        mark,
        { ids: [officialNotificationId] },
        official$,
      );
      expect(again.data!.markNotificationsRead[0].readAt).toBe(marked.readAt);
    });

    it('pages run newest first, each after the previous page’s endCursor', async () => {
      // Two more cases, handled one after the other so that their order is known.
      const second = await notify.openCase(KALMANSKY, { routeDueAt: '2026-11-30T03:00:00.000Z' });
      await notify.handledUpTo('case-opened', second.seq);
      const third = await notify.openCase(KALMANSKY, { routeDueAt: '2026-11-30T04:00:00.000Z' });
      await notify.handledUpTo('case-opened', third.seq);
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
      expect(await notify.graphql(markAll, {}, viewerOf(executor))).toEqual({ data: { markAllNotificationsRead: 0 } });
      expect((await feedOf(viewerOf(official), { unreadOnly: true })).totalCount).toBe(2);
      expect(await notify.graphql(markAll, {}, viewerOf(official))).toEqual({ data: { markAllNotificationsRead: 2 } });
      expect(await notify.graphql(markAll, {}, viewerOf(official))).toEqual({ data: { markAllNotificationsRead: 0 } });
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
      const answer = await notify.graphql(query, variables, viewerOf(official));
      expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(answer.errors?.[0]?.message).toMatch(message);
    });

    it('a call without the gateway’s viewer token is UNAUTHENTICATED', async () => {
      const answer = await notify.graphql(FEED);
      expect(answer.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });
  });
});
