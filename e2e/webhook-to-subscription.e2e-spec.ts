import { randomUUID } from 'node:crypto';
import { developmentToken, Stack, waitFor } from '@otklik/testing';
import { graphql, signedWebhook, Subscription } from './support/clients';
import { E2eStack, startE2eStack } from './support/stack';

const CASE_FIELDS = `
  id status
  organization { code }
  message { id text url platform author { name } }
  deadlines { kind state startedAt dueAt }
  history { to actor }
`;

interface CaseView {
  id: string;
  status: string;
  organization: { code: string };
  message: { id: string; text: string; url: string; platform: string; author: { name: string } };
  deadlines: Array<{ kind: string; state: string; startedAt: string; dueAt: string }>;
  history: Array<{ to: string; actor: string }>;
}

describe('clause 1, end to end: a signed webhook becomes a case that staff see live, and only the staff who may', () => {
  let stack: Stack;
  let e2e: E2eStack | undefined;

  beforeAll(async () => {
    e2e = await startE2eStack('e2e');
    stack = e2e.stack;
  }, 90_000);

  afterAll(async () => {
    await e2e?.stop();
  });

  it('the district official receives the new case over graphql-ws and finds it by query; a sel’sovet official sees neither', async () => {
    const official = await developmentToken('official');
    const villageOfficial = await developmentToken('buranovsky.official');
    const subscription = `subscription { caseEvents { type at case { ${CASE_FIELDS} } } }`;
    const districtFeed = new Subscription<{ caseEvents: { type: string; case: CaseView } }>(
      stack.websocketUrl,
      official,
      subscription,
    );
    const villageFeed = new Subscription<{ caseEvents: { type: string; case: CaseView } }>(
      stack.websocketUrl,
      villageOfficial,
      subscription,
    );
    await Promise.all([districtFeed.started, villageFeed.started]);
    // The subscription is registered on the server shortly after the socket opens.
    await new Promise((resolve) => setTimeout(resolve, 300));

    const externalId = `post-${randomUUID()}`;
    const text = 'Третий день нет воды на ул. Ленина в Калманке, когда дадут?';
    const correlationId = `e2e-${randomUUID()}`;
    const response = await signedWebhook(
      `${stack.urls.intake}/webhooks/generic/demo-webhook`,
      'demo-secret',
      {
        externalId,
        url: 'https://vk.com/wall-1_123?reply=9',
        platform: 'VK',
        text,
        postedAt: '2026-11-27T08:15:00+07:00',
        author: { id: 'id42', name: 'Иван Петров', url: 'https://vk.com/id42' },
        threadId: 'post-123',
      },
      correlationId,
    );
    expect(response.status).toBe(202);
    const accepted = (await response.json()) as { messageId: string; duplicate: boolean };
    expect(accepted.duplicate).toBe(false);

    const event = await waitFor(
      'the case over the subscription',
      () => districtFeed.received.find((e) => e.caseEvents.case.message.id === accepted.messageId),
      15_000,
    );
    expect(event.caseEvents.type).toBe('OPENED');
    const live = event.caseEvents.case;
    expect(live).toMatchObject({
      status: 'DETECTED',
      organization: { code: 'kalmansky' },
      message: { text, platform: 'VK', url: 'https://vk.com/wall-1_123?reply=9', author: { name: 'Иван Петров' } },
    });
    expect(live.deadlines).toEqual([
      expect.objectContaining({ kind: 'ROUTE', state: expect.stringMatching(/ON_TRACK|AT_RISK|OVERDUE/) }),
    ]);
    expect(live.history).toEqual([expect.objectContaining({ to: 'DETECTED' })]);

    // A query returns exactly what the subscription delivered.
    const queried = await graphql<{ case: CaseView }>(
      stack.graphqlUrl,
      official,
      `query($id: ID!) { case(id: $id) { ${CASE_FIELDS} } }`,
      { id: live.id },
    );
    expect(queried.errors).toBeUndefined();
    expect(queried.data?.case).toEqual(live);
    const listed = await graphql<{ cases: { totalCount: number; edges: Array<{ node: { id: string } }> } }>(
      stack.graphqlUrl,
      official,
      '{ cases(first: 10) { totalCount edges { node { id } } } }',
    );
    expect(listed.data?.cases.edges.map((e) => e.node.id)).toContain(live.id);

    // The sel'sovet official: no event, no case by id, nothing in the list.
    const hidden = await graphql<{ case: CaseView | null }>(
      stack.graphqlUrl,
      villageOfficial,
      `
        query ($id: ID!) {
          case(id: $id) {
            id
          }
        }
      `,
      { id: live.id },
    );
    expect(hidden.errors).toBeUndefined();
    expect(hidden.data?.case).toBeNull();
    const villageList = await graphql<{ cases: { totalCount: number } }>(
      stack.graphqlUrl,
      villageOfficial,
      '{ cases { totalCount } }',
    );
    expect(villageList.data?.cases.totalCount).toBe(0);
    expect(villageFeed.received).toEqual([]);

    // notify told the district's official.
    const notifications = await waitFor('the official’s notification', async () => {
      const result = await graphql<{
        notifications: { edges: Array<{ node: { kind: string; case: { id: string } | null } }> };
      }>(
        stack.graphqlUrl,
        official,
        '{ notifications(first: 10) { edges { node { kind text case { id status } } } } }',
      );
      const edges = result.data?.notifications.edges ?? [];
      return edges.some((e) => e.node.case?.id === live.id) ? edges : undefined;
    });
    expect(notifications.find((e) => e.node.case?.id === live.id)?.node.kind).toBe('CASE_OPENED');

    // One correlation id from the webhook through both events into every service's log lines.
    for (const app of ['intake', 'workflow', 'notify'] as const) {
      expect(stack.output(app)).toContain(correlationId);
    }

    await Promise.all([districtFeed.close(), villageFeed.close()]);
  }, 60_000);

  it('the same webhook again is a duplicate: no second case', async () => {
    const official = await developmentToken('official');
    const body = {
      externalId: `dup-${randomUUID()}`,
      text: 'Яма на дороге у школы',
      postedAt: '2026-11-27T09:00:00+07:00',
    };
    const first = await signedWebhook(`${stack.urls.intake}/webhooks/generic/demo-webhook`, 'demo-secret', body);
    const second = await signedWebhook(`${stack.urls.intake}/webhooks/generic/demo-webhook`, 'demo-secret', body);
    const [a, b] = (await Promise.all([first.json(), second.json()])) as Array<{
      messageId: string;
      duplicate: boolean;
    }>;
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(b).toEqual({ messageId: a.messageId, duplicate: true });
    const count = async () => {
      const result = await graphql<{ cases: { edges: Array<{ node: { message: { id: string } } }> } }>(
        stack.graphqlUrl,
        official,
        '{ cases(first: 100) { edges { node { message { id } } } } }',
      );
      return (result.data?.cases.edges ?? []).filter((e) => e.node.message.id === a.messageId).length;
    };
    await waitFor('the case', async () => ((await count()) === 1 ? true : undefined));
  }, 30_000);

  it('workingTime through the gateway: Friday 15:00 → Monday 15:00 on the district’s calendar', async () => {
    const official = await developmentToken('official');
    const me = await graphql<{ organizations: Array<{ id: string; code: string }> }>(
      stack.graphqlUrl,
      official,
      '{ organizations { id code } }',
    );
    const kalmansky = me.data?.organizations.find((o) => o.code === 'kalmansky')?.id;
    const answer = await graphql<{ workingTime: string }>(
      stack.graphqlUrl,
      official,
      'query ($org: ID!) { workingTime(organizationId: $org, kind: ROUTE, from: "2026-11-27T15:00:00+07:00") }',
      { org: kalmansky },
    );
    expect(answer.errors).toBeUndefined();
    expect(new Date(answer.data?.workingTime ?? '').toISOString()).toBe('2026-11-30T08:00:00.000Z');
  });

  it('without a token the gateway answers UNAUTHENTICATED', async () => {
    const result = await graphql(stack.graphqlUrl, undefined, '{ me { login } }');
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('a subgraph called around the gateway refuses', async () => {
    const result = await graphql(`${stack.urls.workflow}/graphql`, undefined, '{ cases { totalCount } }');
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
