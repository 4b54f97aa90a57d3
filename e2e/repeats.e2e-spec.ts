import { randomUUID } from 'node:crypto';
import { developmentToken, Stack, waitFor } from '@otklik/testing';
import { graphql, signedWebhook } from './support/clients';
import { E2eStack, startE2eStack } from './support/stack';

const CASE_FIELDS = 'id status executor { login } repeatOf { id } relatedCases { id } history { action reason }';

interface CaseView {
  id: string;
  status: string;
  executor: { login: string } | null;
  repeatOf: { id: string } | null;
  relatedCases: Array<{ id: string }>;
  history: Array<{ action: string; reason: string | null }>;
}

describe('Step 4 end to end, through the gateway: a repeat (cl. 9) found by its author and its text', () => {
  let stack: Stack;
  let e2e: E2eStack | undefined;
  const tokens: Record<string, string> = {};

  /** A citizen's message through the signed generic webhook; its case once workflow opened it. */
  async function message(text: string, author: { id: string; name: string }): Promise<string> {
    const response = await signedWebhook(`${stack.urls.intake}/webhooks/generic/demo-webhook`, 'demo-secret', {
      externalId: `post-${randomUUID()}`,
      url: 'https://vk.com/wall-1_123?reply=9',
      platform: 'VK',
      text,
      postedAt: new Date().toISOString(),
      author,
    });
    expect(response.status).toBe(202);
    const { messageId } = (await response.json()) as { messageId: string };
    return waitFor(
      `the case of message ${messageId}`,
      async () => {
        const found = await graphql<{ cases: { edges: Array<{ node: { id: string; message: { id: string } } }> } }>(
          stack.graphqlUrl,
          tokens.official,
          '{ cases(first: 50) { edges { node { id message { id } } } } }',
        );
        return found.data?.cases.edges.find((e) => e.node.message.id === messageId)?.node.id;
      },
      15_000,
    );
  }

  async function step(login: string, mutation: string, input: Record<string, unknown>): Promise<CaseView> {
    const answer = await graphql<Record<string, CaseView>>(
      stack.graphqlUrl,
      tokens[login],
      `mutation ($input: ${mutation[0].toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { ${CASE_FIELDS} } }`,
      { input },
    );
    if (answer.errors) throw new Error(`${mutation} as ${login}: ${JSON.stringify(answer.errors)}`);
    return answer.data?.[mutation] as CaseView;
  }

  async function caseById(id: string): Promise<CaseView> {
    const answer = await graphql<{ case: CaseView | null }>(
      stack.graphqlUrl,
      tokens.official,
      `query ($id: ID!) { case(id: $id) { ${CASE_FIELDS} } }`,
      { id },
    );
    expect(answer.errors).toBeUndefined();
    return answer.data?.case as CaseView;
  }

  beforeAll(async () => {
    e2e = await startE2eStack('e2e_repeats');
    stack = e2e.stack;
    for (const login of ['official', 'reception', 'executor']) tokens[login] = await developmentToken(login);
  }, 90_000);

  afterAll(async () => {
    await e2e?.stop();
  });

  it('answered and closed, then the same author again about it: Case.repeatOf is the first case; about another issue: no repeat', async () => {
    const author = { id: `id-${randomUUID()}`, name: 'Ольга Смирнова' };
    const first = await message(
      'Во дворе дома 12 по улице Садовой третью неделю не вывозят мусор, контейнеры переполнены',
      author,
    );
    const district = await graphql<{ organizations: Array<{ id: string; code: string }> }>(
      stack.graphqlUrl,
      tokens.official,
      '{ organizations { id code } }',
    );
    const kalmansky = district.data?.organizations.find((o) => o.code === 'kalmansky')?.id;
    await step('official', 'routeCase', { caseId: first, organizationId: kalmansky });
    await step('reception', 'registerCase', { caseId: first });
    await step('reception', 'assignCase', { caseId: first, executorLogin: 'executor' });
    await step('executor', 'submitDraft', {
      caseId: first,
      kind: 'FINAL',
      text: 'Мусор вывезен, график восстановлен.',
    });
    expect((await step('official', 'approveDraft', { caseId: first })).status).toBe('ANSWERED');
    expect((await step('official', 'closeCase', { caseId: first })).status).toBe('CLOSED');

    const again = await caseById(
      await message('Повторно пишу: мусор во дворе на Садовой 12 так и не вывезли, контейнеры переполнены!', author),
    );
    expect(again).toMatchObject({ repeatOf: { id: first }, executor: { login: 'executor' } });
    expect(again.relatedCases).toEqual([{ id: first }]);
    expect(again.history[0]).toMatchObject({
      action: 'OPEN',
      reason: expect.stringMatching(/repeats case .+ \(cl\. 9: same author, text similarity 0\.\d\d\)/),
    });

    const other = await caseById(
      await message('На перекрёстке Ленина и Гагарина не работает светофор, дети переходят дорогу с риском', author),
    );
    expect(other).toMatchObject({ repeatOf: null, relatedCases: [] });
  }, 90_000);
});
