import type { Viewer } from '@otklik/auth';
import {
  CaseTransitioned,
  CaseTransitionedV1,
  eventFilter,
  PublicationCompleted,
  PublicationCompletedV1,
  PublicationRequested,
  PublicationRequestedV1,
} from '@otklik/contracts';
import { demoOrganization } from '@otklik/demo';
import { createTestDatabase, testEventsPrefix, testNatsUrl, waitFor } from '@otklik/testing';
import { CaseWorkflowDriver } from './case-workflow.driver';
import { WorkflowUnderTest } from './workflow.harness';

// Medium test: the real workflow app (PostgreSQL under row-level security, JetStream) told of
// publications' outcomes the way notify's relay publishes them (publication.completed).

const KALMANSKY = demoOrganization('kalmansky').id;
const HOUSING = demoOrganization('kalmansky.housing').id;

interface PublicationView {
  id: string;
  kind: string;
  status: string;
  url: string | null;
  error: string | null;
  at: string | null;
}

interface CaseView {
  id: string;
  status: string;
  history: Array<{ action: string; from: string | null; to: string; actor: string; reason: string | null }>;
  publications: PublicationView[];
}

const CASE_FIELDS = 'id status history { action from to actor reason } publications { id kind status url error at }';

describe('publications: notify’s report reaches the case, and a failed one can be retried (Step 5)', () => {
  let workflow: WorkflowUnderTest;
  let driver: CaseWorkflowDriver;
  const viewers: Record<string, Viewer> = {};

  async function call(
    login: string,
    mutation: string,
    input: Record<string, unknown>,
  ): Promise<{ case?: CaseView; code?: string; message?: string }> {
    const inputType = `${mutation.charAt(0).toUpperCase()}${mutation.slice(1)}Input`;
    const answer = await workflow.graphql<Record<string, CaseView>>(
      `mutation ($input: ${inputType}!) { ${mutation}(input: $input) { ${CASE_FIELDS} } }`,
      { input },
      viewers[login],
    );
    if (answer.errors) return { code: answer.errors[0].extensions?.code, message: answer.errors[0].message };
    return { case: answer.data?.[mutation] };
  }

  async function ok(login: string, mutation: string, input: Record<string, unknown>): Promise<CaseView> {
    const result = await call(login, mutation, input);
    if (!result.case) throw new Error(`${mutation} as ${login}: ${result.code} ${result.message}`);
    return result.case;
  }

  async function read(id: string): Promise<CaseView> {
    const answer = await workflow.graphql<{ case: CaseView | null }>(
      `query ($id: ID!) { case(id: $id) { ${CASE_FIELDS} } }`,
      { id },
      viewers.official,
    );
    if (!answer.data?.case) throw new Error(`case ${id}: ${JSON.stringify(answer.errors)}`);
    return answer.data.case;
  }

  /** The publication requests of a case so far (workflow → notify). */
  async function requestsOf(caseId: string, count: number): Promise<PublicationRequestedV1[]> {
    const events = await workflow.readEvents<PublicationRequestedV1>(
      eventFilter(workflow.prefix, PublicationRequested),
      (all) => all.filter((e) => e.data.caseId === caseId).length >= count,
      `${count} publication request(s) of case ${caseId}`,
    );
    return events.filter((e) => e.data.caseId === caseId).map((e) => e.data);
  }

  /** A case routed to housing, its FINAL answer approved: the publication PENDING. */
  async function approvedCase(text: string): Promise<{ caseId: string; request: PublicationRequestedV1 }> {
    const caseId = (await driver.open(KALMANSKY)).id;
    await ok('official', 'routeCase', { caseId, organizationId: HOUSING });
    await ok('reception', 'registerCase', { caseId });
    await ok('reception', 'assignCase', { caseId, executorLogin: 'executor' });
    await ok('executor', 'submitDraft', { caseId, kind: 'FINAL', text });
    await ok('official', 'approveDraft', { caseId });
    const [request] = await requestsOf(caseId, 1);
    return { caseId, request };
  }

  const report = (request: PublicationRequestedV1, outcome: Partial<PublicationCompletedV1>, eventId?: string) =>
    workflow.publish(
      PublicationCompleted,
      HOUSING,
      {
        publicationId: request.publicationId,
        caseId: request.caseId,
        status: 'PUBLISHED',
        attempts: 1,
        at: new Date().toISOString(),
        organizationPath: [HOUSING, KALMANSKY],
        ...outcome,
      },
      eventId,
    );

  /**
   * The case once its publication has the status and, when given, its history ends with the
   * action. Both are written in one transaction, but GraphQL reads each field in its own: one
   * read may see the publication settled and the history not yet.
   */
  const untilPublication = (caseId: string, index: number, status: string, lastAction?: string) =>
    waitFor(`publication ${index} of case ${caseId} to be ${status}`, async () => {
      const kase = await read(caseId);
      const settled = kase.publications[index]?.status === status;
      const written = lastAction === undefined || kase.history.at(-1)?.action === lastAction;
      return settled && written ? kase : undefined;
    });

  beforeAll(async () => {
    workflow = await WorkflowUnderTest.start({
      database: await createTestDatabase('wf_publications'),
      eventsPrefix: testEventsPrefix(),
      natsUrl: testNatsUrl(),
    });
    driver = new CaseWorkflowDriver(workflow);
    for (const login of ['official', 'reception', 'executor', 'buranovsky.official']) {
      viewers[login] = await workflow.viewer(login);
    }
  });
  afterAll(() => workflow?.stop());

  it('approval asks notify to publish, naming whom to tell of a failure (the case’s path)', async () => {
    const { caseId, request } = await approvedCase('Воду дали в 14:00.');
    expect(request).toMatchObject({ caseId, kind: 'FINAL', text: 'Воду дали в 14:00.', platform: 'VK' });
    expect(request.organizationPath).toEqual([HOUSING, KALMANSKY]);
    expect((await read(caseId)).publications).toEqual([
      expect.objectContaining({ id: request.publicationId, status: 'PENDING', url: null }),
    ]);
  });

  it('PUBLISHED: the address on the case and a history line by the system, announced to caseEvents; a repeated report changes nothing', async () => {
    const { caseId, request } = await approvedCase('Свет включили.');
    const url = 'https://vk.com/wall-1_5?reply=77&thread=9';
    await report(request, { status: 'PUBLISHED', url, externalId: '77' });
    const kase = await untilPublication(caseId, 0, 'PUBLISHED', 'ANSWER_PUBLISHED');
    expect(kase.status).toBe('ANSWERED');
    expect(kase.publications[0]).toMatchObject({ url, error: null });
    expect(kase.publications[0].at).not.toBeNull();
    expect(kase.history.at(-1)).toEqual({
      action: 'ANSWER_PUBLISHED',
      from: 'ANSWERED',
      to: 'ANSWERED',
      actor: 'system',
      reason: `FINAL answer published: ${url}`,
    });
    const transitions = await workflow.readEvents<CaseTransitionedV1>(
      eventFilter(workflow.prefix, CaseTransitioned),
      (all) => all.some((e) => e.data.caseId === caseId && e.data.action === 'ANSWER_PUBLISHED'),
      'the ANSWER_PUBLISHED transition',
    );
    expect(transitions.filter((e) => e.data.caseId === caseId).at(-1)?.organizationId).toBe(HOUSING);

    // The same report again (a new event id: past the inbox), and a late FAILED for the same publication.
    const again = await report(request, { status: 'PUBLISHED', url });
    const late = await report(request, { status: 'FAILED', error: 'поздно' });
    await waitFor('both reports handled', async () =>
      (await workflow.handled(again.eventId)) && (await workflow.handled(late.eventId)) ? true : undefined,
    );
    const after = await read(caseId);
    expect(after.publications).toEqual(kase.publications);
    expect(after.history).toHaveLength(kase.history.length);
  });

  it('FAILED: the reason on the case; retryPublication asks again under a new id, the failed one stays', async () => {
    const { caseId, request } = await approvedCase('Яму засыплют до пятницы.');
    const reason = 'Ключ доступа сообщества ВКонтакте отозван или неверен — обновите его в настройках источника';
    await report(request, { status: 'FAILED', error: reason, attempts: 1 });
    const failed = await untilPublication(caseId, 0, 'FAILED', 'PUBLICATION_FAILED');
    expect(failed.publications[0].error).toBe(reason);
    expect(failed.history.at(-1)).toMatchObject({
      action: 'PUBLICATION_FAILED',
      actor: 'system',
      reason: `FINAL answer not published: ${reason}`,
    });

    // Who may retry: an official of the case's organisation or above; nobody else, and only a failed one.
    expect(await call('executor', 'retryPublication', { publicationId: request.publicationId })).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(
      await call('buranovsky.official', 'retryPublication', { publicationId: request.publicationId }),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect(await call('official', 'retryPublication', { publicationId: 'nope' })).toMatchObject({
      code: 'BAD_USER_INPUT',
    });

    const retried = await ok('official', 'retryPublication', { publicationId: request.publicationId });
    expect(retried.publications.map((p) => p.status)).toEqual(['FAILED', 'PENDING']);
    expect(retried.publications[1].id).not.toBe(request.publicationId);
    expect(retried.history.at(-1)).toMatchObject({ action: 'RETRY_PUBLICATION', actor: 'official' });
    const [, again] = await requestsOf(caseId, 2);
    expect(again).toMatchObject({
      publicationId: retried.publications[1].id,
      draftId: request.draftId,
      text: request.text,
      externalId: request.externalId,
      organizationPath: [HOUSING, KALMANSKY],
    });

    expect(await call('official', 'retryPublication', { publicationId: retried.publications[1].id })).toMatchObject({
      code: 'CONFLICT',
    });

    await report(again, { status: 'PUBLISHED', url: 'https://vk.com/wall-1_6?reply=80' });
    const published = await untilPublication(caseId, 1, 'PUBLISHED');
    expect(published.publications.map((p) => p.status)).toEqual(['FAILED', 'PUBLISHED']);
  });

  it('MANUAL: left to the official with the reason, no history line; recording the address settles that same publication', async () => {
    const { caseId, request } = await approvedCase('Контейнеры вывезут завтра.');
    const before = await read(caseId);
    const reason = 'В источнике «demo-vk» не задан ключ доступа — опубликуйте ответ вручную и укажите ссылку на него';
    await report(request, { status: 'MANUAL', error: reason, attempts: 0 });
    const manual = await untilPublication(caseId, 0, 'MANUAL');
    expect(manual.publications[0]).toMatchObject({ url: null, error: reason });
    expect(manual.history).toEqual(before.history);

    const url = 'https://vk.com/wall-1_7?reply=81';
    const recorded = await ok('official', 'recordManualPublication', { caseId, url });
    expect(recorded.publications).toEqual([
      expect.objectContaining({ id: request.publicationId, status: 'MANUAL', url, error: null }),
    ]);
  });
});
