import { randomUUID } from 'node:crypto';
import type { Viewer } from '@otklik/auth';
import { CaseOpened, CaseOpenedV1, eventFilter, MessageAcceptedV1 } from '@otklik/contracts';
import { demoOrganization } from '@otklik/demo';
import { ALL_ORGS, callContext } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';
import { createTestDatabase, testEventsPrefix, testNatsUrl, waitFor } from '@otklik/testing';
import { CaseRepository } from '../src/cases/case.repository';
import { CaseService } from '../src/cases/case.service';
import { CaseWorkflowDriver } from './case-workflow.driver';
import { GraphqlAnswer, WorkflowUnderTest } from './workflow.harness';

const KALMANSKY = demoOrganization('kalmansky').id;
const BURANOVSKY = demoOrganization('buranovsky').id;

const PRAISE = 'Спасибо большое за праздник, молодцы!';
const COMPLAINT = 'Третий день нет воды на улице Ленина';

interface UncasedNode {
  id: string;
  text: string;
  platform: string;
  receivedAt: string;
  keptAt: string;
  organization: { code: string };
  message: { id: string };
}
interface UncasedConnection {
  uncasedMessages: {
    totalCount: number;
    edges: Array<{ cursor: string; node: UncasedNode }>;
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
  };
}
interface OpenedCase {
  id: string;
  status: string;
  detectedAt: string;
  organization: { code: string };
  message: { id: string };
  deadlines: Array<{ kind: string; startedAt: string; state: string }>;
  history: Array<{ action: string; from: string | null; to: string; actor: string; reason: string | null }>;
}

const UNCASED = `query ($first: Int, $after: String) {
  uncasedMessages(first: $first, after: $after) {
    totalCount
    edges { cursor node { id text platform receivedAt keptAt organization { code } message { id } } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}`;
const OPEN_CASE = `mutation ($input: OpenCaseInput!) {
  openCase(input: $input) {
    id status detectedAt organization { code } message { id }
    deadlines { kind startedAt state } history { action from to actor reason }
  }
}`;

const codeOf = (answer: GraphqlAnswer<unknown>): unknown => answer.errors?.[0]?.extensions?.code;

describe('criticality (cl. 1): a message that is not critical opens no case; it is kept, listed, and a case can be opened from it', () => {
  let workflow: WorkflowUnderTest;
  let driver: CaseWorkflowDriver;
  const viewers: Record<string, Viewer> = {};

  /** A message of `organizationId` through the bus, as intake announces it; resolves once handled. */
  async function arrives(organizationId: string, data: Partial<MessageAcceptedV1>): Promise<string> {
    const messageId = data.messageId ?? randomUUID();
    const envelope = await workflow.publishMessageAccepted(organizationId, {
      messageId,
      author: { id: `id-${randomUUID()}`, name: 'Житель' },
      ...data,
    });
    await waitFor(
      `message.accepted of ${messageId} handled`,
      async () => ((await workflow.handled(envelope.eventId)) ? true : undefined),
      20_000,
    );
    return messageId;
  }

  /** The message's case, or undefined (looked up system-wide, beyond any viewer). */
  const caseOf = async (messageId: string) =>
    (await workflow.inScope(ALL_ORGS, () => workflow.app.get(CaseRepository).findPage({}, undefined, 100)))
      .map((row) => row.entity)
      .find((c) => c.messageId === messageId);

  async function uncased(login: string, variables: Record<string, unknown> = { first: 100 }) {
    return workflow.graphql<UncasedConnection>(UNCASED, variables, viewers[login]);
  }

  const listedIds = async (login: string): Promise<string[]> => {
    const answer = await uncased(login);
    expect(answer.errors).toBeUndefined();
    return answer.data!.uncasedMessages.edges.map((e) => e.node.id);
  };

  const openCase = (login: string, input: Record<string, unknown>) =>
    workflow.graphql<{ openCase: OpenedCase }>(OPEN_CASE, { input }, viewers[login]);

  beforeAll(async () => {
    workflow = await WorkflowUnderTest.start({
      database: await createTestDatabase('wf_criticality'),
      eventsPrefix: testEventsPrefix(),
      natsUrl: testNatsUrl(),
    });
    driver = new CaseWorkflowDriver(workflow);
    for (const login of ['official', 'coordinator', 'reception', 'executor', 'head', 'buranovsky.official']) {
      viewers[login] = await workflow.viewer(login);
    }
  });
  afterAll(async () => {
    await workflow?.stop();
  });

  describe('which messages open a case', () => {
    it('praise, not critical and screened clean: no case; kept with the message as it arrived', async () => {
      const messageId = await arrives(KALMANSKY, {
        text: PRAISE,
        criticality: { critical: false },
        screening: { reasons: [] },
      });
      expect(await caseOf(messageId)).toBeUndefined();
      const answer = await uncased('official');
      const node = answer.data?.uncasedMessages.edges.find((e) => e.node.id === messageId)?.node;
      expect(node).toEqual({
        id: messageId,
        text: PRAISE,
        platform: 'VK',
        receivedAt: '2026-11-30T03:00:00.000Z',
        keptAt: expect.any(String),
        organization: { code: 'kalmansky' },
        message: { id: messageId },
      });
    });

    it('a critical message opens its case, as before', async () => {
      const messageId = await arrives(KALMANSKY, { text: COMPLAINT, criticality: { critical: true } });
      expect((await caseOf(messageId))?.status).toBe('DETECTED');
      expect(await listedIds('official')).not.toContain(messageId);
    });

    it('a message without criticality’s verdict (an older producer) is critical: a case', async () => {
      const messageId = await arrives(KALMANSKY, { text: PRAISE });
      expect((await caseOf(messageId))?.status).toBe('DETECTED');
    });

    it('not critical but flagged by screening: a case, so that an official confirms the exclusion (cl. 11)', async () => {
      const messageId = await arrives(KALMANSKY, {
        text: 'Спасибо, клоуны, я тебя убью',
        criticality: { critical: false },
        screening: { reasons: ['THREAT'] },
      });
      expect((await caseOf(messageId))?.screeningReasons).toEqual(['THREAT']);
    });

    it('the same event delivered again keeps the message once and still opens nothing', async () => {
      const message = {
        messageId: randomUUID(),
        sourceId: 'demo-vk',
        platform: 'VK' as const,
        externalId: `again-${randomUUID()}`,
        text: PRAISE,
        postedAt: new Date().toISOString(),
        receivedAt: new Date().toISOString(),
        attachments: [],
        criticality: { critical: false },
      };
      const service = workflow.app.get(CaseService);
      const open = () =>
        callContext.run({ correlationId: `test-${message.messageId}`, orgScope: ALL_ORGS }, () =>
          service.openForMessage(KALMANSKY, message),
        );
      expect(await open()).toBeNull();
      expect(await open()).toBeNull();
      const rows = await workflow.inScope(ALL_ORGS, () =>
        workflow.app
          .get(UnitOfWork)
          .manager.query<unknown[]>('select 1 from workflow.uncased_messages where message_id = $1', [
            message.messageId,
          ]),
      );
      expect(rows).toHaveLength(1);
    });

    it('a not-critical message that repeats an author’s case still in progress opens a case linked to it', async () => {
      const author = { id: `id-${randomUUID()}`, name: 'Мария Иванова' };
      const first = await driver.open(KALMANSKY, {
        author,
        threadId: 'post-7',
        text: 'Во дворе дома 12 по улице Садовой третью неделю не вывозят мусор, контейнеры переполнены',
      });
      const messageId = await arrives(KALMANSKY, {
        author,
        threadId: 'post-7',
        text: 'Повторно пишу: мусор во дворе на Садовой 12 так и не вывезли, контейнеры переполнены!',
        criticality: { critical: false },
        screening: { reasons: [] },
      });
      const second = await caseOf(messageId);
      expect(second?.status).toBe('DETECTED');
      const links = await workflow.inScope(ALL_ORGS, () => workflow.app.get(CaseRepository).linksOf([second!.id]));
      expect(links.map((l) => l.relatedCaseId)).toEqual([first.id]);
    });
  });

  describe('uncasedMessages: for the OFFICIAL, COORDINATOR and RECEPTION of the organisation or above', () => {
    let district: string;
    let village: string;

    beforeAll(async () => {
      district = await arrives(KALMANSKY, { text: 'Всем доброе утро ☀️', criticality: { critical: false } });
      village = await arrives(BURANOVSKY, { text: 'С праздником, земляки!', criticality: { critical: false } });
    });

    it('the district’s official, coordinator and reception see the district’s and the sel’sovets’', async () => {
      for (const login of ['official', 'coordinator', 'reception']) {
        expect(await listedIds(login)).toEqual(expect.arrayContaining([district, village]));
      }
    });

    it('a sel’sovet’s official sees the sel’sovet’s only', async () => {
      const ids = await listedIds('buranovsky.official');
      expect(ids).toContain(village);
      expect(ids).not.toContain(district);
    });

    it('an executor and a head may not list them: FORBIDDEN', async () => {
      for (const login of ['executor', 'head']) expect(codeOf(await uncased(login))).toBe('FORBIDDEN');
    });

    it('pages newest first with a cursor; a bad cursor or page size is BAD_USER_INPUT', async () => {
      const all = (await uncased('official')).data!.uncasedMessages;
      expect(all.totalCount).toBe(all.edges.length);
      const first = (await uncased('official', { first: 1 })).data!.uncasedMessages;
      expect(first).toMatchObject({
        totalCount: all.totalCount,
        pageInfo: { hasNextPage: true, hasPreviousPage: false },
      });
      const next = (await uncased('official', { first: 1, after: first.pageInfo.endCursor })).data!.uncasedMessages;
      expect([first.edges[0].node.id, next.edges[0].node.id]).toEqual(all.edges.slice(0, 2).map((e) => e.node.id));
      expect(next.pageInfo.hasPreviousPage).toBe(true);
      const byTime = all.edges.map((e) => e.node.receivedAt);
      expect([...byTime].sort().reverse()).toEqual(byTime);
      expect(codeOf(await uncased('official', { after: 'nonsense' }))).toBe('BAD_USER_INPUT');
      expect(codeOf(await uncased('official', { first: 101 }))).toBe('BAD_USER_INPUT');
    });
  });

  describe('openCase: a DETECTED case from a kept message, its ROUTE deadline from the opening, who and why in its history', () => {
    let messageId: string;

    beforeAll(async () => {
      messageId = await arrives(KALMANSKY, {
        text: 'Спасибо за ямы на дороге, теперь ездим по обочине',
        criticality: { critical: false },
        screening: { reasons: [] },
      });
    });

    it('refuses a blank reason and an id that is not a UUID: BAD_USER_INPUT', async () => {
      expect(codeOf(await openCase('official', { messageId, reason: '   ' }))).toBe('BAD_USER_INPUT');
      expect(codeOf(await openCase('official', { messageId: 'm-1', reason: 'sarcasm' }))).toBe('BAD_USER_INPUT');
    });

    it('another organisation’s official does not find it (row-level security): NOT_FOUND', async () => {
      expect(codeOf(await openCase('buranovsky.official', { messageId, reason: 'sarcasm' }))).toBe('NOT_FOUND');
    });

    it('an executor may not open one: FORBIDDEN', async () => {
      expect(codeOf(await openCase('executor', { messageId, reason: 'sarcasm' }))).toBe('FORBIDDEN');
    });

    it('the official opens it: DETECTED, ROUTE started at the opening, the history says who and why, CaseOpened announced', async () => {
      const before = Date.now();
      const answer = await openCase('official', { messageId, reason: '  Сарказм: жалоба на ямы  ' });
      expect(answer.errors).toBeUndefined();
      const opened = answer.data!.openCase;
      expect(opened).toMatchObject({
        status: 'DETECTED',
        organization: { code: 'kalmansky' },
        message: { id: messageId },
        history: [
          {
            action: 'OPEN',
            from: null,
            to: 'DETECTED',
            actor: 'official',
            reason: 'opened by hand from a message kept as not critical (cl. 1): Сарказм: жалоба на ямы',
          },
        ],
      });
      const route = opened.deadlines.find((d) => d.kind === 'ROUTE');
      expect(route?.state).toBe('ON_TRACK');
      // Not when the message arrived (2026-11-30 10:00 in Barnaul) but now, when it was found critical.
      expect(new Date(route!.startedAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(route!.startedAt).toBe(opened.detectedAt);
      const events = await workflow.readEvents<CaseOpenedV1>(
        eventFilter(workflow.prefix, CaseOpened),
        (all) => all.some((e) => e.data.caseId === opened.id),
        `case.opened of ${opened.id}`,
      );
      expect(events.find((e) => e.data.caseId === opened.id)?.data).toMatchObject({ messageId, status: 'DETECTED' });
      expect(await listedIds('official')).not.toContain(messageId);
      const kept = await workflow.inScope(ALL_ORGS, () =>
        workflow.app
          .get(UnitOfWork)
          .manager.query<Array<{ case_id: string; opened_by: string; open_reason: string }>>(
            'select case_id, opened_by, open_reason from workflow.uncased_messages where message_id = $1',
            [messageId],
          ),
      );
      expect(kept).toEqual([{ case_id: opened.id, opened_by: 'official', open_reason: 'Сарказм: жалоба на ямы' }]);
    });

    it('opening it again is a CONFLICT that names the case', async () => {
      const again = await openCase('coordinator', { messageId, reason: 'once more' });
      expect(codeOf(again)).toBe('CONFLICT');
      expect(again.errors?.[0].message).toContain((await caseOf(messageId))!.id);
    });
  });
});
