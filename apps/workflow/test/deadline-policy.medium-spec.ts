import type { Viewer } from '@otklik/auth';
import { DeadlineRescheduled, DeadlineRescheduledV1, eventFilter } from '@otklik/contracts';
import { demoOrganization } from '@otklik/demo';
import { ALL_ORGS, OrgScope } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';
import { createTestDatabase, testEventsPrefix, testNatsUrl, waitFor } from '@otklik/testing';
import { WorkflowUnderTest } from './workflow.harness';

const KALMANSKY = demoOrganization('kalmansky').id;
const BURANOVSKY = demoOrganization('buranovsky').id;

interface DeadlinePolicy {
  organizationId: string;
  routeHours: number;
  answerWorkingDays: number;
  finalWorkingDays: number;
  atRiskMinutes: number | null;
  atRiskShare: number | null;
  definedByOrganizationId: string | null;
  updatedBy: string | null;
  recomputedDeadlines: number | null;
}

interface StoredDeadline {
  due_at: Date;
  at_risk_at: Date;
  at_risk_fired_at: Date | null;
  breached_fired_at: Date | null;
}

const FIELDS =
  'organizationId routeHours answerWorkingDays finalWorkingDays atRiskMinutes atRiskShare definedByOrganizationId updatedBy recomputedDeadlines';
const POLICY = `query ($org: ID!) { deadlinePolicy(organizationId: $org) { ${FIELDS} } }`;
const SET = `mutation ($input: SetDeadlinePolicyInput!) { setDeadlinePolicy(input: $input) { ${FIELDS} } }`;
const WORKING_TIME =
  'query ($org: ID!, $kind: DeadlineKind!, $from: DateTime!) { workingTime(organizationId: $org, kind: $kind, from: $from) }';

const barnaul = (local: string) => new Date(`${local}+07:00`);
// A ROUTE deadline still ahead: detected Monday 15 November 2027 10:00 in Buranovsky (below the
// district). On the defaults it is due Tuesday 10:00, at risk from 08:00; with 4 working hours
// and a share of a half, due Monday 15:00 and at risk from 13:00 (2 of its 4 hours left).
const FUTURE_DETECTED = '2027-11-15T10:00:00';
// A ROUTE deadline long past: detected Monday 4 March 2024 09:00 in the district; both its timers
// have fired. On the defaults it was due Tuesday 09:00; with 4 working hours, Monday 14:00, at risk from 11:00.
const PAST_DETECTED = '2024-03-04T09:00:00';

describe('each organisation’s deadline policy (REQUIREMENTS "Deadlines": "each organisation may change its policy")', () => {
  let workflow: WorkflowUnderTest;
  let coordinator: Viewer;
  let official: Viewer;
  let buranovskyOfficial: Viewer;
  let futureCase: string;
  let pastCase: string;

  const policyOf = (org: string, viewer: Viewer) =>
    workflow.graphql<{ deadlinePolicy: DeadlinePolicy }>(POLICY, { org }, viewer);
  const set = (input: Record<string, unknown>, viewer: Viewer = coordinator) =>
    workflow.graphql<{ setDeadlinePolicy: DeadlinePolicy }>(SET, { input }, viewer);
  const query = <T>(sql: string, parameters: unknown[] = [], scope: OrgScope = ALL_ORGS) =>
    workflow.inScope(scope, () => workflow.app.get(UnitOfWork).manager.query<T>(sql, parameters));
  const routeOf = async (caseId: string) =>
    (
      await query<StoredDeadline[]>(
        `select due_at, at_risk_at, at_risk_fired_at, breached_fired_at from workflow.deadlines
          where case_id = $1 and kind = 'ROUTE'`,
        [caseId],
      )
    )[0];
  const openCase = async (organizationId: string, detected: string) => {
    const receivedAt = barnaul(detected).toISOString();
    const accepted = await workflow.publishMessageAccepted(organizationId, { receivedAt, postedAt: receivedAt });
    return waitFor(`a case for message ${accepted.data.messageId}`, async () => {
      const [row] = await query<Array<{ id: string }>>('select id from workflow.cases where message_id = $1', [
        accepted.data.messageId,
      ]);
      return row?.id;
    });
  };

  beforeAll(async () => {
    workflow = await WorkflowUnderTest.start({
      database: await createTestDatabase('wf_deadline_policy'),
      eventsPrefix: testEventsPrefix(),
      natsUrl: testNatsUrl(),
    });
    coordinator = await workflow.viewer('coordinator');
    official = await workflow.viewer('official');
    buranovskyOfficial = await workflow.viewer('buranovsky.official');
    futureCase = await openCase(BURANOVSKY, FUTURE_DETECTED);
    pastCase = await openCase(KALMANSKY, PAST_DETECTED);
    await waitFor('both timers of the past deadline fired', async () => {
      const route = await routeOf(pastCase);
      return route.at_risk_fired_at && route.breached_fired_at ? true : undefined;
    });
    // As if both timers had fired under an earlier, shorter policy.
    await query(
      `update workflow.deadlines set at_risk_fired_at = now(), breached_fired_at = now() where case_id = $1`,
      [futureCase],
    );
  }, 60_000);
  afterAll(async () => {
    await workflow?.stop();
  });

  describe('deadlinePolicy: any viewer who can see the organisation', () => {
    it('without a policy anywhere, the defaults: 8 h, 1 and 7 working days, at risk under 120 minutes', async () => {
      const answer = await policyOf(BURANOVSKY, buranovskyOfficial);
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.deadlinePolicy).toEqual({
        organizationId: BURANOVSKY,
        routeHours: 8,
        answerWorkingDays: 1,
        finalWorkingDays: 7,
        atRiskMinutes: 120,
        atRiskShare: null,
        definedByOrganizationId: null,
        updatedBy: null,
        recomputedDeadlines: null,
      });
    });

    it('an organisation the viewer may not see is NOT_FOUND', async () => {
      const answer = await policyOf(KALMANSKY, buranovskyOfficial);
      expect(answer.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    });
  });

  describe('setDeadlinePolicy: a COORDINATOR only, validated, recomputing the open deadlines', () => {
    it('an OFFICIAL may not set a policy: FORBIDDEN, and nothing changes', async () => {
      const answer = await set({ organizationId: KALMANSKY, routeHours: 4 }, official);
      expect(answer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect((await policyOf(KALMANSKY, official)).data?.deadlinePolicy.routeHours).toBe(8);
    });

    it('invalid settings are BAD_USER_INPUT naming each one, and nothing is stored', async () => {
      const answer = await set({ organizationId: KALMANSKY, routeHours: 0, atRiskShare: 1.5 });
      expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(answer.errors?.[0]?.message).toContain('routeHours: 0 is not more than 0');
      expect(answer.errors?.[0]?.message).toContain('atRiskShare: 1.5 is not a share between 0 and 1');

      const both = await set({ organizationId: KALMANSKY, atRiskMinutes: 60, atRiskShare: 0.25 });
      expect(both.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(both.errors?.[0]?.message).toContain('atRiskShare: give either atRiskMinutes or atRiskShare, not both');

      const unknown = await set({ organizationId: '0b6f4a5e-0000-4000-8000-00000000ffff', routeHours: 4 });
      expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(await query('select 1 from workflow.deadline_policies')).toEqual([]);
    });

    it('the district’s policy is stored, answered with the deadlines it moved, and followed by the sel’sovet below', async () => {
      const answer = await set({ organizationId: KALMANSKY, routeHours: 4, atRiskShare: 0.5 });
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.setDeadlinePolicy).toMatchObject({
        organizationId: KALMANSKY,
        routeHours: 4,
        answerWorkingDays: 1,
        finalWorkingDays: 7,
        atRiskMinutes: null,
        atRiskShare: 0.5,
        definedByOrganizationId: KALMANSKY,
        updatedBy: 'coordinator',
      });
      expect(answer.data?.setDeadlinePolicy.recomputedDeadlines).toBeGreaterThanOrEqual(2);

      const inherited = await policyOf(BURANOVSKY, buranovskyOfficial);
      expect(inherited.data?.deadlinePolicy).toMatchObject({
        organizationId: BURANOVSKY,
        routeHours: 4,
        atRiskShare: 0.5,
        definedByOrganizationId: KALMANSKY,
      });
      const due = await workflow.graphql<{ workingTime: string }>(
        WORKING_TIME,
        { org: BURANOVSKY, kind: 'ROUTE', from: barnaul(FUTURE_DETECTED).toISOString() },
        buranovskyOfficial,
      );
      expect(due.data?.workingTime).toBe(barnaul('2027-11-15T15:00:00').toISOString());
    });

    it('an open deadline ahead moved, and its fired timers were re-armed: no longer at risk, not past due', async () => {
      expect(await routeOf(futureCase)).toEqual({
        due_at: barnaul('2027-11-15T15:00:00'),
        at_risk_at: barnaul('2027-11-15T13:00:00'),
        at_risk_fired_at: null,
        breached_fired_at: null,
      });
    });

    it('a deadline long past moved too, and keeps its fired timers: they would fire again at once', async () => {
      const route = await routeOf(pastCase);
      expect([route.due_at, route.at_risk_at]).toEqual([
        barnaul('2024-03-04T14:00:00'),
        barnaul('2024-03-04T11:00:00'),
      ]);
      expect(route.at_risk_fired_at).not.toBeNull();
      expect(route.breached_fired_at).not.toBeNull();
    });

    it('each moved due moment is announced as deadline.rescheduled (reason POLICY) on its organisation’s subject', async () => {
      const events = await workflow.readEvents<DeadlineRescheduledV1>(
        eventFilter(workflow.prefix, DeadlineRescheduled),
        (seen) => [futureCase, pastCase].every((id) => seen.some((e) => e.data.caseId === id)),
        'deadline.rescheduled of both cases',
      );
      expect(events.find((e) => e.data.caseId === futureCase)).toMatchObject({
        organizationId: BURANOVSKY,
        data: {
          kind: 'ROUTE',
          previousDueAt: barnaul('2027-11-16T10:00:00').toISOString(),
          dueAt: barnaul('2027-11-15T15:00:00').toISOString(),
          reason: 'POLICY',
        },
      });
      expect(events.find((e) => e.data.caseId === pastCase)).toMatchObject({
        organizationId: KALMANSKY,
        data: { previousDueAt: barnaul('2024-03-05T09:00:00').toISOString(), reason: 'POLICY' },
      });
    });

    it('the change is audited: no policy of its own before, the whole policy after, the login', async () => {
      expect(
        await query(
          `select organization_id, previous, policy, changed_by from workflow.deadline_policy_changes order by changed_at`,
        ),
      ).toEqual([
        {
          organization_id: KALMANSKY,
          previous: null,
          policy: { routeHours: 4, answerWorkingDays: 1, finalWorkingDays: 7, atRiskShare: 0.5 },
          changed_by: 'coordinator',
        },
      ]);
    });
  });

  describe('a sub-organisation’s own policy', () => {
    it('the district’s coordinator sets the sel’sovet’s; only the sel’sovet’s deadlines move', async () => {
      const answer = await set({ organizationId: BURANOVSKY, atRiskMinutes: 30 });
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.setDeadlinePolicy).toMatchObject({
        routeHours: 4,
        atRiskMinutes: 30,
        atRiskShare: null,
        definedByOrganizationId: BURANOVSKY,
        recomputedDeadlines: 1,
      });
      expect(await routeOf(futureCase)).toMatchObject({
        due_at: barnaul('2027-11-15T15:00:00'),
        at_risk_at: barnaul('2027-11-15T14:30:00'),
      });
    });

    it('a later change of the district’s policy no longer reaches the sel’sovet', async () => {
      const answer = await set({ organizationId: KALMANSKY, routeHours: 6 });
      expect(answer.errors).toBeUndefined();
      expect((await routeOf(pastCase)).due_at).toEqual(barnaul('2024-03-04T16:00:00'));
      expect((await routeOf(futureCase)).due_at).toEqual(barnaul('2027-11-15T15:00:00'));
      const [latest] = await query<Array<{ previous: object }>>(
        `select previous from workflow.deadline_policy_changes where organization_id = $1
          order by changed_at desc limit 1`,
        [KALMANSKY],
      );
      expect(latest.previous).toEqual({ routeHours: 4, answerWorkingDays: 1, finalWorkingDays: 7, atRiskShare: 0.5 });
    });
  });

  describe('in the database', () => {
    it('row-level security: a sel’sovet’s scope sees its own policy and audit rows only', async () => {
      const scope: OrgScope = { kind: 'orgs', ids: [BURANOVSKY] };
      expect(await query('select organization_id from workflow.deadline_policies', [], scope)).toEqual([
        { organization_id: BURANOVSKY },
      ]);
      const changes = await query<Array<{ organization_id: string }>>(
        'select organization_id from workflow.deadline_policy_changes',
        [],
        scope,
      );
      expect(changes.map((c) => c.organization_id)).toEqual([BURANOVSKY]);
    });

    it('the audit is append-only: the application may not update or delete it', async () => {
      await expect(query(`update workflow.deadline_policy_changes set changed_by = 'someone else'`)).rejects.toThrow(
        /permission denied/,
      );
      await expect(query('delete from workflow.deadline_policy_changes')).rejects.toThrow(/permission denied/);
    });
  });
});
