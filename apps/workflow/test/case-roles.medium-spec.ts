import type { Viewer } from '@otklik/auth';
import type { CaseStatus, Role } from '@otklik/contracts';
import { ROLES } from '@otklik/contracts';
import { demoOrganization } from '@otklik/demo';
import { createTestDatabase, testEventsPrefix, testNatsUrl } from '@otklik/testing';
import { CaseWorkflowDriver } from './case-workflow.driver';
import { WorkflowUnderTest } from './workflow.harness';

/*
 * The role matrix of Step 3: every mutation of CONTRACT.md × every role × a case of the
 * viewer's own organisation, of one below it, and of a foreign one — generated from the one
 * table below, written from REQUIREMENTS.md "Who uses it" (not from the code's own table).
 */

const KALMANSKY = demoOrganization('kalmansky').id;
const BURANOVSKY = demoOrganization('buranovsky').id;
const SHADRINSKY = demoOrganization('shadrinsky').id;

type Relation = 'own' | 'child' | 'foreign';
type Answer = 'OK' | 'FORBIDDEN' | 'NOT_FOUND';

interface Row {
  /** The status the case must be in for the step to be possible. */
  needs: CaseStatus;
  /** The roles whose step it is (REQUIREMENTS "Who uses it"). */
  may: Role[];
  /** Roles that may call the mutation for another step (assignCase: an official changes the executor). */
  alsoCalls?: Role[];
  /** The status after a successful call. */
  after: CaseStatus;
  input: (caseId: string, organizationId: string) => Record<string, unknown>;
}

const MATRIX: Record<string, Row> = {
  routeCase: {
    needs: 'DETECTED',
    may: ['OFFICIAL'],
    after: 'ROUTED',
    input: (caseId, organizationId) => ({ caseId, organizationId }),
  },
  registerCase: { needs: 'ROUTED', may: ['RECEPTION'], after: 'REGISTERED', input: (caseId) => ({ caseId }) },
  assignCase: {
    needs: 'REGISTERED',
    may: ['RECEPTION'],
    alsoCalls: ['OFFICIAL'],
    after: 'ASSIGNED',
    input: (caseId) => ({ caseId, executorLogin: 'executor' }),
  },
  submitDraft: {
    needs: 'ASSIGNED',
    may: ['EXECUTOR'],
    after: 'DRAFT_SUBMITTED',
    input: (caseId) => ({ caseId, kind: 'FINAL', text: 'Ответ по существу.' }),
  },
  returnDraft: {
    needs: 'DRAFT_SUBMITTED',
    may: ['OFFICIAL'],
    after: 'ASSIGNED',
    input: (caseId) => ({ caseId, comment: 'Дополните ответ.' }),
  },
  approveDraft: { needs: 'DRAFT_SUBMITTED', may: ['OFFICIAL'], after: 'ANSWERED', input: (caseId) => ({ caseId }) },
  excludeCase: {
    needs: 'DETECTED',
    may: ['OFFICIAL'],
    after: 'EXCLUDED',
    input: (caseId) => ({ caseId, reasons: ['OBSCENE'] }),
  },
  dismissCase: {
    needs: 'DETECTED',
    may: ['OFFICIAL'],
    after: 'DISMISSED',
    input: (caseId) => ({ caseId, reason: 'Не относится к работе администрации' }),
  },
};

function expected(row: Row, role: Role, relation: Relation): Answer {
  if (![...row.may, ...(row.alsoCalls ?? [])].includes(role)) return 'FORBIDDEN';
  if (relation === 'foreign') return 'NOT_FOUND';
  return row.may.includes(role) ? 'OK' : 'FORBIDDEN';
}

/** Who acts: district staff on their own district's and a sel'sovet's cases; a sel'sovet's staff on another sel'sovet's. */
const ACTORS: Record<Relation, { caseOrganization: string; logins: Record<Role, string> }> = {
  own: {
    caseOrganization: KALMANSKY,
    logins: {
      COORDINATOR: 'coordinator',
      OFFICIAL: 'official',
      RECEPTION: 'reception',
      EXECUTOR: 'executor',
      HEAD: 'head',
    },
  },
  child: {
    caseOrganization: BURANOVSKY,
    logins: {
      COORDINATOR: 'coordinator',
      OFFICIAL: 'official',
      RECEPTION: 'reception',
      EXECUTOR: 'executor',
      HEAD: 'head',
    },
  },
  foreign: {
    caseOrganization: SHADRINSKY,
    logins: {
      COORDINATOR: 'bur.coordinator',
      OFFICIAL: 'buranovsky.official',
      RECEPTION: 'bur.reception',
      EXECUTOR: 'buranovsky.executor',
      HEAD: 'bur.head',
    },
  },
};

const CELLS = Object.entries(MATRIX).flatMap(([mutation, row]) =>
  (['own', 'child', 'foreign'] as const).flatMap((relation) =>
    ROLES.map((role) => ({ mutation, row, role, relation, answer: expected(row, role, relation) })),
  ),
);

describe('the role matrix: every mutation × every role × own / child / foreign organisation', () => {
  let workflow: WorkflowUnderTest;
  let driver: CaseWorkflowDriver;
  const viewers = new Map<string, Viewer>();
  const viewer = async (login: string): Promise<Viewer> => {
    if (!viewers.has(login)) viewers.set(login, await workflow.viewer(login));
    return viewers.get(login) as Viewer;
  };

  /** A case of `organizationId` brought to `status` by the district's staff. */
  async function caseIn(organizationId: string, status: CaseStatus): Promise<string> {
    const { id } = await driver.open(organizationId);
    const path: CaseStatus[] = ['DETECTED', 'ROUTED', 'REGISTERED', 'ASSIGNED', 'DRAFT_SUBMITTED'];
    const steps: Array<() => Promise<unknown>> = [
      async () =>
        driver.as(await viewer('official'), async () =>
          driver.steps.route(await viewer('official'), { caseId: id, organizationId }),
        ),
      async () =>
        driver.as(await viewer('reception'), async () =>
          driver.steps.register(await viewer('reception'), { caseId: id }),
        ),
      async () =>
        driver.as(await viewer('reception'), async () =>
          driver.steps.assign(await viewer('reception'), { caseId: id, executorLogin: 'executor' }),
        ),
      async () =>
        driver.as(await viewer('executor'), async () =>
          driver.steps.submitDraft(await viewer('executor'), { caseId: id, kind: 'FINAL', text: 'Черновик ответа.' }),
        ),
    ];
    for (const step of steps.slice(0, path.indexOf(status))) await step();
    return id;
  }

  beforeAll(async () => {
    workflow = await WorkflowUnderTest.start({
      database: await createTestDatabase('wf_case_roles'),
      eventsPrefix: testEventsPrefix(),
      natsUrl: testNatsUrl(),
    });
    driver = new CaseWorkflowDriver(workflow);
    await driver.appoint('bur.coordinator', BURANOVSKY, 'COORDINATOR');
    await driver.appoint('bur.reception', BURANOVSKY, 'RECEPTION');
    await driver.appoint('bur.head', BURANOVSKY, 'HEAD');
  });
  afterAll(async () => {
    await workflow?.stop();
  });

  it('covers 8 mutations × 5 roles × 3 relations', () => {
    expect(CELLS).toHaveLength(120);
    expect(CELLS.filter((c) => c.answer === 'OK')).toHaveLength(16);
  });

  it.each(CELLS.map((c) => [c.mutation, c.role, c.relation, c.answer, c] as const))(
    '%s as %s on a case of the %s organisation → %s',
    async (mutation, role, relation, answer, { row }) => {
      const { caseOrganization, logins } = ACTORS[relation];
      const caseId = await caseIn(caseOrganization, row.needs);
      const inputType = `${mutation.charAt(0).toUpperCase()}${mutation.slice(1)}Input`;
      const result = await workflow.graphql<Record<string, { status: string }>>(
        `mutation ($input: ${inputType}!) { ${mutation}(input: $input) { status } }`,
        { input: row.input(caseId, relation === 'foreign' ? BURANOVSKY : caseOrganization) },
        await viewer(logins[role]),
      );
      const status = async () =>
        (
          await workflow.graphql<{ case: { status: string } }>(
            `query ($id: ID!) { case(id: $id) { status } }`,
            { id: caseId },
            await viewer('coordinator'),
          )
        ).data?.case.status;
      if (answer === 'OK') {
        expect(result.errors).toBeUndefined();
        expect(result.data?.[mutation].status).toBe(row.after);
      } else {
        expect(result.errors?.[0].extensions?.code).toBe(answer);
        expect(await status()).toBe(row.needs);
      }
    },
  );
});
