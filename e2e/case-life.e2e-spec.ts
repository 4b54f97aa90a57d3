import { randomUUID } from 'node:crypto';
import { Stack, waitFor } from '@otklik/testing';
import { CaseClient } from './support/cases';
import { graphql, signedWebhook, Subscription } from './support/clients';
import { E2eStack, startE2eStack } from './support/stack';

const CASE_FIELDS = `id status organization { code } executor { login } repeatOf { id }
  deadlines { kind state responsible { login } }
  history { action from to actor }
  publications { kind status }
  replies { text }
  exclusionReasons`;

interface CaseView {
  id: string;
  status: string;
  organization: { code: string };
  executor: { login: string } | null;
  repeatOf: { id: string } | null;
  deadlines: Array<{ kind: string; state: string; responsible: { login: string } | null }>;
  history: Array<{ action: string; from: string | null; to: string; actor: string }>;
  publications: Array<{ kind: string; status: string }>;
  replies: Array<{ text: string }>;
  exclusionReasons: string[] | null;
}

interface CaseEvent {
  caseEvents: {
    type: string;
    action: string | null;
    from: string | null;
    to: string | null;
    case: { id: string; status: string };
  };
}

describe('Step 3 end to end, through the gateway: the life of a case, a clarification, a repeat, an exclusion, a dismissal', () => {
  let stack: Stack;
  let e2e: E2eStack | undefined;
  let cases: CaseClient<CaseView>;

  /** Routed to the district's housing subdivision, registered and assigned to the demo executor. */
  async function toExecutor(caseId: string): Promise<void> {
    const housing = await graphql<{ organizations: Array<{ id: string; code: string }> }>(
      stack.graphqlUrl,
      cases.token('official'),
      '{ organizations { id code } }',
    );
    const housingId = housing.data?.organizations.find((o) => o.code === 'kalmansky.housing')?.id;
    await cases.step('official', 'routeCase', { caseId, organizationId: housingId });
    await cases.step('reception', 'registerCase', { caseId });
    await cases.step('reception', 'assignCase', { caseId, executorLogin: 'executor' });
  }

  beforeAll(async () => {
    e2e = await startE2eStack('e2e_case_life');
    stack = e2e.stack;
    cases = await CaseClient.open<CaseView>(stack, CASE_FIELDS, [
      'official',
      'reception',
      'executor',
      'coordinator',
      'head',
    ]);
  }, 90_000);

  afterAll(async () => {
    await e2e?.stop();
  });

  it('detect → route → register → assign → interim → final after a return → answered, each step live on caseEvents', async () => {
    const feed = new Subscription<CaseEvent>(
      stack.websocketUrl,
      cases.token('head'),
      'subscription { caseEvents { type action from to case { id status } } }',
    );
    await feed.started;
    await new Promise((resolve) => setTimeout(resolve, 300));

    const { caseId } = await cases.message('Третий день нет воды на ул. Ленина');
    await toExecutor(caseId);
    await cases.step('executor', 'submitDraft', {
      caseId,
      kind: 'INTERIM',
      text: 'Заявка передана в МУП «Водоканал».',
    });
    expect((await cases.step('official', 'approveDraft', { caseId })).status).toBe('AWAITING_FINAL');
    await cases.step('executor', 'submitDraft', { caseId, kind: 'FINAL', text: 'Воду дали.' });
    expect((await cases.step('official', 'returnDraft', { caseId, comment: 'Укажите, что сделано.' })).status).toBe(
      'ASSIGNED',
    );
    await cases.step('executor', 'submitDraft', {
      caseId,
      kind: 'FINAL',
      text: 'Участок трубы заменён, вода подана 30 ноября.',
    });
    const answered = await cases.step('official', 'approveDraft', { caseId });

    expect(answered).toMatchObject({
      status: 'ANSWERED',
      organization: { code: 'kalmansky.housing' },
      executor: { login: 'executor' },
    });
    expect(answered.history.map((h) => h.to)).toEqual([
      'DETECTED',
      'ROUTED',
      'REGISTERED',
      'ASSIGNED',
      'DRAFT_SUBMITTED',
      'AWAITING_FINAL',
      'DRAFT_SUBMITTED',
      'ASSIGNED',
      'DRAFT_SUBMITTED',
      'ANSWERED',
    ]);
    expect(answered.deadlines.map((d) => [d.kind, d.state])).toEqual([
      ['ROUTE', 'MET'],
      ['ANSWER', 'MET'],
      ['DRAFT', 'MET'],
      ['FINAL', 'MET'],
      ['DRAFT', 'MET'],
    ]);
    // The demo webhook is a generic source, with no platform to publish through: notify hands both
    // answers to the official to publish by hand.
    const handedOver = await waitFor(
      'both answers handed to the official to publish by hand',
      async () => {
        const seen = await cases.byId(caseId);
        return seen?.publications.every((p) => p.status === 'MANUAL') ? seen.publications : undefined;
      },
      15_000,
    );
    expect(handedOver).toEqual([
      { kind: 'INTERIM', status: 'MANUAL' },
      { kind: 'FINAL', status: 'MANUAL' },
    ]);

    const live = await waitFor(
      'every transition over the subscription',
      () => {
        const mine = feed.received.filter(
          (e) => e.caseEvents.case.id === caseId && e.caseEvents.type === 'TRANSITIONED',
        );
        return mine.length >= 9 ? mine : undefined;
      },
      15_000,
    );
    expect(live.map((e) => e.caseEvents.action)).toEqual([
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
    expect(live.at(-1)?.caseEvents).toMatchObject({
      from: 'DRAFT_SUBMITTED',
      to: 'ANSWERED',
      case: { status: 'ANSWERED' },
    });
    await feed.close();
  }, 60_000);

  it('a clarification round: the author’s reply over the webhook joins the case and returns it to the executor', async () => {
    const author = { id: `id-${randomUUID()}`, name: 'Пётр Сидоров' };
    const { caseId } = await cases.message('Когда отремонтируют дорогу?', author);
    await toExecutor(caseId);
    await cases.step('executor', 'submitDraft', {
      caseId,
      kind: 'CLARIFICATION',
      text: 'Уточните, о какой улице речь?',
    });
    expect((await cases.step('official', 'approveDraft', { caseId })).status).toBe('AWAITING_AUTHOR');

    await signedWebhook(`${stack.urls.intake}/webhooks/generic/demo-webhook`, 'demo-secret', {
      externalId: `post-${randomUUID()}`,
      platform: 'VK',
      text: 'Улица Гагарина',
      postedAt: new Date().toISOString(),
      author,
    });
    const back = await waitFor(
      'the case back with the executor',
      async () => {
        const kase = await cases.byId(caseId);
        return kase?.status === 'ASSIGNED' ? kase : undefined;
      },
      15_000,
    );
    expect(back.replies).toEqual([{ text: 'Улица Гагарина' }]);
    expect(back.history.at(-1)).toMatchObject({ action: 'AUTHOR_REPLIED', actor: 'system' });
  }, 60_000);

  it('a repeat: linked to the earlier case and pre-assigned to its executor; its answer must carry the measures', async () => {
    const author = { id: `id-${randomUUID()}`, name: 'Анна Кузнецова' };
    const earlier = await cases.message('Яма у школы', author);
    await toExecutor(earlier.caseId);
    await cases.step('executor', 'submitDraft', {
      caseId: earlier.caseId,
      kind: 'FINAL',
      text: 'Яму засыплют на неделе.',
    });
    await cases.step('official', 'approveDraft', { caseId: earlier.caseId });

    const repeat = await cases.message('Яму у школы так и не засыпали', author);
    const opened = await cases.byId(repeat.caseId);
    expect(opened).toMatchObject({ repeatOf: { id: earlier.caseId }, executor: { login: 'executor' } });
    await cases.step('official', 'routeCase', {
      caseId: repeat.caseId,
      organizationId: (
        await graphql<{ organizations: Array<{ id: string; code: string }> }>(
          stack.graphqlUrl,
          cases.token('official'),
          '{ organizations { id code } }',
        )
      ).data?.organizations.find((o) => o.code === 'kalmansky')?.id,
    });
    expect((await cases.step('reception', 'registerCase', { caseId: repeat.caseId })).status).toBe('ASSIGNED');
    const refused = await graphql(
      stack.graphqlUrl,
      cases.token('executor'),
      'mutation ($input: SubmitDraftInput!) { submitDraft(input: $input) { id } }',
      { input: { caseId: repeat.caseId, kind: 'FINAL', text: 'Засыпали.' } },
    );
    expect(refused.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
      message: expect.stringContaining('measures is required'),
    });
  }, 60_000);

  it('an exclusion with a THREAT reaches the coordinator; a dismissal keeps its reason', async () => {
    const threat = await cases.message('Глава, я тебя убью');
    // Screening's verdict shows on the case's message, with its evidence, for the official to confirm.
    const screened = await graphql<{
      case: { message: { screening: { excluded: boolean; reasons: string[]; evidence: string[] } } };
    }>(
      stack.graphqlUrl,
      cases.token('official'),
      'query ($id: ID!) { case(id: $id) { message { screening { excluded reasons evidence } } } }',
      { id: threat.caseId },
    );
    expect(screened.data?.case.message.screening).toEqual({
      excluded: true,
      reasons: ['THREAT'],
      evidence: ['тебя убью'],
    });
    const excluded = await cases.step('official', 'excludeCase', {
      caseId: threat.caseId,
      reasons: ['THREAT'],
      comment: 'угроза',
    });
    expect(excluded).toMatchObject({ status: 'EXCLUDED', exclusionReasons: ['THREAT'] });
    const told = await waitFor(
      'the coordinator’s notification',
      async () => {
        const result = await graphql<{
          notifications: { edges: Array<{ node: { kind: string; case: { id: string } | null } }> };
        }>(
          stack.graphqlUrl,
          cases.token('coordinator'),
          '{ notifications(first: 20) { edges { node { kind case { id } } } } }',
        );
        return result.data?.notifications.edges.find((e) => e.node.case?.id === threat.caseId);
      },
      15_000,
    );
    expect(told.node.kind).toBe('CASE_THREAT');

    // Not critical (cl. 1): kept without a case, where officials see it and may still open one.
    const advert = await signedWebhook(`${stack.urls.intake}/webhooks/generic/demo-webhook`, 'demo-secret', {
      externalId: `post-${randomUUID()}`,
      platform: 'VK',
      text: 'Продам гараж недорого',
      postedAt: new Date().toISOString(),
    });
    const { messageId: advertId } = (await advert.json()) as { messageId: string };
    const kept = await waitFor(
      `message ${advertId} kept without a case`,
      async () => {
        const found = await graphql<{
          uncasedMessages: { edges: Array<{ node: { id: string; message: { criticality: { critical: boolean } } } }> };
        }>(
          stack.graphqlUrl,
          cases.token('official'),
          '{ uncasedMessages(first: 50) { edges { node { id message { criticality { critical } } } } } }',
        );
        return found.data?.uncasedMessages.edges.find((e) => e.node.id === advertId)?.node;
      },
      15_000,
    );
    expect(kept.message.criticality.critical).toBe(false);
    const opened = await graphql<{ openCase: { id: string; status: string } }>(
      stack.graphqlUrl,
      cases.token('official'),
      'mutation ($input: OpenCaseInput!) { openCase(input: $input) { id status } }',
      { input: { messageId: advertId, reason: 'Проверить: гараж на муниципальной земле' } },
    );
    expect(opened.errors).toBeUndefined();
    expect(opened.data?.openCase.status).toBe('DETECTED');
    const dismissed = await cases.step('official', 'dismissCase', {
      caseId: opened.data?.openCase.id,
      reason: 'Реклама, не обращение',
    });
    expect(dismissed.status).toBe('DISMISSED');
    expect(dismissed.history.at(-1)).toMatchObject({ action: 'DISMISS', actor: 'official' });
  }, 60_000);
});
