import { randomUUID } from 'node:crypto';
import type { Viewer } from '@otklik/auth';
import type { MessageAcceptedV1 } from '@otklik/contracts';
import { demoOrganization } from '@otklik/demo';
import { ALL_ORGS } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';
import { createTestDatabase, testEventsPrefix, testNatsUrl } from '@otklik/testing';
import { REPEAT_MIN_SIMILARITY, repeatSimilaritySql } from '../src/cases/case-repeat.similarity';
import { CaseWorkflowDriver } from './case-workflow.driver';
import { WorkflowUnderTest } from './workflow.harness';

const KALMANSKY = demoOrganization('kalmansky').id;
const BURANOVSKY = demoOrganization('buranovsky').id;
const DAY_MS = 24 * 60 * 60 * 1000;

interface CaseView {
  id: string;
  status: string;
  executor: { login: string } | null;
  repeatOf: { id: string } | null;
  relatedCases: Array<{ id: string }>;
  history: Array<{ action: string; reason: string | null }>;
}

const CASE_FIELDS = 'id status executor { login } repeatOf { id } relatedCases { id } history { action reason }';

const GARBAGE = 'Во дворе дома 12 по улице Садовой третью неделю не вывозят мусор, контейнеры переполнены';
const GARBAGE_AGAIN = 'Повторно пишу: мусор во дворе на Садовой 12 так и не вывезли, контейнеры переполнены!';
/** Same yard, another issue — yet similar enough by the words of the address: a repeat of GARBAGE (docs/repeats.md). */
const PLAYGROUND = 'Во дворе дома 12 на Садовой сломана детская площадка';
const TRAFFIC_LIGHT = 'На перекрёстке Ленина и Гагарина не работает светофор, дети переходят дорогу с риском';
const WATER = 'Третий день нет воды на улице Ленина, дома с 5 по 15';
const WATER_TOO = 'Подтверждаю, на улице Ленина воды нет уже третий день!';

describe('repeats (cl. 9): the same author or thread, an issue already considered, similar text, within the window', () => {
  let workflow: WorkflowUnderTest;
  let driver: CaseWorkflowDriver;
  const viewers: Record<string, Viewer> = {};

  async function step(login: string, mutation: string, input: Record<string, unknown>): Promise<CaseView> {
    const inputType = `${mutation.charAt(0).toUpperCase()}${mutation.slice(1)}Input`;
    const answer = await workflow.graphql<Record<string, CaseView>>(
      `mutation ($input: ${inputType}!) { ${mutation}(input: $input) { ${CASE_FIELDS} } }`,
      { input },
      viewers[login],
    );
    if (answer.errors) throw new Error(`${mutation} as ${login}: ${answer.errors[0].message}`);
    return answer.data?.[mutation] as CaseView;
  }

  async function read(id: string): Promise<CaseView> {
    const answer = await workflow.graphql<{ case: CaseView | null }>(
      `query ($id: ID!) { case(id: $id) { ${CASE_FIELDS} } }`,
      { id },
      viewers.official,
    );
    expect(answer.errors).toBeUndefined();
    return answer.data?.case as CaseView;
  }

  /** A message of `organizationId` taken to ANSWERED (and CLOSED when asked) by the district's staff. */
  async function answered(message: Partial<MessageAcceptedV1>, close = false): Promise<string> {
    const { id } = await driver.open(KALMANSKY, message);
    await step('official', 'routeCase', { caseId: id, organizationId: KALMANSKY });
    // A repeat is assigned at registration, and its answer carries the measures taken.
    const registered = await step('reception', 'registerCase', { caseId: id });
    if (!registered.repeatOf) await step('reception', 'assignCase', { caseId: id, executorLogin: 'executor' });
    await step('executor', 'submitDraft', {
      caseId: id,
      kind: 'FINAL',
      text: 'Меры приняты, спасибо за обращение.',
      ...(registered.repeatOf ? { measures: 'Выезд на место, работы выполнены.' } : {}),
    });
    const done = await step('official', 'approveDraft', { caseId: id });
    expect(done.status).toBe('ANSWERED');
    if (close) expect((await step('official', 'closeCase', { caseId: id })).status).toBe('CLOSED');
    return id;
  }

  const author = () => ({ id: `id-${randomUUID()}`, name: 'Мария Иванова' });
  const opening = (kase: CaseView) => kase.history.find((h) => h.action === 'OPEN')?.reason ?? '';

  beforeAll(async () => {
    workflow = await WorkflowUnderTest.start({
      database: await createTestDatabase('wf_repeats'),
      eventsPrefix: testEventsPrefix(),
      natsUrl: testNatsUrl(),
    });
    driver = new CaseWorkflowDriver(workflow);
    for (const login of ['official', 'reception', 'executor']) viewers[login] = await workflow.viewer(login);
  });
  afterAll(async () => {
    await workflow?.stop();
  });

  it('the same author writing again about an answered issue: a repeat of it, linked, pre-assigned; the history says why', async () => {
    const anna = author();
    const earlier = await answered({ author: anna, text: GARBAGE });

    const { id } = await driver.open(KALMANSKY, { author: anna, text: GARBAGE_AGAIN });
    const repeat = await read(id);
    expect(repeat).toMatchObject({ repeatOf: { id: earlier }, executor: { login: 'executor' } });
    expect(repeat.relatedCases).toEqual([{ id: earlier }]);
    expect(opening(repeat)).toMatch(
      new RegExp(`repeats case ${earlier} \\(cl\\. 9: same author, text similarity 0\\.\\d\\d\\)`),
    );
  });

  it('the same author writing about another issue: a new matter, neither a repeat nor linked', async () => {
    const boris = author();
    await answered({ author: boris, text: GARBAGE });

    const other = await read((await driver.open(KALMANSKY, { author: boris, text: TRAFFIC_LIGHT })).id);
    expect(other).toMatchObject({ repeatOf: null, executor: null, relatedCases: [] });
    expect(opening(other)).not.toContain('repeats');
  });

  it('another author in the same thread about the same closed issue: a repeat by the thread', async () => {
    const thread = `wall-1_${randomUUID()}`;
    const earlier = await answered({ author: author(), threadId: thread, text: WATER }, true);

    const repeat = await read(
      (await driver.open(KALMANSKY, { author: author(), threadId: thread, text: WATER_TOO })).id,
    );
    expect(repeat.repeatOf).toEqual({ id: earlier });
    expect(opening(repeat)).toMatch(/same thread, text similarity 0\.\d\d/);
  });

  it('of the author’s answered cases similar enough, the most similar wins, not the newest', async () => {
    const vera = author();
    const garbage = await answered({ author: vera, text: GARBAGE });
    await answered({ author: vera, text: PLAYGROUND });
    // The premise, measured by the application's own role: both earlier texts pass the threshold.
    const [scores] = await workflow.inScope(ALL_ORGS, () =>
      workflow.app
        .get(UnitOfWork)
        .manager.query<Array<{ garbage: number; playground: number }>>(
          `select ${repeatSimilaritySql('$1', '$2')} as garbage, ${repeatSimilaritySql('$1', '$3')} as playground`,
          [GARBAGE_AGAIN, GARBAGE, PLAYGROUND],
        ),
    );
    expect(scores.playground).toBeGreaterThanOrEqual(REPEAT_MIN_SIMILARITY);
    expect(scores.garbage).toBeGreaterThan(scores.playground);

    const repeat = await read((await driver.open(KALMANSKY, { author: vera, text: GARBAGE_AGAIN })).id);
    expect(repeat.repeatOf).toEqual({ id: garbage });
    expect(repeat.relatedCases).toEqual([{ id: garbage }]);
  });

  it('an earlier case detected before the window (30 days by default) is not repeated', async () => {
    const gleb = author();
    const longAgo = new Date(Date.now() - 40 * DAY_MS).toISOString();
    await answered({ author: gleb, text: GARBAGE, receivedAt: longAgo, postedAt: longAgo });

    const later = await read((await driver.open(KALMANSKY, { author: gleb, text: GARBAGE_AGAIN })).id);
    expect(later).toMatchObject({ repeatOf: null, relatedCases: [] });
  });

  it('an issue not answered yet is not "already considered": the new message gets a case of its own, linked to the open one', async () => {
    const dina = author();
    const open = await driver.open(KALMANSKY, { author: dina, text: GARBAGE });
    await step('official', 'routeCase', { caseId: open.id, organizationId: KALMANSKY });

    const later = await read((await driver.open(KALMANSKY, { author: dina, text: GARBAGE_AGAIN })).id);
    expect(later).toMatchObject({ repeatOf: null, executor: null, relatedCases: [{ id: open.id }] });
    expect(opening(later)).toMatch(
      new RegExp(`same issue as case ${open.id}, not answered yet \\(same author, text similarity 0\\.\\d\\d\\)`),
    );
    expect((await read(open.id)).relatedCases).toEqual([{ id: later.id }]);
  });

  it('only the cases of the message’s organisation and those below it count: a sel’sovet does not repeat the district', async () => {
    const egor = author();
    await answered({ author: egor, text: GARBAGE });

    const there = await read((await driver.open(BURANOVSKY, { author: egor, text: GARBAGE_AGAIN })).id);
    expect(there).toMatchObject({ repeatOf: null, relatedCases: [] });
  });
});
