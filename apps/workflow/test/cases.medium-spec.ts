import { randomUUID } from 'node:crypto';
import type { Viewer } from '@otklik/auth';
import { CaseOpened, CaseOpenedV1, EventEnvelope, eventFilter } from '@otklik/contracts';
import { demoOrganization } from '@otklik/demo';
import { ALL_ORGS, orgsScope } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';
import { createTestDatabase, testEventsPrefix, testNatsUrl, waitFor } from '@otklik/testing';
import { CaseRepository } from '../src/cases/case.repository';
import { CaseService } from '../src/cases/case.service';
import { DeadlineService } from '../src/deadlines/deadline.service';
import { OrganizationService } from '../src/organizations/organization.service';
import { WorkflowUnderTest } from './workflow.harness';

const KALMANSKY = demoOrganization('kalmansky').id;
const BURANOVSKY = demoOrganization('buranovsky').id;
const SHADRINSKY = demoOrganization('shadrinsky').id;

interface CaseNode {
  id: string;
  status: string;
  detectedAt: string;
  organization: { code: string };
  message: { id: string };
  deadlines: Array<{ kind: string; startedAt: string; dueAt: string; state: string; responsible: unknown }>;
  history: Array<{ from: string | null; to: string; actor: string; reason: string | null; at: string }>;
  executor: unknown;
  repeatOf: unknown;
  publications: unknown[];
}
interface Connection {
  cases: {
    totalCount: number;
    edges: Array<{ cursor: string; node: { id: string; detectedAt: string } }>;
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  };
}

const CASE_FIELDS = `id status detectedAt organization { code } message { id }
  deadlines { kind startedAt dueAt state responsible { login } }
  history { from to actor reason at } executor { login } repeatOf { id } publications { kind }`;
const CASE = `query ($id: ID!) { case(id: $id) { ${CASE_FIELDS} } }`;
const CASES = `query ($filter: CaseFilter, $first: Int, $after: String) {
  cases(filter: $filter, first: $first, after: $after) {
    totalCount edges { cursor node { id detectedAt } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

describe('workflow: cases open from accepted messages and are seen only by their organisations', () => {
  let workflow: WorkflowUnderTest;
  let official: Viewer;
  let buranovskyOfficial: Viewer;

  /** The case of a message, once the consumer has opened it (as the district official sees it). */
  const caseOfMessage = (messageId: string) =>
    waitFor(`a case for message ${messageId}`, async () => {
      const found = await workflow.inScope(ALL_ORGS, () =>
        workflow.app.get(CaseRepository).findPage({}, undefined, 100),
      );
      return found.map((row) => row.entity).find((c) => c.messageId === messageId);
    });

  beforeAll(async () => {
    workflow = await WorkflowUnderTest.start({
      database: await createTestDatabase('wf_cases'),
      eventsPrefix: testEventsPrefix(),
      natsUrl: testNatsUrl(),
    });
    official = await workflow.viewer('official');
    buranovskyOfficial = await workflow.viewer('buranovsky.official');
  });
  afterAll(async () => {
    await workflow?.stop();
  });

  describe('MessageAccepted opens a case (cl. 1, 5)', () => {
    // Monday 30 November 2026, 10:00 in Barnaul: ROUTE is due Tuesday 10:00 (8 working hours).
    const receivedAt = '2026-11-30T10:00:00+07:00';
    let accepted: EventEnvelope<{ messageId: string }>;
    let caseId: string;

    beforeAll(async () => {
      accepted = await workflow.publishMessageAccepted(KALMANSKY, { receivedAt, sourceId: 'demo-vk', platform: 'VK' });
      caseId = (await caseOfMessage(accepted.data.messageId)).id;
    });

    it('the case is DETECTED, in the message’s organisation, with a ROUTE deadline and the first line of its history', async () => {
      const answer = await workflow.graphql<{ case: CaseNode }>(CASE, { id: caseId }, official);
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.case).toMatchObject({
        id: caseId,
        status: 'DETECTED',
        detectedAt: '2026-11-30T03:00:00.000Z',
        organization: { code: 'kalmansky' },
        message: { id: accepted.data.messageId },
        deadlines: [
          {
            kind: 'ROUTE',
            startedAt: '2026-11-30T03:00:00.000Z',
            dueAt: '2026-12-01T03:00:00.000Z',
            state: expect.stringMatching(/^(ON_TRACK|AT_RISK|OVERDUE)$/),
            responsible: null,
          },
        ],
        history: [{ from: null, to: 'DETECTED', actor: 'system', reason: 'detected by VK source demo-vk' }],
        executor: null,
        repeatOf: null,
        publications: [],
      });
    });

    it('CaseOpened is published for it, on the organisation’s subject, with the message’s correlation id', async () => {
      const events = await workflow.readEvents<CaseOpenedV1>(
        eventFilter(workflow.prefix, CaseOpened),
        (found) => found.some((e) => e.data.caseId === caseId),
        `CaseOpened of case ${caseId}`,
      );
      const opened = events.find((e) => e.data.caseId === caseId);
      expect(opened).toMatchObject({
        type: 'case.opened',
        version: 1,
        organizationId: KALMANSKY,
        correlationId: accepted.correlationId,
        data: {
          caseId,
          messageId: accepted.data.messageId,
          status: 'DETECTED',
          routeDueAt: '2026-12-01T03:00:00.000Z',
        },
      });
    });

    it('the same message again opens no second case and announces nothing more', async () => {
      // Once more as it was (JetStream drops it as a duplicate), then as a new event about the same message.
      await workflow.publishMessageAccepted(KALMANSKY, accepted.data, accepted.eventId);
      const again = await workflow.publishMessageAccepted(KALMANSKY, accepted.data);
      await waitFor('the second event to be handled', async () =>
        (await workflow.handled(again.eventId)) ? true : undefined,
      );
      // A later message's CaseOpened comes after anything the second event could have announced.
      const marker = await workflow.publishMessageAccepted(KALMANSKY);
      const markerCase = await caseOfMessage(marker.data.messageId);
      const events = await workflow.readEvents<CaseOpenedV1>(
        eventFilter(workflow.prefix, CaseOpened),
        (found) => found.some((e) => e.data.caseId === markerCase.id),
        'CaseOpened of the marker case',
      );
      expect(events.filter((e) => e.data.messageId === accepted.data.messageId)).toHaveLength(1);
      const cases = await workflow.inScope(ALL_ORGS, () =>
        workflow.app.get(CaseRepository).findPage({}, undefined, 100),
      );
      expect(cases.filter(({ entity }) => entity.messageId === accepted.data.messageId)).toHaveLength(1);
    });

    it('the district official sees it in cases and case', async () => {
      const list = await workflow.graphql<Connection>(CASES, { filter: { organizationId: KALMANSKY } }, official);
      expect(list.data?.cases.edges.map((e) => e.node.id)).toContain(caseId);
      expect((await workflow.graphql<{ case: { id: string } }>(CASE, { id: caseId }, official)).data?.case.id).toBe(
        caseId,
      );
    });

    it('another organisation’s viewer gets null for case and nothing in cases', async () => {
      expect((await workflow.graphql(CASE, { id: caseId }, buranovskyOfficial)).data).toEqual({ case: null });
      const list = await workflow.graphql<Connection>(CASES, {}, buranovskyOfficial);
      expect(list.data?.cases).toMatchObject({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false } });
    });

    it('it is row-level security, not a WHERE: the repository in a buranovsky scope finds nothing', async () => {
      const repository = workflow.app.get(CaseRepository);
      const asBuranovsky = <T>(work: () => Promise<T>) => workflow.inScope(orgsScope([BURANOVSKY]), work);
      expect(await asBuranovsky(() => repository.findByIds([caseId]))).toEqual([]);
      expect(await asBuranovsky(() => repository.findPage({}, undefined, 100))).toEqual([]);
      expect(await asBuranovsky(() => repository.transitionsOf([caseId]))).toEqual([]);
      // The same calls in kalmansky's scope do find it.
      expect(
        (await workflow.inScope(orgsScope([KALMANSKY]), () => repository.findByIds([caseId]))).map((c) => c.id),
      ).toEqual([caseId]);
    });

    it('the gateway’s entity fetch (_entities) resolves the case for a viewer who may see it, null otherwise', async () => {
      const query = `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Case { id status } } }`;
      const representations = [
        { __typename: 'Case', id: caseId },
        { __typename: 'Case', id: randomUUID() },
      ];
      expect((await workflow.graphql(query, { representations }, official)).data).toEqual({
        _entities: [{ id: caseId, status: 'DETECTED' }, null],
      });
      expect((await workflow.graphql(query, { representations }, buranovskyOfficial)).data).toEqual({
        _entities: [null, null],
      });
    });

    it('history is append-only: the application role may not change or delete it', async () => {
      const tryTo = (sql: string) => workflow.inScope(ALL_ORGS, () => workflow.app.get(UnitOfWork).manager.query(sql));
      await expect(tryTo(`update workflow.case_transitions set reason = 'rewritten'`)).rejects.toThrow(
        /permission denied/,
      );
      await expect(tryTo('delete from workflow.case_transitions')).rejects.toThrow(/permission denied/);
    });
  });

  describe('case ids', () => {
    it('a malformed id is BAD_USER_INPUT', async () => {
      const answer = await workflow.graphql(CASE, { id: 'not-a-uuid' }, official);
      expect(answer.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('an id of no case is null', async () => {
      expect((await workflow.graphql(CASE, { id: randomUUID() }, official)).data).toEqual({ case: null });
    });
  });

  describe('the case list pages newest first (Relay connection)', () => {
    // Monday 4 March 2024: long past, so every ROUTE deadline here is OVERDUE whenever the test runs.
    const times = ['2024-03-04T09:00:00+07:00', '2024-03-04T10:00:00+07:00', '2024-03-04T11:00:00+07:00'];
    const ids: string[] = [];
    const filter = { organizationId: SHADRINSKY };

    beforeAll(async () => {
      for (const receivedAt of times) {
        const accepted = await workflow.publishMessageAccepted(SHADRINSKY, {
          receivedAt,
          sourceId: 'demo-webhook',
          platform: 'OTHER',
        });
        ids.push((await caseOfMessage(accepted.data.messageId)).id);
      }
    });

    it('first: 2, then after its endCursor: the third; totalCount 3 on both pages', async () => {
      const first = await workflow.graphql<Connection>(CASES, { filter, first: 2 }, official);
      expect(first.errors).toBeUndefined();
      expect(first.data?.cases.totalCount).toBe(3);
      expect(first.data?.cases.edges.map((e) => e.node.id)).toEqual([ids[2], ids[1]]);
      expect(first.data?.cases.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
      expect(first.data?.cases.pageInfo.startCursor).toBe(first.data?.cases.edges[0].cursor);

      const after = first.data?.cases.pageInfo.endCursor;
      const second = await workflow.graphql<Connection>(CASES, { filter, first: 2, after }, official);
      expect(second.data?.cases.totalCount).toBe(3);
      expect(second.data?.cases.edges.map((e) => e.node.id)).toEqual([ids[0]]);
      expect(second.data?.cases.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    });

    it('without first, a page is 20 cases at most; more than 100 is BAD_USER_INPUT', async () => {
      const all = await workflow.graphql<Connection>(CASES, { filter }, official);
      expect(all.data?.cases.edges).toHaveLength(3);
      const tooMany = await workflow.graphql(CASES, { filter, first: 101 }, official);
      expect(tooMany.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(tooMany.errors?.[0].message).toMatch(/first must be between 0 and 100/);
    });

    it('a malformed after is BAD_USER_INPUT', async () => {
      for (const after of ['garbage!', Buffer.from('["yesterday","x"]').toString('base64url')]) {
        const answer = await workflow.graphql(CASES, { filter, after }, official);
        expect(answer.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      }
    });

    it('filters by status', async () => {
      const routed = await workflow.graphql<Connection>(CASES, { filter: { ...filter, status: ['ROUTED'] } }, official);
      expect(routed.data?.cases.totalCount).toBe(0);
      const detected = await workflow.graphql<Connection>(
        CASES,
        { filter: { ...filter, status: ['DETECTED', 'ROUTED'] } },
        official,
      );
      expect(detected.data?.cases.totalCount).toBe(3);
    });

    it('a deadline past due reads OVERDUE', async () => {
      const answer = await workflow.graphql<{ case: CaseNode }>(CASE, { id: ids[0] }, official);
      expect(answer.data?.case.deadlines).toEqual([
        expect.objectContaining({ kind: 'ROUTE', dueAt: '2024-03-05T02:00:00.000Z', state: 'OVERDUE' }),
      ]);
    });

    it('the list batches its fields (STYLE.md §9): one lookup each for organisations, deadlines and histories', async () => {
      const spies = [
        jest.spyOn(workflow.app.get(OrganizationService), 'byIds'),
        jest.spyOn(workflow.app.get(DeadlineService), 'forCases'),
        jest.spyOn(workflow.app.get(CaseService), 'historyOf'),
      ];
      const answer = await workflow.graphql<{ cases: { edges: Array<{ node: CaseNode }> } }>(
        `query ($filter: CaseFilter) { cases(filter: $filter) { edges { node { ${CASE_FIELDS} } } } }`,
        { filter },
        official,
      );
      expect(answer.errors).toBeUndefined();
      const nodes = answer.data?.cases.edges.map((e) => e.node) ?? [];
      expect(nodes).toHaveLength(3);
      for (const node of nodes) {
        expect(node.organization.code).toBe('shadrinsky');
        expect(node.deadlines.map((d) => d.kind)).toEqual(['ROUTE']);
        expect(node.history.map((h) => h.reason)).toEqual(['detected by OTHER source demo-webhook']);
      }
      for (const spy of spies) {
        expect(spy).toHaveBeenCalledTimes(1);
        spy.mockRestore();
      }
    });
  });
});
