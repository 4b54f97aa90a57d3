import {
  DeadlineAtRisk,
  DeadlineAtRiskV1,
  DeadlineBreached,
  DeadlineBreachedV1,
  EventEnvelope,
  eventFilter,
} from '@otklik/contracts';
import { demoOrganization } from '@otklik/demo';
import { ALL_ORGS } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';
import { createTestDatabase, testEventsPrefix, testNatsUrl, waitFor } from '@otklik/testing';
import { CaseRepository } from '../src/cases/case.repository';
import { DeadlineTimers } from '../src/deadlines/deadline.timers';
import { TestInfrastructure, WorkflowUnderTest } from './workflow.harness';

const ORGANIZATIONS = [demoOrganization('kalmansky').id, demoOrganization('buranovsky').id];
const DEADLINES = 50;
const MONDAY_0900 = Date.parse('2024-03-04T09:00:00+07:00');

/** How many events each case has, by case id. */
function countByCase(events: Array<EventEnvelope<{ caseId: string }>>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e.data.caseId, (counts.get(e.data.caseId) ?? 0) + 1);
  return counts;
}

describe('deadline timers: deadline.at_risk and deadline.breached fire once per deadline across replicas and restarts', () => {
  let infrastructure: TestInfrastructure;
  let first: WorkflowUnderTest;
  let second: WorkflowUnderTest | undefined;
  /** Case id → its organisation, for the cases opened here. */
  const cases = new Map<string, string>();

  const atRiskEvents = () => first.eventsSoFar<DeadlineAtRiskV1>(eventFilter(first.prefix, DeadlineAtRisk));
  const breachedEvents = () => first.eventsSoFar<DeadlineBreachedV1>(eventFilter(first.prefix, DeadlineBreached));

  /** Once every timer of these cases has fired and the outbox has published it all. */
  const settled = () =>
    waitFor(
      'every deadline of the cases fired both timers and the outbox drained',
      async () => {
        const [row] = await first.inScope(ALL_ORGS, () =>
          first.app.get(UnitOfWork).manager.query<Array<{ pending: number; outbox: number }>>(
            `select (select count(*)::int from workflow.deadlines
                      where case_id = any($1::uuid[]) and (at_risk_fired_at is null or breached_fired_at is null)) as pending,
                    (select count(*)::int from workflow.outbox) as outbox`,
            [[...cases.keys()]],
          ),
        );
        return row.pending === 0 && row.outbox === 0 ? true : undefined;
      },
      30_000,
    );

  beforeAll(async () => {
    infrastructure = {
      database: await createTestDatabase('wf_timers'),
      eventsPrefix: testEventsPrefix(),
      natsUrl: testNatsUrl(),
    };
    first = await WorkflowUnderTest.start(infrastructure);
    second = await first.replica();

    // Messages received on Monday 4 March 2024: each ROUTE deadline is long past its at-risk
    // moment and its due moment, so both timers are due as soon as the case opens.
    const accepted = [];
    for (let i = 0; i < DEADLINES; i++) {
      const receivedAt = new Date(MONDAY_0900 + i * 60_000).toISOString();
      accepted.push(await first.publishMessageAccepted(ORGANIZATIONS[i % 2], { receivedAt }));
    }
    const messageIds = new Set(accepted.map((a) => a.data.messageId));
    const opened = await waitFor(`${DEADLINES} cases opened`, async () => {
      const found = (await first.inScope(ALL_ORGS, () => first.app.get(CaseRepository).findPage({}, undefined, 100)))
        .map((row) => row.entity)
        .filter((c) => messageIds.has(c.messageId));
      return found.length === DEADLINES ? found : undefined;
    });
    for (const c of opened) cases.set(c.id, c.organizationId);
  }, 60_000);

  afterAll(async () => {
    await second?.stop();
    await first?.stop();
  });

  it('two replicas together fire exactly one deadline.at_risk and one deadline.breached per deadline', async () => {
    await settled();
    const atRisk = await atRiskEvents();
    const breached = await breachedEvents();
    const ours = (events: Array<EventEnvelope<{ caseId: string }>>) => events.filter((e) => cases.has(e.data.caseId));

    for (const events of [ours(atRisk), ours(breached)]) {
      const counts = countByCase(events);
      expect(counts.size).toBe(DEADLINES);
      expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
    }
  });

  it('each event is on its deadline’s organisation’s subject and describes the ROUTE deadline', async () => {
    const [atRisk, breached] = [await atRiskEvents(), await breachedEvents()];
    for (const [type, events] of [
      ['deadline.at_risk', atRisk],
      ['deadline.breached', breached],
    ] as const) {
      for (const event of events.filter((e) => cases.has(e.data.caseId))) {
        expect(event).toMatchObject({ type, version: 1, organizationId: cases.get(event.data.caseId) });
        expect(event.data).toEqual({
          deadlineId: expect.any(String),
          caseId: event.data.caseId,
          kind: 'ROUTE',
          dueAt: expect.stringMatching(/^2024-03-0[45]T/),
          firedAt: expect.any(String),
        });
        expect(Date.parse(event.data.firedAt)).toBeGreaterThan(Date.parse(event.data.dueAt));
      }
    }
  });

  it('after a replica stops and starts again, nothing fires a second time', async () => {
    await second?.stop();
    second = undefined;
    second = await first.replica();
    // What the restarted replica's loop does on each tick, run here to see its result.
    expect(await second.app.get(DeadlineTimers).fireDue()).toEqual({ atRisk: 0, breached: 0 });
    expect(await first.app.get(DeadlineTimers).fireDue()).toEqual({ atRisk: 0, breached: 0 });
    await settled();

    for (const events of [await atRiskEvents(), await breachedEvents()]) {
      const counts = countByCase(events.filter((e) => cases.has(e.data.caseId)));
      expect(counts.size).toBe(DEADLINES);
      expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
    }
  });
});
