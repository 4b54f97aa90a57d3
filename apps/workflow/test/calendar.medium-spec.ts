import type { Viewer } from '@otklik/auth';
import { bundledYears } from '@otklik/calendar';
import { demoOrganization } from '@otklik/demo';
import { ALL_ORGS } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';
import { createTestDatabase, testEventsPrefix, testNatsUrl, waitFor } from '@otklik/testing';
import { CaseRepository } from '../src/cases/case.repository';
import { WorkflowUnderTest } from './workflow.harness';

const KALMANSKY = demoOrganization('kalmansky').id;
const BURANOVSKY = demoOrganization('buranovsky').id;

interface WorkingCalendarYear {
  year: number;
  source: string;
  loadedBy: string | null;
  loadedAt: string | null;
  timeZone: string | null;
  days: Array<{ date: string; kind: string; workingHours: number }>;
  workingDays: number;
  recomputedDeadlines: number | null;
}

const YEAR_FIELDS =
  'year source loadedBy loadedAt timeZone days { date kind workingHours } workingDays recomputedDeadlines';
const WORKING_CALENDAR = `query ($org: ID!, $year: Int!) { workingCalendar(organizationId: $org, year: $year) { ${YEAR_FIELDS} } }`;
const LOAD = `mutation ($input: LoadWorkingCalendarYearInput!) { loadWorkingCalendarYear(input: $input) { ${YEAR_FIELDS} } }`;
const WORKING_TIME =
  'query ($org: ID!, $kind: DeadlineKind!, $from: DateTime!) { workingTime(organizationId: $org, kind: $kind, from: $from) }';
const CASE_DEADLINES = 'query ($id: ID!) { case(id: $id) { deadlines { kind startedAt dueAt } } }';

const bundled2027 = bundledYears.find((y) => y.year === 2027);
/** The decree corrected: Saturday 13 November 2027 becomes a working day (one more working day in the year). */
const corrected2027 = {
  ...bundled2027,
  workingWeekends: [...(bundled2027?.workingWeekends ?? []), '2027-11-13'],
  totals: { workingDays: 248, nonWorkingDays: 117 },
};
// Friday 12 November 2027, 15:00 in Barnaul: ROUTE (8 working hours) is due Monday 15 November
// 15:00 on the bundled calendar, and Saturday 13 November 15:00 once that Saturday is working.
const FRIDAY_AFTERNOON = '2027-11-12T15:00:00+07:00';
const DUE_BUNDLED = new Date('2027-11-15T15:00:00+07:00').toISOString();
const DUE_CORRECTED = new Date('2027-11-13T15:00:00+07:00').toISOString();

describe('the working calendar is data, one year at a time (REQUIREMENTS "Deadlines")', () => {
  let workflow: WorkflowUnderTest;
  let coordinator: Viewer;
  let official: Viewer;

  const calendarOf = (year: number, viewer: Viewer, org = KALMANSKY) =>
    workflow.graphql<{ workingCalendar: WorkingCalendarYear }>(WORKING_CALENDAR, { org, year }, viewer);
  const load = (input: { year: number; data: string; reason: string }, viewer: Viewer) =>
    workflow.graphql<{ loadWorkingCalendarYear: WorkingCalendarYear }>(LOAD, { input }, viewer);
  const routeDueFrom = async (from: string) =>
    new Date(
      (await workflow.graphql<{ workingTime: string }>(WORKING_TIME, { org: KALMANSKY, kind: 'ROUTE', from }, official))
        .data?.workingTime ?? '',
    ).toISOString();

  beforeAll(async () => {
    workflow = await WorkflowUnderTest.start({
      database: await createTestDatabase('wf_calendar'),
      eventsPrefix: testEventsPrefix(),
      natsUrl: testNatsUrl(),
    });
    coordinator = await workflow.viewer('coordinator');
    official = await workflow.viewer('official');
  });
  afterAll(async () => {
    await workflow?.stop();
  });

  describe('workingCalendar: a year of the calendar in use, on the organisation’s clock', () => {
    it('2026 (bundled) has 247 working days; 8 May 2026 is shortened to 7 working hours', async () => {
      const answer = await calendarOf(2026, official);
      expect(answer.errors).toBeUndefined();
      const year = answer.data?.workingCalendar;
      expect(year).toMatchObject({ year: 2026, loadedBy: null, timeZone: 'Asia/Barnaul', workingDays: 247 });
      expect(year?.recomputedDeadlines).toBeNull();
      expect(year?.days).toHaveLength(365);
      expect(year?.days.find((d) => d.date === '2026-05-08')).toEqual({
        date: '2026-05-08',
        kind: 'SHORTENED',
        workingHours: 7,
      });
      expect(year?.days.find((d) => d.date === '2026-01-01')).toMatchObject({ kind: 'HOLIDAY', workingHours: 0 });
      expect(year?.days.find((d) => d.date === '2026-05-12')).toMatchObject({ kind: 'WORKING', workingHours: 8 });
    });

    it('a year with no calendar is BAD_USER_INPUT naming it', async () => {
      const answer = await calendarOf(2030, official);
      expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(answer.errors?.[0]?.message).toContain('2030');
    });

    it('an organisation the viewer may not see is NOT_FOUND', async () => {
      const answer = await calendarOf(2026, await workflow.viewer('buranovsky.official'), KALMANSKY);
      expect(answer.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      const own = await calendarOf(2026, await workflow.viewer('buranovsky.official'), BURANOVSKY);
      expect(own.errors).toBeUndefined();
    });
  });

  describe('loadWorkingCalendarYear: a coordinator loads a corrected 2027', () => {
    let caseId: string;

    beforeAll(async () => {
      // An open case whose ROUTE deadline started on the Friday before the corrected Saturday.
      const accepted = await workflow.publishMessageAccepted(KALMANSKY, {
        receivedAt: FRIDAY_AFTERNOON,
        postedAt: FRIDAY_AFTERNOON,
      });
      caseId = (
        await waitFor(`a case for message ${accepted.data.messageId}`, async () =>
          (await workflow.inScope(ALL_ORGS, () => workflow.app.get(CaseRepository).findPage({}, undefined, 100)))
            .map((row) => row.entity)
            .find((c) => c.messageId === accepted.data.messageId),
        )
      ).id;
    });

    const routeDueOfCase = async () => {
      const answer = await workflow.graphql<{ case: { deadlines: Array<{ kind: string; dueAt: string }> } }>(
        CASE_DEADLINES,
        { id: caseId },
        official,
      );
      return answer.data?.case.deadlines.find((d) => d.kind === 'ROUTE')?.dueAt;
    };

    it('before: the bundled 2027 puts the ROUTE due on Monday', async () => {
      expect(await routeDueFrom(FRIDAY_AFTERNOON)).toBe(DUE_BUNDLED);
      expect(await routeDueOfCase()).toBe(DUE_BUNDLED);
    });

    it('an OFFICIAL may not load a year: FORBIDDEN', async () => {
      const answer = await load({ year: 2027, data: JSON.stringify(corrected2027), reason: 'test' }, official);
      expect(answer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });

    it('invalid data is BAD_USER_INPUT listing every problem, and nothing changes', async () => {
      const invalid = {
        ...corrected2027,
        holidays: [...(corrected2027.holidays ?? []), '2026-12-31'],
        workingWeekends: ['2027-11-15'],
      };
      const answer = await load({ year: 2027, data: JSON.stringify(invalid), reason: 'test' }, coordinator);
      expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(answer.errors?.[0]?.message).toContain('holidays: 2026-12-31 is not in 2027');
      expect(answer.errors?.[0]?.message).toContain('workingWeekends: 2027-11-15 is not a Saturday or Sunday');

      const mismatch = await load({ year: 2028, data: JSON.stringify(corrected2027), reason: 'test' }, coordinator);
      expect(mismatch.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(mismatch.errors?.[0]?.message).toContain('the input says 2028 but data.year is 2027');

      const notJson = await load({ year: 2027, data: '{', reason: 'test' }, coordinator);
      expect(notJson.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(await routeDueFrom(FRIDAY_AFTERNOON)).toBe(DUE_BUNDLED);
    });

    it('the corrected year is stored, answered with the open deadlines it recomputed, and used at once', async () => {
      const answer = await load(
        { year: 2027, data: JSON.stringify(corrected2027), reason: 'decree amended: 13 November is working' },
        coordinator,
      );
      expect(answer.errors).toBeUndefined();
      const loaded = answer.data?.loadWorkingCalendarYear;
      expect(loaded).toMatchObject({ year: 2027, loadedBy: 'coordinator', workingDays: 248, timeZone: null });
      expect(loaded?.recomputedDeadlines).toBeGreaterThanOrEqual(1);
      expect(loaded?.days.find((d) => d.date === '2027-11-13')).toEqual({
        date: '2027-11-13',
        kind: 'WORKING',
        workingHours: 8,
      });

      const shown = await calendarOf(2027, official);
      expect(shown.data?.workingCalendar).toMatchObject({ year: 2027, loadedBy: 'coordinator', workingDays: 248 });
      expect(shown.data?.workingCalendar.loadedAt).not.toBeNull();
      expect(shown.data?.workingCalendar.days.find((d) => d.date === '2027-11-13')?.kind).toBe('WORKING');

      expect(await routeDueFrom(FRIDAY_AFTERNOON)).toBe(DUE_CORRECTED);
      expect(await routeDueOfCase()).toBe(DUE_CORRECTED);
    });

    it('the recomputed deadline’s at-risk moment moved with it (2 working hours before due)', async () => {
      const [row] = await workflow.inScope(ALL_ORGS, () =>
        workflow.app
          .get(UnitOfWork)
          .manager.query<Array<{ at_risk_at: Date }>>('select at_risk_at from workflow.deadlines where case_id = $1', [
            caseId,
          ]),
      );
      expect(row.at_risk_at.toISOString()).toBe(new Date('2027-11-13T13:00:00+07:00').toISOString());
    });

    it('the load is audited with the previous data and the login', async () => {
      const rows = await workflow.inScope(ALL_ORGS, () =>
        workflow.app
          .get(UnitOfWork)
          .manager.query<
            Array<{ year: number; previous: { workingWeekends: string[] }; data: { workingWeekends: string[] } }>
          >('select year, previous, data, changed_by, reason from workflow.calendar_changes order by changed_at'),
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        year: 2027,
        changed_by: 'coordinator',
        reason: 'decree amended: 13 November is working',
      });
      expect(rows[0].previous.workingWeekends).toEqual(['2027-02-20']);
      expect(rows[0].data.workingWeekends).toEqual(['2027-02-20', '2027-11-13']);
    });
  });
});
