import { demoOrganization } from '@otklik/demo';
import { createTestDatabase, testEventsPrefix, testNatsUrl } from '@otklik/testing';
import { WorkflowUnderTest } from './workflow.harness';

const KALMANSKY = demoOrganization('kalmansky').id;
const QUERY =
  'query ($org: ID!, $kind: DeadlineKind!, $from: DateTime!) { workingTime(organizationId: $org, kind: $kind, from: $from) }';

describe('workingTime: the deadlines of REQUIREMENTS "Deadlines", on the district’s calendar (Asia/Barnaul)', () => {
  let workflow: WorkflowUnderTest;

  beforeAll(async () => {
    workflow = await WorkflowUnderTest.start({
      database: await createTestDatabase('wf_working_time'),
      eventsPrefix: testEventsPrefix(),
      natsUrl: testNatsUrl(),
    });
  });
  afterAll(async () => {
    await workflow?.stop();
  });

  const due = async (kind: string, from: string, login = 'official', org = KALMANSKY) =>
    workflow.graphql<{ workingTime: string }>(QUERY, { org, kind, from }, await workflow.viewer(login));

  it.each([
    ['ROUTE (cl. 5): Monday 10:00 → Tuesday 10:00', 'ROUTE', '2026-11-30T10:00:00+07:00', '2026-12-01T10:00:00+07:00'],
    ['ROUTE: Friday 15:00 → Monday 15:00', 'ROUTE', '2026-11-27T15:00:00+07:00', '2026-11-30T15:00:00+07:00'],
    [
      'ROUTE: detected on Sunday night counts from Monday 08:00',
      'ROUTE',
      '2026-11-29T23:00:00+07:00',
      '2026-11-30T17:00:00+07:00',
    ],
    ['ROUTE across the New Year holidays', 'ROUTE', '2026-12-30T15:00:00+07:00', '2027-01-11T15:00:00+07:00'],
    [
      'DRAFT (cl. 7): assigned in working hours → end of that day',
      'DRAFT',
      '2026-11-30T10:00:00+07:00',
      '2026-11-30T17:00:00+07:00',
    ],
    [
      'DRAFT: assigned after 17:00 → end of the next working day',
      'DRAFT',
      '2026-11-30T17:30:00+07:00',
      '2026-12-01T17:00:00+07:00',
    ],
    [
      'DRAFT: assigned on the shortened 8 May 2026 → 16:00',
      'DRAFT',
      '2026-05-08T09:00:00+07:00',
      '2026-05-08T16:00:00+07:00',
    ],
    [
      'ANSWER (cl. 6): end of the first working day after registration',
      'ANSWER',
      '2026-11-27T11:00:00+07:00',
      '2026-11-30T17:00:00+07:00',
    ],
    [
      'ANSWER: registered on 31 December 2025 (a day off) → 12 January 2026',
      'ANSWER',
      '2025-12-31T10:00:00+07:00',
      '2026-01-12T17:00:00+07:00',
    ],
    [
      'ANSWER: registered 31 October 2025 → the working, shortened Saturday 1 November, 16:00',
      'ANSWER',
      '2025-10-31T10:00:00+07:00',
      '2025-11-01T16:00:00+07:00',
    ],
    [
      'FINAL (cl. 8): end of the 7th working day after the interim answer',
      'FINAL',
      '2026-11-27T11:00:00+07:00',
      '2026-12-08T17:00:00+07:00',
    ],
  ])('%s', async (_rule, kind, from, expected) => {
    const answer = await due(kind, from);
    expect(answer.errors).toBeUndefined();
    expect(new Date(answer.data?.workingTime ?? '').toISOString()).toBe(new Date(expected).toISOString());
  });

  it('a year with no production calendar loaded is BAD_USER_INPUT naming the year, not a guess', async () => {
    const answer = await due('ROUTE', '2030-03-04T10:00:00+07:00');
    expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(answer.errors?.[0]?.message).toContain('2030');
  });

  it('an organisation the viewer may not see is NOT_FOUND', async () => {
    const answer = await due('ROUTE', '2026-11-30T10:00:00+07:00', 'buranovsky.official');
    expect(answer.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
