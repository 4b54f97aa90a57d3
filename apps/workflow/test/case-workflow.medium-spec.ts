import { Client } from 'pg';
import type { Viewer } from '@otklik/auth';
import {
  CaseTransitioned,
  CaseTransitionedV1,
  eventFilter,
  PublicationRequested,
  PublicationRequestedV1,
} from '@otklik/contracts';
import { demoOrganization } from '@otklik/demo';
import { ALL_ORGS } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';
import { createTestDatabase, testEventsPrefix, testNatsUrl, waitFor } from '@otklik/testing';
import { CaseWorkflowDriver } from './case-workflow.driver';
import { WorkflowUnderTest } from './workflow.harness';

const KALMANSKY = demoOrganization('kalmansky').id;
const HOUSING = demoOrganization('kalmansky.housing').id;
const BURANOVSKY = demoOrganization('buranovsky').id;

interface CaseView {
  id: string;
  status: string;
  organization: { code: string };
  executor: { login: string } | null;
  repeatOf: { id: string } | null;
  deadlines: Array<{ kind: string; state: string; responsible: { login: string } | null }>;
  history: Array<{ action: string; from: string | null; to: string; actor: string; reason: string | null }>;
  drafts: Array<{
    version: number;
    kind: string;
    status: string;
    decisionComment: string | null;
    preview: { fits: boolean };
  }>;
  publications: Array<{ kind: string; status: string; url: string | null; platform: string }>;
  relatedCases: Array<{ id: string }>;
  replies: Array<{ text: string }>;
  comments: Array<{ author: string; text: string }>;
  exclusionReasons: string[] | null;
  decidedBy: string | null;
}

const CASE_FIELDS = `id status organization { code } executor { login } repeatOf { id }
  deadlines { kind state responsible { login } }
  history { action from to actor reason }
  drafts { version kind status decisionComment preview { fits } }
  publications { kind status url platform } relatedCases { id } replies { text } comments { author text }
  exclusionReasons decidedBy`;

const MUTATION = (name: string, inputType: string) =>
  `mutation ($input: ${inputType}!) { ${name}(input: $input) { ${CASE_FIELDS} } }`;

describe('the case workflow (REQUIREMENTS "What a case goes through", cl. 4–11, 18)', () => {
  let workflow: WorkflowUnderTest;
  let driver: CaseWorkflowDriver;
  let database: { url: string; drop: () => Promise<void> };
  const viewers: Record<string, Viewer> = {};

  /** Calls a mutation as `login`; returns the case or the error's code and message. */
  async function call(
    login: string,
    mutation: string,
    input: Record<string, unknown>,
  ): Promise<{ case?: CaseView; code?: string; message?: string }> {
    const inputType =
      mutation === 'unlinkCases' ? 'LinkCasesInput' : `${mutation.charAt(0).toUpperCase()}${mutation.slice(1)}Input`;
    const answer = await workflow.graphql<Record<string, CaseView>>(
      MUTATION(mutation, inputType),
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

  async function read(login: string, id: string): Promise<CaseView | null> {
    const answer = await workflow.graphql<{ case: CaseView | null }>(
      `query ($id: ID!) { case(id: $id) { ${CASE_FIELDS} } }`,
      { id },
      viewers[login],
    );
    expect(answer.errors).toBeUndefined();
    return answer.data?.case ?? null;
  }

  const deadline = (kase: CaseView, kind: string) => kase.deadlines.filter((d) => d.kind === kind);

  beforeAll(async () => {
    database = await createTestDatabase('wf_case_workflow');
    workflow = await WorkflowUnderTest.start({
      database,
      eventsPrefix: testEventsPrefix(),
      natsUrl: testNatsUrl(),
    });
    driver = new CaseWorkflowDriver(workflow);
    for (const login of [
      'official',
      'reception',
      'executor',
      'head',
      'coordinator',
      'buranovsky.official',
      'buranovsky.executor',
    ]) {
      viewers[login] = await workflow.viewer(login);
    }
  });
  afterAll(async () => {
    await workflow?.stop();
  });

  describe('the whole life: detect → route → register → assign → interim → final after a return → answered', () => {
    let caseId: string;
    let final: CaseView;

    beforeAll(async () => {
      caseId = (await driver.open(KALMANSKY)).id;
      await ok('official', 'routeCase', { caseId, organizationId: HOUSING, comment: 'водоснабжение' });
      await ok('reception', 'registerCase', { caseId });
      await ok('reception', 'assignCase', { caseId, executorLogin: 'executor' });
      await ok('executor', 'submitDraft', {
        caseId,
        kind: 'INTERIM',
        text: 'Заявка передана в МУП, ответим до пятницы.',
      });
      await ok('official', 'approveDraft', { caseId });
      await ok('executor', 'submitDraft', { caseId, kind: 'FINAL', text: 'Воду дали.' });
      await ok('official', 'returnDraft', { caseId, comment: 'Напишите, когда именно и что было сделано.' });
      await ok('executor', 'submitDraft', {
        caseId,
        kind: 'FINAL',
        text: 'Водоснабжение восстановлено 30 ноября в 14:00: МУП заменил участок трубы на ул. Ленина.',
        attachments: [{ type: 'PHOTO', url: 'https://files.example/lenina.jpg', contentType: 'image/jpeg' }],
      });
      final = await ok('official', 'approveDraft', { caseId });
    });

    it('ends ANSWERED, in the subdivision it was routed to, with its executor', () => {
      expect(final).toMatchObject({
        status: 'ANSWERED',
        organization: { code: 'kalmansky.housing' },
        executor: { login: 'executor' },
      });
    });

    it('the history holds every transition in order, with who and why; append-only', () => {
      expect(final.history.map((h) => [h.action, h.from, h.to, h.actor])).toEqual([
        ['OPEN', null, 'DETECTED', 'system'],
        ['ROUTE', 'DETECTED', 'ROUTED', 'official'],
        ['REGISTER', 'ROUTED', 'REGISTERED', 'reception'],
        ['ASSIGN', 'REGISTERED', 'ASSIGNED', 'reception'],
        ['SUBMIT_DRAFT', 'ASSIGNED', 'DRAFT_SUBMITTED', 'executor'],
        ['APPROVE_DRAFT', 'DRAFT_SUBMITTED', 'AWAITING_FINAL', 'official'],
        ['SUBMIT_DRAFT', 'AWAITING_FINAL', 'DRAFT_SUBMITTED', 'executor'],
        ['RETURN_DRAFT', 'DRAFT_SUBMITTED', 'ASSIGNED', 'official'],
        ['SUBMIT_DRAFT', 'ASSIGNED', 'DRAFT_SUBMITTED', 'executor'],
        ['APPROVE_DRAFT', 'DRAFT_SUBMITTED', 'ANSWERED', 'official'],
      ]);
      expect(final.history[1].reason).toBe('to kalmansky.housing: водоснабжение');
      expect(final.history[7].reason).toContain('Напишите, когда именно');
    });

    it('every deadline was started and settled on time, each with the person responsible (cl. 18)', () => {
      expect(deadline(final, 'ROUTE')).toEqual([{ kind: 'ROUTE', state: 'MET', responsible: { login: 'official' } }]);
      expect(deadline(final, 'ANSWER')).toEqual([{ kind: 'ANSWER', state: 'MET', responsible: { login: 'executor' } }]);
      // At assignment, and again when the final draft was returned.
      expect(deadline(final, 'DRAFT')).toEqual([
        { kind: 'DRAFT', state: 'MET', responsible: { login: 'executor' } },
        { kind: 'DRAFT', state: 'MET', responsible: { login: 'executor' } },
      ]);
      // Started by the interim answer (cl. 8), met by the final one.
      expect(deadline(final, 'FINAL')).toEqual([{ kind: 'FINAL', state: 'MET', responsible: { login: 'executor' } }]);
    });

    it('every draft version is kept with its decision', () => {
      expect(final.drafts.map((d) => [d.version, d.kind, d.status, d.decisionComment])).toEqual([
        [1, 'INTERIM', 'APPROVED', null],
        [2, 'FINAL', 'RETURNED', 'Напишите, когда именно и что было сделано.'],
        [3, 'FINAL', 'APPROVED', null],
      ]);
    });

    it('each approval asked notify to publish (publication.requested), PENDING beside the case', async () => {
      expect(final.publications).toEqual([
        { kind: 'INTERIM', status: 'PENDING', url: null, platform: 'VK' },
        { kind: 'FINAL', status: 'PENDING', url: null, platform: 'VK' },
      ]);
      const requests = await workflow.readEvents<PublicationRequestedV1>(
        eventFilter(workflow.prefix, PublicationRequested),
        (events) => events.filter((e) => e.data.caseId === caseId).length >= 2,
        'two publication requests',
      );
      const mine = requests.filter((e) => e.data.caseId === caseId).map((e) => e.data);
      expect(mine.map((r) => [r.kind, r.platform, r.sourceId])).toEqual([
        ['INTERIM', 'VK', 'demo-vk'],
        ['FINAL', 'VK', 'demo-vk'],
      ]);
      expect(mine[1].text).toContain('Водоснабжение восстановлено');
      expect(mine[1].attachments).toEqual([
        { type: 'PHOTO', url: 'https://files.example/lenina.jpg', contentType: 'image/jpeg' },
      ]);
      expect(mine[1].externalId).toMatch(/^wall-1_/);
    });

    it('each transition is announced (case.transitioned) on the organisation the case is in, with the path up to the district', async () => {
      const events = await workflow.readEvents<CaseTransitionedV1>(
        `${workflow.prefix}.*.case.transitioned.v1`,
        (all) => all.filter((e) => e.data.caseId === caseId).length >= 9,
        'nine transitions',
      );
      const mine = events.filter((e) => e.data.caseId === caseId);
      expect(mine.map((e) => e.data.action)).toEqual([
        'ROUTE',
        'REGISTER',
        'ASSIGN',
        'SUBMIT_DRAFT',
        'APPROVE_DRAFT',
        'SUBMIT_DRAFT',
        'RETURN_DRAFT',
        'SUBMIT_DRAFT',
        'APPROVE_DRAFT',
      ]);
      expect(mine.every((e) => e.organizationId === HOUSING)).toBe(true);
      expect(mine[0].data).toMatchObject({ fromOrganizationId: KALMANSKY, organizationPath: [HOUSING, KALMANSKY] });
    });

    it('the database itself keeps the history append-only: no grant to the application, a trigger for the owner', async () => {
      const manager = () => workflow.app.get(UnitOfWork).manager;
      await expect(
        workflow.inScope(ALL_ORGS, () =>
          manager().query(`update workflow.case_transitions set actor = 'x' where case_id = $1`, [caseId]),
        ),
      ).rejects.toThrow(/permission denied/);
      const owner = new Client({ connectionString: database.url });
      await owner.connect();
      try {
        await expect(
          owner.query(`update workflow.case_transitions set actor = 'x' where case_id = $1`, [caseId]),
        ).rejects.toThrow(/append-only/);
        await expect(owner.query(`delete from workflow.case_transitions where case_id = $1`, [caseId])).rejects.toThrow(
          /append-only/,
        );
      } finally {
        await owner.end();
      }
    });

    it('closeCase closes it; a closed case reopens to its executor when the author writes again', async () => {
      expect((await ok('official', 'closeCase', { caseId })).status).toBe('CLOSED');
      const reopened = await ok('official', 'reopenCase', { caseId, reason: 'Автор пишет, что воды снова нет' });
      expect(reopened.status).toBe('ASSIGNED');
      expect(deadline(reopened, 'DRAFT').at(-1)).toMatchObject({
        state: expect.stringMatching(/ON_TRACK|AT_RISK|OVERDUE/),
      });
    });
  });

  describe('a transition not allowed, a role that may not, a case not yours', () => {
    it('CONFLICT says the current status and what is allowed from it', async () => {
      const { id } = await driver.open(KALMANSKY);
      const result = await call('reception', 'registerCase', { caseId: id });
      expect(result.code).toBe('CONFLICT');
      expect(result.message).toContain(`case ${id} is DETECTED`);
      expect(result.message).toContain('registerCase is allowed only from ROUTED');
      expect(result.message).toMatch(/From DETECTED: .*routeCase.*excludeCase.*dismissCase/);
    });

    it('FORBIDDEN names the role needed and the role held', async () => {
      const { id } = await driver.open(KALMANSKY);
      await ok('official', 'routeCase', { caseId: id, organizationId: KALMANSKY });
      await ok('reception', 'registerCase', { caseId: id });
      const result = await call('official', 'assignCase', { caseId: id, executorLogin: 'executor' });
      expect(result.code).toBe('FORBIDDEN');
      expect(result.message).toBe(
        'assignCase needs the role RECEPTION in kalmansky or an organisation above it; you are OFFICIAL there',
      );
    });

    it('another organisation’s case is NOT_FOUND, and nothing changes', async () => {
      const { id } = await driver.open(KALMANSKY);
      const result = await call('buranovsky.official', 'routeCase', { caseId: id, organizationId: BURANOVSKY });
      expect(result.code).toBe('NOT_FOUND');
      expect((await read('official', id))?.status).toBe('DETECTED');
    });

    it('an executor sees the cases assigned to them and no other', async () => {
      const assigned = await driver.open(KALMANSKY);
      const other = await driver.open(KALMANSKY);
      await ok('official', 'routeCase', { caseId: assigned.id, organizationId: HOUSING });
      await ok('reception', 'registerCase', { caseId: assigned.id });
      await ok('reception', 'assignCase', { caseId: assigned.id, executorLogin: 'executor' });
      expect((await read('executor', assigned.id))?.status).toBe('ASSIGNED');
      expect(await read('executor', other.id)).toBeNull();
      expect(await read('head', other.id)).not.toBeNull();
      const list = await workflow.graphql<{ cases: { edges: Array<{ node: { id: string } }> } }>(
        `{ cases(first: 100) { edges { node { id } } } }`,
        {},
        viewers.executor,
      );
      const ids = list.data?.cases.edges.map((e) => e.node.id);
      expect(ids).toContain(assigned.id);
      expect(ids).not.toContain(other.id);
    });

    it('bad input names the field: an unknown executor, an empty reason, no exclusion reason', async () => {
      const { id } = await driver.open(KALMANSKY);
      expect(await call('official', 'dismissCase', { caseId: id, reason: '  ' })).toMatchObject({
        code: 'BAD_USER_INPUT',
        message: expect.stringContaining('reason is required'),
      });
      expect(await call('official', 'excludeCase', { caseId: id, reasons: [] })).toMatchObject({
        code: 'BAD_USER_INPUT',
        message: expect.stringContaining('reasons: name at least one of THREAT'),
      });
      await ok('official', 'routeCase', { caseId: id, organizationId: KALMANSKY });
      await ok('reception', 'registerCase', { caseId: id });
      expect(await call('reception', 'assignCase', { caseId: id, executorLogin: 'head' })).toMatchObject({
        code: 'BAD_USER_INPUT',
        message: 'executorLogin: "head" is not an executor of kalmansky or of an organisation above it',
      });
    });

    it('a draft that does not fit the platform is refused with what to change (cl. 10)', async () => {
      const { id } = await driver.open(KALMANSKY, { platform: 'TELEGRAM', sourceId: 'demo-telegram' });
      await ok('official', 'routeCase', { caseId: id, organizationId: KALMANSKY });
      await ok('reception', 'registerCase', { caseId: id });
      await ok('reception', 'assignCase', { caseId: id, executorLogin: 'executor' });
      const result = await call('executor', 'submitDraft', {
        caseId: id,
        kind: 'FINAL',
        text: 'ж'.repeat(1100),
        attachments: [{ type: 'PHOTO', url: 'https://files.example/1.jpg' }],
      });
      expect(result.code).toBe('BAD_USER_INPUT');
      expect(result.message).toMatch(/TELEGRAM|Telegram/);
      expect(result.message).toContain('1,024');
    });
  });

  describe('clarification (cl. 7): the author’s reply joins the case and returns it to the executor', () => {
    it('AWAITING_AUTHOR → the reply joins → ASSIGNED with new ANSWER and DRAFT deadlines; no new case', async () => {
      const author = { id: 'id-clarify-1', name: 'Пётр', url: 'https://vk.com/id-clarify-1' };
      const { id } = await driver.open(KALMANSKY, { author });
      await ok('official', 'routeCase', { caseId: id, organizationId: KALMANSKY });
      await ok('reception', 'registerCase', { caseId: id });
      await ok('reception', 'assignCase', { caseId: id, executorLogin: 'executor' });
      await ok('executor', 'submitDraft', {
        caseId: id,
        kind: 'CLARIFICATION',
        text: 'Уточните, пожалуйста, номер дома.',
      });
      expect((await ok('official', 'approveDraft', { caseId: id })).status).toBe('AWAITING_AUTHOR');

      const reply = await workflow.publishMessageAccepted(KALMANSKY, { author, text: 'Дом 15' });
      await waitFor('the reply handled', async () => ((await workflow.handled(reply.eventId)) ? true : undefined));
      const kase = (await read('official', id)) as CaseView;
      expect(kase.status).toBe('ASSIGNED');
      expect(kase.replies).toEqual([{ text: 'Дом 15' }]);
      expect(kase.history.at(-1)).toMatchObject({
        action: 'AUTHOR_REPLIED',
        from: 'AWAITING_AUTHOR',
        to: 'ASSIGNED',
        actor: 'system',
      });
      expect(deadline(kase, 'ANSWER').map((d) => d.state)).toEqual([
        'MET',
        expect.stringMatching(/ON_TRACK|AT_RISK|OVERDUE/),
      ]);
      const opened = await workflow.inScope(ALL_ORGS, () =>
        workflow.app
          .get(UnitOfWork)
          .manager.query<unknown[]>('select 1 from workflow.cases where message_id = $1', [reply.data.messageId]),
      );
      expect(opened).toHaveLength(0);
    });
  });

  describe('a repeat (cl. 9): linked to the earlier case, pre-assigned, its answer must carry the measures', () => {
    it('the repeat opens linked, is assigned at registration, and refuses a draft without measures', async () => {
      const author = { id: 'id-repeat-1', name: 'Анна' };
      const earlier = await driver.open(KALMANSKY, { author, text: 'Яма на дороге у школы на улице Ленина' });
      await ok('official', 'routeCase', { caseId: earlier.id, organizationId: KALMANSKY });
      await ok('reception', 'registerCase', { caseId: earlier.id });
      await ok('reception', 'assignCase', { caseId: earlier.id, executorLogin: 'executor' });
      await ok('executor', 'submitDraft', { caseId: earlier.id, kind: 'FINAL', text: 'Яму засыплют на неделе.' });
      await ok('official', 'approveDraft', { caseId: earlier.id });

      const repeat = await driver.open(KALMANSKY, { author, text: 'Яму у школы так и не засыпали!' });
      const opened = (await read('official', repeat.id)) as CaseView;
      expect(opened).toMatchObject({ repeatOf: { id: earlier.id }, executor: { login: 'executor' } });
      expect(opened.relatedCases).toEqual([{ id: earlier.id }]);

      await ok('official', 'routeCase', { caseId: repeat.id, organizationId: KALMANSKY });
      const registered = await ok('reception', 'registerCase', { caseId: repeat.id });
      expect(registered.status).toBe('ASSIGNED');
      expect(registered.history.slice(-2).map((h) => h.action)).toEqual(['REGISTER', 'ASSIGN']);

      expect(
        await call('executor', 'submitDraft', { caseId: repeat.id, kind: 'FINAL', text: 'Засыпали.' }),
      ).toMatchObject({
        code: 'BAD_USER_INPUT',
        message: expect.stringContaining('measures is required'),
      });
      const submitted = await ok('executor', 'submitDraft', {
        caseId: repeat.id,
        kind: 'FINAL',
        text: 'Яма засыпана 2 декабря.',
        measures: 'Подрядчику выставлена претензия; яма засыпана щебнем 2 декабря.',
      });
      expect(submitted.status).toBe('DRAFT_SUBMITTED');
    });
  });

  describe('exclusion (cl. 11) and dismissal', () => {
    it('an excluded case is kept with its reasons and the decider; deadlines other than ROUTE are cancelled; a THREAT is announced', async () => {
      const { id } = await driver.open(BURANOVSKY);
      const excluded = await ok('buranovsky.official', 'excludeCase', {
        caseId: id,
        reasons: ['THREAT', 'INSULT'],
        comment: 'угрозы главе',
      });
      expect(excluded).toMatchObject({
        status: 'EXCLUDED',
        exclusionReasons: ['THREAT', 'INSULT'],
        decidedBy: 'buranovsky.official',
      });
      expect(excluded.deadlines).toEqual([
        { kind: 'ROUTE', state: 'MET', responsible: { login: 'buranovsky.official' } },
      ]);
      const [event] = (
        await workflow.readEvents<CaseTransitionedV1>(
          eventFilter(workflow.prefix, CaseTransitioned),
          (events) => events.some((e) => e.data.caseId === id),
          'the exclusion event',
        )
      ).filter((e) => e.data.caseId === id);
      expect(event.data).toMatchObject({
        action: 'EXCLUDE',
        exclusionReasons: ['THREAT', 'INSULT'],
        organizationPath: [BURANOVSKY, KALMANSKY],
      });
      // The district sees it too, and it stays: a second exclusion is a conflict, not a new record.
      expect((await read('coordinator', id))?.status).toBe('EXCLUDED');
      expect((await call('buranovsky.official', 'excludeCase', { caseId: id, reasons: ['OBSCENE'] })).code).toBe(
        'CONFLICT',
      );
    });

    it('a dismissed case keeps the reason and who decided', async () => {
      const { id } = await driver.open(KALMANSKY);
      const dismissed = await ok('official', 'dismissCase', { caseId: id, reason: 'Реклама, не обращение' });
      expect(dismissed).toMatchObject({ status: 'DISMISSED', decidedBy: 'official' });
      expect(dismissed.history.at(-1)).toMatchObject({ action: 'DISMISS', reason: 'Реклама, не обращение' });
    });
  });

  describe('screening against the officials’ decisions (cl. 11)', () => {
    it('a first decision confirms or overrules screening in the history, and screeningReview counts both', async () => {
      const SHADRINSKY = demoOrganization('shadrinsky').id;
      const flagged = { reasons: ['THREAT' as const] };
      const confirmed = await driver.open(SHADRINSKY, { screening: flagged });
      const overruled = await driver.open(SHADRINSKY, { screening: flagged });
      await driver.open(SHADRINSKY, { screening: flagged }); // awaiting a decision
      const missed = await driver.open(SHADRINSKY, { screening: { reasons: [] } });
      await driver.open(SHADRINSKY); // opened before screening existed: not counted

      const excluded = await ok('official', 'excludeCase', { caseId: confirmed.id, reasons: ['THREAT'] });
      expect(excluded.history.at(-1)?.reason).toBe('THREAT; confirms screening (THREAT)');
      const routed = await ok('official', 'routeCase', { caseId: overruled.id, organizationId: SHADRINSKY });
      expect(routed.history.at(-1)?.reason).toBe(
        'to shadrinsky; overrules screening, which proposed exclusion (THREAT)',
      );
      const alone = await ok('official', 'excludeCase', { caseId: missed.id, reasons: ['INSULT'] });
      expect(alone.history.at(-1)?.reason).toBe('INSULT; screening had found nothing');

      const review = await workflow.graphql<{ screeningReview: Record<string, number | null> }>(
        'query ($filter: ScreeningReviewFilter) { screeningReview(filter: $filter) { flagged confirmed overruled pending missed precision recall } }',
        { filter: { organizationId: SHADRINSKY } },
        viewers.coordinator,
      );
      expect(review.data?.screeningReview).toEqual({
        flagged: 2,
        confirmed: 1,
        overruled: 1,
        pending: 1,
        missed: 1,
        precision: 0.5,
        recall: 0.5,
      });
      const forbidden = await workflow.graphql('{ screeningReview { flagged } }', {}, viewers.executor);
      expect(forbidden.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    });
  });

  describe('beyond the contract: change of executor, comments, links, manual publication', () => {
    it('a change of executor needs a reason and passes the open deadlines to the new one', async () => {
      await driver.appoint('executor2', KALMANSKY, 'EXECUTOR');
      viewers.executor2 = await workflow.viewer('executor2');
      const { id } = await driver.open(KALMANSKY);
      await ok('official', 'routeCase', { caseId: id, organizationId: KALMANSKY });
      await ok('reception', 'registerCase', { caseId: id });
      await ok('reception', 'assignCase', { caseId: id, executorLogin: 'executor' });
      expect((await call('reception', 'assignCase', { caseId: id, executorLogin: 'executor2' })).code).toBe(
        'BAD_USER_INPUT',
      );
      const changed = await ok('official', 'assignCase', {
        caseId: id,
        executorLogin: 'executor2',
        reason: 'в отпуске',
      });
      expect(changed.executor).toEqual({ login: 'executor2' });
      expect(changed.history.at(-1)).toMatchObject({
        action: 'REASSIGN',
        from: 'ASSIGNED',
        to: 'ASSIGNED',
        reason: 'to executor2: в отпуске',
      });
      expect(changed.deadlines.filter((d) => d.kind !== 'ROUTE').map((d) => d.responsible?.login)).toEqual([
        'executor2',
        'executor2',
      ]);
      expect(await read('executor', id)).toBeNull();
    });

    it('comments stay inside the team; links read both ways and can be removed; a manual publication records its address', async () => {
      const a = await driver.open(KALMANSKY);
      const b = await driver.open(KALMANSKY);
      await ok('head', 'addCaseComment', { caseId: a.id, text: 'Проверить на выезде' });
      const linked = await ok('official', 'linkCases', { caseId: a.id, relatedCaseId: b.id });
      expect(linked.comments).toEqual([{ author: 'head', text: 'Проверить на выезде' }]);
      expect(linked.relatedCases).toEqual([{ id: b.id }]);
      expect((await read('official', b.id))?.relatedCases).toEqual([{ id: a.id }]);
      expect((await call('official', 'linkCases', { caseId: b.id, relatedCaseId: a.id })).code).toBe('CONFLICT');
      expect((await ok('official', 'unlinkCases', { caseId: b.id, relatedCaseId: a.id })).relatedCases).toEqual([]);

      await ok('official', 'routeCase', { caseId: a.id, organizationId: KALMANSKY });
      await ok('reception', 'registerCase', { caseId: a.id });
      await ok('reception', 'assignCase', { caseId: a.id, executorLogin: 'executor' });
      await ok('executor', 'submitDraft', { caseId: a.id, kind: 'FINAL', text: 'Сделано.' });
      await ok('official', 'approveDraft', { caseId: a.id });
      expect(
        (await call('official', 'recordManualPublication', { caseId: a.id, url: 'javascript:alert(1)' })).code,
      ).toBe('BAD_USER_INPUT');
      const recorded = await ok('official', 'recordManualPublication', {
        caseId: a.id,
        url: 'https://vk.com/wall-1_1?reply=77',
      });
      expect(recorded.publications).toEqual([
        { kind: 'FINAL', status: 'MANUAL', url: 'https://vk.com/wall-1_1?reply=77', platform: 'VK' },
      ]);
    });
  });
});
