import { randomUUID } from 'node:crypto';
import { ERASED_TEXT } from '@otklik/contracts';
import { Stack, waitFor } from '@otklik/testing';
import { CaseClient } from './support/cases';
import { graphql } from './support/clients';
import { E2eStack, startE2eStack } from './support/stack';

const CASE_FIELDS = 'id status message { id text url author { id name url } } history { action }';

interface CaseView {
  id: string;
  status: string;
  message: { id: string; text: string; url: string | null; author: { id: string | null; name: string | null } | null };
  history: Array<{ action: string }>;
}

const ERASE = `mutation ($input: EraseAuthorDataInput!) {
  eraseAuthorData(input: $input) { id messages messageIds }
}`;
const EXPORT = `mutation ($input: AuthorDataInput!) { exportAuthorData(input: $input) { messages document } }`;

describe('Step 6 end to end, through the gateway: a data subject’s erasure (152-FZ) keeps the case, anonymised', () => {
  let stack: Stack;
  let e2e: E2eStack | undefined;
  let cases: CaseClient<CaseView>;

  beforeAll(async () => {
    e2e = await startE2eStack('e2e_author_erase');
    stack = e2e.stack;
    cases = await CaseClient.open<CaseView>(stack, CASE_FIELDS, ['coordinator', 'official']);
  }, 90_000);

  afterAll(async () => {
    await e2e?.stop();
  });

  it('webhook → case → the author’s data exported, then erased: the case is still there, its message anonymised in every service', async () => {
    const token = randomUUID().slice(0, 8);
    const author = { id: `id-${randomUUID()}`, name: 'Анфиса Эрастова' };
    const text = `Во дворе дома Эрастовой ${token} третью неделю не вывозят мусор`;
    const { messageId, caseId } = await cases.message(text, author);
    const district = await graphql<{ organizations: Array<{ id: string; code: string }> }>(
      stack.graphqlUrl,
      cases.token('official'),
      '{ organizations { id code } }',
    );
    const reception = district.data?.organizations.find((o) => o.code === 'kalmansky.reception')?.id;
    expect((await cases.step('official', 'routeCase', { caseId, organizationId: reception })).status).toBe('ROUTED');

    // Only a coordinator answers such a request.
    const refused = await graphql(stack.graphqlUrl, cases.token('official'), EXPORT, {
      input: { platform: 'VK', authorId: author.id },
    });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const exported = await graphql<{
      exportAuthorData: { messages: number; document: { messages: Array<{ text: string }> } };
    }>(stack.graphqlUrl, cases.token('coordinator'), EXPORT, { input: { platform: 'VK', authorId: author.id } });
    expect(exported.errors).toBeUndefined();
    expect(exported.data?.exportAuthorData.document.messages.map((m) => m.text)).toEqual([text]);

    const erased = await graphql<{ eraseAuthorData: { messages: number; messageIds: string[] } }>(
      stack.graphqlUrl,
      cases.token('coordinator'),
      ERASE,
      {
        input: {
          platform: 'VK',
          authorId: author.id,
          reason: 'Отзыв согласия на обработку персональных данных',
          requestReference: `вх. № ${token}`,
        },
      },
    );
    expect(erased.errors).toBeUndefined();
    expect(erased.data?.eraseAuthorData).toMatchObject({ messages: 1, messageIds: [messageId] });

    // The case stays, with its status and history; its message (intake's) is anonymised at once.
    const after = await cases.byId(caseId);
    expect(after).toMatchObject({
      id: caseId,
      status: 'ROUTED',
      message: { id: messageId, text: ERASED_TEXT, url: null },
    });
    expect(after.message.author).toEqual({ id: expect.stringMatching(/^erased-/), name: null, url: null });
    expect(after.history.map((h) => h.action)).toEqual(['OPEN', 'ROUTE']);

    // workflow's copy of the text (the cases' text search) follows once it has handled author.erased.
    await waitFor(
      'workflow to anonymise its copy of the text',
      async () => {
        const found = await graphql<{ cases: { totalCount: number } }>(
          stack.graphqlUrl,
          cases.token('official'),
          'query ($text: String!) { cases(filter: { text: $text }) { totalCount } }',
          { text: token },
        );
        return found.data?.cases.totalCount === 0 ? true : undefined;
      },
      20_000,
    );
  });
});
