import { randomUUID } from 'node:crypto';
import { developmentToken, Stack, waitFor } from '@otklik/testing';
import { graphql, signedWebhook } from './clients';

/**
 * What every end-to-end spec does with cases through the gateway: a citizen's message through
 * the demo's signed generic webhook, its case once workflow opened it, each step of a case as the
 * role that takes it, and a case read back — with the case fields the spec asks for (`C`).
 */
export class CaseClient<C> {
  private constructor(
    private readonly stack: Stack,
    private readonly tokens: Readonly<Record<string, string>>,
    private readonly fields: string,
  ) {}

  /** `fields`: the selection on Case that each step and read returns; `logins`: who takes steps. */
  static async open<C>(stack: Stack, fields: string, logins: readonly string[]): Promise<CaseClient<C>> {
    const tokens: Record<string, string> = {};
    for (const login of logins) tokens[login] = await developmentToken(login);
    return new CaseClient<C>(stack, tokens, fields);
  }

  token(login: string): string {
    const token = this.tokens[login];
    if (!token) throw new Error(`no token for ${login}: open the client with it among the logins`);
    return token;
  }

  /** A mutation that answers with the case (`routeCase`, `approveDraft`, …) as `login`; its errors fail the test. */
  async step(login: string, mutation: string, input: Record<string, unknown>): Promise<C> {
    const type =
      mutation === 'unlinkCases' ? 'LinkCasesInput' : `${mutation[0].toUpperCase()}${mutation.slice(1)}Input`;
    const answer = await graphql<Record<string, C>>(
      this.stack.graphqlUrl,
      this.token(login),
      `mutation ($input: ${type}!) { ${mutation}(input: $input) { ${this.fields} } }`,
      { input },
    );
    if (answer.errors) throw new Error(`${mutation} as ${login}: ${JSON.stringify(answer.errors)}`);
    return answer.data?.[mutation] as C;
  }

  /** The case as `login` sees it; one they may not see fails the test. */
  async byId(id: string, login = 'official'): Promise<C> {
    const answer = await graphql<{ case: C | null }>(
      this.stack.graphqlUrl,
      this.token(login),
      `query ($id: ID!) { case(id: $id) { ${this.fields} } }`,
      { id },
    );
    if (!answer.data?.case) throw new Error(`case ${id} as ${login}: ${JSON.stringify(answer.errors ?? 'not found')}`);
    return answer.data.case;
  }

  /** A citizen's message through the demo generic webhook, and the case workflow opened for it. */
  async message(text: string, author?: { id: string; name: string }): Promise<{ messageId: string; caseId: string }> {
    const response = await signedWebhook(`${this.stack.urls.intake}/webhooks/generic/demo-webhook`, 'demo-secret', {
      externalId: `post-${randomUUID()}`,
      url: 'https://vk.com/wall-1_123?reply=9',
      platform: 'VK',
      text,
      postedAt: new Date().toISOString(),
      ...(author ? { author } : {}),
    });
    if (response.status !== 202) throw new Error(`the webhook answered ${response.status}: ${await response.text()}`);
    const { messageId } = (await response.json()) as { messageId: string };
    const caseId = await this.caseOf(`message ${messageId}`, (message) => message.id === messageId);
    return { messageId, caseId };
  }

  /** The id of the case whose message matches, once workflow has opened it (among the newest 50). */
  caseOf(what: string, matches: (message: { id: string; url: string | null }) => boolean): Promise<string> {
    return waitFor(
      `the case of ${what}`,
      async () => {
        const found = await graphql<{
          cases: { edges: Array<{ node: { id: string; message: { id: string; url: string | null } } }> };
        }>(
          this.stack.graphqlUrl,
          this.token('official'),
          '{ cases(first: 50) { edges { node { id message { id url } } } } }',
        );
        return found.data?.cases.edges.find((e) => matches(e.node.message))?.node.id;
      },
      20_000,
    );
  }
}
