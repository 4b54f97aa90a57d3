import type { Viewer } from '@otklik/auth';
import { bundledYears } from '@otklik/calendar';
import { DeadlineRescheduled, DeadlineRescheduledV1, EventEnvelope, eventFilter } from '@otklik/contracts';
import { demoOrganization } from '@otklik/demo';
import { ALL_ORGS } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';
import { createTestDatabase, testEventsPrefix, testNatsUrl, waitFor } from '@otklik/testing';
import { RESCHEDULE_BATCH } from '../src/deadlines/deadline.repository';
import { WorkflowUnderTest } from './workflow.harness';

const KALMANSKY = demoOrganization('kalmansky').id;
const LOAD =
  'mutation ($input: LoadWorkingCalendarYearInput!) { loadWorkingCalendarYear(input: $input) { recomputedDeadlines } }';

const barnaul = (local: string) => new Date(`${local}+07:00`);
const bundled2027 = bundledYears.find((y) => y.year === 2027);
/** The decree corrected: Saturday 13 November 2027 becomes a working day. */
const corrected2027 = {
  ...bundled2027,
  workingWeekends: [...(bundled2027?.workingWeekends ?? []), '2027-11-13'],
  totals: { workingDays: 248, nonWorkingDays: 117 },
};
// Friday 12 November 2027 15:00: ROUTE due Monday 15 November 15:00 on the bundled calendar,
// Saturday 13 November 15:00 on the corrected one (at risk from 13:00).
const FRIDAY = barnaul('2027-11-12T15:00:00');
// Wednesday 10 November 2027 10:00: ROUTE due Thursday 11 November 10:00 on either calendar.
const WEDNESDAY = barnaul('2027-11-10T10:00:00');
/** More than one batch of the rescheduling UPDATE. */
const MANY = RESCHEDULE_BATCH + 500;

interface StoredDeadline {
  due_at: Date;
  at_risk_at: Date;
  at_risk_fired_at: Date | null;
  breached_fired_at: Date | null;
}

describe('recomputing open deadlines after a calendar change: batched, only what moves, announced (docs/deadlines.md)', () => {
  let workflow: WorkflowUnderTest;
  let coordinator: Viewer;
  let recomputed: number | undefined;
  let events: Array<EventEnvelope<DeadlineRescheduledV1>>;

  const query = <T>(sql: string, parameters: unknown[] = []) =>
    workflow.inScope(ALL_ORGS, () => workflow.app.get(UnitOfWork).manager.query<T>(sql, parameters));
  /** Open ROUTE deadlines of new cases of the district, started at `startedAt` with the bundled calendar's moments. */
  const insertDeadlines = async (count: number, startedAt: Date, dueAt: Date, atRiskAt: Date, fired: boolean) => {
    const rows = await query<Array<{ case_id: string }>>(
      `with c as (
         insert into workflow.cases (id, organization_id, message_id, source_id, platform, status, detected_at)
         select gen_random_uuid(), $1, gen_random_uuid(), 'test', 'VK', 'DETECTED', $2
           from generate_series(1, $3::int)
         returning id)
       insert into workflow.deadlines
         (id, case_id, organization_id, kind, started_at, due_at, state, at_risk_at, at_risk_fired_at, breached_fired_at)
       select gen_random_uuid(), c.id, $1, 'ROUTE', $2, $4, 'ON_TRACK', $5,
              case when $6 then now() end, case when $6 then now() end
         from c
       returning case_id`,
      [KALMANSKY, startedAt, count, dueAt, atRiskAt, fired],
    );
    return rows.map((r) => r.case_id);
  };
  const routeOf = async (caseId: string) =>
    (
      await query<StoredDeadline[]>(
        'select due_at, at_risk_at, at_risk_fired_at, breached_fired_at from workflow.deadlines where case_id = $1',
        [caseId],
      )
    )[0];

  let moved: string[];
  let untouched: string;

  beforeAll(async () => {
    workflow = await WorkflowUnderTest.start({
      database: await createTestDatabase('wf_rescheduled'),
      eventsPrefix: testEventsPrefix(),
      natsUrl: testNatsUrl(),
    });
    coordinator = await workflow.viewer('coordinator');
    // Both timers marked fired, as if under an earlier calendar: the moved ones must be re-armed,
    // the untouched one must keep its marks (it is not rewritten at all).
    moved = await insertDeadlines(MANY, FRIDAY, barnaul('2027-11-15T15:00:00'), barnaul('2027-11-15T13:00:00'), true);
    [untouched] = await insertDeadlines(
      1,
      WEDNESDAY,
      barnaul('2027-11-11T10:00:00'),
      barnaul('2027-11-11T08:00:00'),
      true,
    );

    const answer = await workflow.graphql<{ loadWorkingCalendarYear: { recomputedDeadlines: number } }>(
      LOAD,
      { input: { year: 2027, data: JSON.stringify(corrected2027), reason: 'decree amended: 13 November is working' } },
      coordinator,
    );
    expect(answer.errors).toBeUndefined();
    recomputed = answer.data?.loadWorkingCalendarYear.recomputedDeadlines;
    events = await workflow.readEvents<DeadlineRescheduledV1>(
      eventFilter(workflow.prefix, DeadlineRescheduled),
      (seen) => seen.length >= MANY,
      `${MANY} deadline.rescheduled`,
      // Thousands of events through the relay, with the other test files loading the same machine.
      90_000,
    );
    // Anything beyond MANY would be a deadline announced twice or one that did not move.
    await waitFor(
      'the outbox drained',
      async () => {
        const [{ n }] = await query<Array<{ n: number }>>('select count(*)::int n from workflow.outbox');
        return n === 0 ? true : undefined;
      },
      30_000,
    );
  }, 180_000);
  afterAll(async () => {
    await workflow?.stop();
  });

  it('the answer counts the deadlines whose moments moved, across more than one batch, and no other', () => {
    expect(recomputed).toBe(MANY);
  });

  it('each moved deadline has its new moments, and its fired timers are re-armed (no longer at risk, not past due)', async () => {
    const rows = await query<Array<StoredDeadline & { n: number }>>(
      `select due_at, at_risk_at, at_risk_fired_at, breached_fired_at, count(*)::int n
         from workflow.deadlines where case_id = any($1::uuid[])
        group by 1, 2, 3, 4`,
      [moved],
    );
    expect(rows).toEqual([
      {
        due_at: barnaul('2027-11-13T15:00:00'),
        at_risk_at: barnaul('2027-11-13T13:00:00'),
        at_risk_fired_at: null,
        breached_fired_at: null,
        n: MANY,
      },
    ]);
  });

  it('a deadline the change does not move is not rewritten: its timers keep their marks', async () => {
    const route = await routeOf(untouched);
    expect(route.due_at).toEqual(barnaul('2027-11-11T10:00:00'));
    expect(route.at_risk_fired_at).not.toBeNull();
    expect(route.breached_fired_at).not.toBeNull();
  });

  it('each moved deadline is announced once as deadline.rescheduled, reason CALENDAR, with both due moments', async () => {
    const all = await workflow.eventsSoFar<DeadlineRescheduledV1>(eventFilter(workflow.prefix, DeadlineRescheduled));
    expect(all).toHaveLength(MANY);
    expect(new Set(events.map((e) => e.data.caseId))).toEqual(new Set(moved));
    expect(events[0]).toMatchObject({
      organizationId: KALMANSKY,
      data: {
        kind: 'ROUTE',
        previousDueAt: barnaul('2027-11-15T15:00:00').toISOString(),
        dueAt: barnaul('2027-11-13T15:00:00').toISOString(),
        reason: 'CALENDAR',
      },
    });
  });
});
