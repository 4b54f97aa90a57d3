import 'reflect-metadata';
import type { Viewer } from '@otklik/auth';
import type { EventEnvelope } from '@otklik/contracts';
import { buildSchema, ExecutionResult, parse, subscribe } from 'graphql';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GatewayContext } from '../auth/auth.context';
import type { EntitySelection } from './entity.query';
import { EntityResolver, EventSource, SubscriptionBridge } from './subscription.bridge';
import { buildSubscriptionSchema, prefetchedFieldResolver } from './subscription.schema';

/** A small API schema standing for the supergraph's. */
const apiSchema = buildSchema(`
  scalar DateTime
  enum CaseStatus { DETECTED ROUTED }
  type Organization { id: ID! code: String! }
  type Case { id: ID! status: CaseStatus! organization: Organization! repeatOf: Case }
  type Notification { id: ID! text: String! case: Case }
  type Query { case(id: ID!): Case  notification(id: ID!): Notification }
`);
const sdl = readFileSync(join(__dirname, 'subscriptions.graphql'), 'utf8');
const viewer: Viewer = {
  userId: 'u1',
  login: 'official',
  displayName: 'O',
  roles: [{ organizationId: 'o1', role: 'OFFICIAL' }],
  visibleOrganizationIds: ['o1'],
};
const context: GatewayContext = { viewer, correlationId: 'c', viewerToken: () => Promise.resolve('t') };

function setup(answer: (selection: EntitySelection, id: string) => Record<string, unknown> | null) {
  let push: (e: EventEnvelope) => void = () => undefined;
  const events: EventSource = { listen: (l) => ((push = l), () => undefined) };
  const queries: Array<{ selection: EntitySelection; id: string }> = [];
  const resolve: EntityResolver<EntitySelection> = (_viewer, id, selection) => {
    queries.push({ selection, id });
    return Promise.resolve(answer(selection, id));
  };
  const bridge = new SubscriptionBridge<EntitySelection>({
    events,
    resolveCase: resolve,
    resolveNotification: resolve,
    logger: { warn: jest.fn(), error: jest.fn(), debug: jest.fn() },
  });
  bridge.start();
  const schema = buildSubscriptionSchema(apiSchema, sdl, bridge);
  const run = async (query: string, variableValues?: Record<string, unknown>) => {
    const result = await subscribe({
      schema,
      document: parse(query),
      variableValues,
      contextValue: context,
      fieldResolver: prefetchedFieldResolver,
    });
    return result as AsyncGenerator<ExecutionResult> | ExecutionResult;
  };
  const publish = (type: string, organizationId: string, data: Record<string, unknown>) =>
    push({
      eventId: 'e',
      type,
      version: 1,
      organizationId,
      occurredAt: '2026-11-27T08:15:00.000Z',
      correlationId: 'corr',
      data,
    });
  return { run, publish, queries, bridge };
}

const isStream = (r: AsyncGenerator<ExecutionResult> | ExecutionResult): r is AsyncGenerator<ExecutionResult> =>
  Symbol.asyncIterator in r;

describe('subscription schema over the bridge (fake executor only)', () => {
  it('runs the subscriber’s selection under `case` as a query, aliases, fragments and variables included', async () => {
    const { run, publish, queries } = setup(() => ({
      c: { ident: 'case-1', st: 'ROUTED', organization: { code: 'kalmansky' }, __typename: 'Case' },
      again: { id: 'case-1', __typename: 'Case' },
    }));
    const stream = await run(
      `subscription S($withOrg: Boolean!) {
         caseEvents { kind: type ...Ev again: case { id } }
       }
       fragment Ev on CaseEvent { at c: case { ...C organization @include(if: $withOrg) { code } } }
       fragment C on Case { ident: id st: status }`,
      { withOrg: true },
    );
    if (!isStream(stream)) throw new Error(JSON.stringify(stream));
    const next = stream.next();
    await new Promise((r) => setImmediate(r));
    publish('case.routed', 'o1', { caseId: 'case-1' });
    expect((await next).value).toEqual({
      data: {
        caseEvents: {
          kind: 'UPDATED',
          at: '2026-11-27T08:15:00.000Z',
          c: { ident: 'case-1', st: 'ROUTED', organization: { code: 'kalmansky' } },
          again: { id: 'case-1' },
        },
      },
    });
    const { selection, id } = queries[0];
    expect(id).toBe('case-1');
    expect(selection.responseKeys).toEqual(['c', 'again']);
    expect(selection.variables).toEqual({ withOrg: true });
    expect(selection.query).toMatch(/query OtklikSubscriptionEntity\(\$otklikEntityId: ID!, \$withOrg: Boolean!\)/);
    expect(selection.query).toMatch(/c: case\(id: \$otklikEntityId\)/);
    expect(selection.query).toMatch(/again: case\(id: \$otklikEntityId\)/);
    expect(selection.query).toMatch(/fragment C on Case/);
    expect(selection.query).not.toMatch(/fragment Ev/);
    await stream.return(undefined);
  });

  it('notificationAdded: the subscription field itself is the entity', async () => {
    const { run, publish, queries } = setup(() => ({ n: { id: 'n1', words: 'hello', __typename: 'Notification' } }));
    const stream = await run('subscription { n: notificationAdded { id words: text } }');
    if (!isStream(stream)) throw new Error(JSON.stringify(stream));
    const next = stream.next();
    await new Promise((r) => setImmediate(r));
    publish('notification.created', 'o1', { notificationId: 'n1', userId: 'u1' });
    expect((await next).value).toEqual({ data: { n: { id: 'n1', words: 'hello' } } });
    expect(queries[0].selection.query).toMatch(/n: notification\(id: \$otklikEntityId\)/);
    await stream.return(undefined);
  });

  it('an organisation the viewer may not see: FORBIDDEN error at subscribe', async () => {
    const { run, bridge } = setup(() => null);
    const result = await run('subscription { caseEvents(organizationId: "o2") { type } }');
    expect(isStream(result)).toBe(false);
    expect((result as ExecutionResult).errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect(bridge.subscriberCount).toBe(0);
  });

  it('without a `case` selection, the case is still fetched (as __typename) to check visibility', async () => {
    const { run, publish, queries } = setup((_s, id) => (id === 'hidden' ? null : { case: { __typename: 'Case' } }));
    const stream = await run('subscription { caseEvents { type } }');
    if (!isStream(stream)) throw new Error('no stream');
    const next = stream.next();
    await new Promise((r) => setImmediate(r));
    publish('case.opened', 'o1', { caseId: 'hidden' });
    publish('case.opened', 'o1', { caseId: 'shown' });
    expect((await next).value).toEqual({ data: { caseEvents: { type: 'OPENED' } } });
    expect(queries.map((q) => q.id)).toEqual(['hidden', 'shown']);
    expect(queries[0].selection.query).toMatch(/case\(id: \$otklikEntityId\) {\s*__typename\s*}/);
    await stream.return(undefined);
  });

  it('unsubscribing ends the bridge stream', async () => {
    const { run, bridge } = setup(() => null);
    const stream = await run('subscription { caseEvents { type } }');
    if (!isStream(stream)) throw new Error('no stream');
    expect(bridge.subscriberCount).toBe(1);
    await stream.return(undefined);
    expect(bridge.subscriberCount).toBe(0);
  });
});
