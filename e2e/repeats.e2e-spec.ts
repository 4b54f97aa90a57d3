import { randomUUID } from 'node:crypto';
import { Stack } from '@otklik/testing';
import { CaseClient } from './support/cases';
import { graphql } from './support/clients';
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
  let cases: CaseClient<CaseView>;

  /** A citizen's message through the signed generic webhook; its case once workflow opened it. */
  const caseOfMessage = async (text: string, author: { id: string; name: string }): Promise<string> =>
    (await cases.message(text, author)).caseId;

  beforeAll(async () => {
    e2e = await startE2eStack('e2e_repeats');
    stack = e2e.stack;
    cases = await CaseClient.open<CaseView>(stack, CASE_FIELDS, ['official', 'reception', 'executor']);
  }, 90_000);

  afterAll(async () => {
    await e2e?.stop();
  });

  it('answered and closed, then the same author again about it: Case.repeatOf is the first case; about another issue: no repeat', async () => {
    const author = { id: `id-${randomUUID()}`, name: 'Ольга Смирнова' };
    const first = await caseOfMessage(
      'Во дворе дома 12 по улице Садовой третью неделю не вывозят мусор, контейнеры переполнены',
      author,
    );
    const district = await graphql<{ organizations: Array<{ id: string; code: string }> }>(
      stack.graphqlUrl,
      cases.token('official'),
      '{ organizations { id code } }',
    );
    const kalmansky = district.data?.organizations.find((o) => o.code === 'kalmansky')?.id;
    await cases.step('official', 'routeCase', { caseId: first, organizationId: kalmansky });
    await cases.step('reception', 'registerCase', { caseId: first });
    await cases.step('reception', 'assignCase', { caseId: first, executorLogin: 'executor' });
    await cases.step('executor', 'submitDraft', {
      caseId: first,
      kind: 'FINAL',
      text: 'Мусор вывезен, график восстановлен.',
    });
    expect((await cases.step('official', 'approveDraft', { caseId: first })).status).toBe('ANSWERED');
    expect((await cases.step('official', 'closeCase', { caseId: first })).status).toBe('CLOSED');

    const again = await cases.byId(
      await caseOfMessage(
        'Повторно пишу: мусор во дворе на Садовой 12 так и не вывезли, контейнеры переполнены!',
        author,
      ),
    );
    expect(again).toMatchObject({ repeatOf: { id: first }, executor: { login: 'executor' } });
    expect(again.relatedCases).toEqual([{ id: first }]);
    expect(again.history[0]).toMatchObject({
      action: 'OPEN',
      reason: expect.stringMatching(/repeats case .+ \(cl\. 9: same author, text similarity 0\.\d\d\)/),
    });

    const other = await cases.byId(
      await caseOfMessage(
        'На перекрёстке Ленина и Гагарина не работает светофор, дети переходят дорогу с риском',
        author,
      ),
    );
    expect(other).toMatchObject({ repeatOf: null, relatedCases: [] });
  }, 90_000);
});
