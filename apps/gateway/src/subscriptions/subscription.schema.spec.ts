import 'reflect-metadata';
import type { Viewer } from '@otklik/auth';
import { ApolloGateway } from '@apollo/gateway';
import { CASE_STATUSES, EventEnvelope } from '@otklik/contracts';
import {
  buildSchema,
  ExecutionResult,
  graphql,
  GraphQLEnumType,
  GraphQLError,
  GraphQLObjectType,
  parse,
  subscribe,
} from 'graphql';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { batchVariables, EntitySelection, readBatch } from './entity.query';
import { ViewerRefresher } from '../auth/live.viewer';
import { EntityResolver, EventSource, SubscriptionBridge } from './subscription.bridge';
import { readSupergraph } from '../config/repo.files';
import {
  buildSubscriptionSchema,
  extendWithSubscriptions,
  prefetchedFieldResolver,
  SubscriptionContext,
} from './subscription.schema';

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
/** What the viewer lookup answers now (tests change it). */
let answer: Viewer;
beforeEach(() => (answer = viewer));

/** A connection's context: its viewer is a LiveViewer over the lookup above. */
function connectionContext(): SubscriptionContext {
  const refresher = new ViewerRefresher(
    { viewer: () => Promise.resolve(answer) },
    { warn: jest.fn(), info: jest.fn() },
  );
  return {
    viewer,
    correlationId: 'c',
    viewerToken: () => Promise.resolve('t'),
    subscriber: refresher.track({ login: viewer.login, viewer }),
  };
}

/** What the stand-in graph answers: cases and notifications by id (absent: not visible to the viewer). */
interface Graph {
  cases?: Record<string, Record<string, unknown>>;
  notifications?: Record<string, Record<string, unknown>>;
}

/**
 * The executor runs the batched entity query (as the gateway would through the federated graph)
 * against the small API schema: the only fake is the data behind it.
 */
function setup(graph: Graph = {}) {
  let push: (e: EventEnvelope) => void = () => undefined;
  const events: EventSource = { listen: (l) => ((push = l), () => undefined) };
  const queries: Array<{ selection: EntitySelection; ids: readonly string[]; query: string }> = [];
  const rootValue = {
    case: ({ id }: { id: string }) => graph.cases?.[id] ?? null,
    notification: ({ id }: { id: string }) => graph.notifications?.[id] ?? null,
  };
  const resolve: EntityResolver<EntitySelection> = async (_viewer, ids, selection) => {
    const query = selection.queryFor(ids.length);
    queries.push({ selection, ids, query });
    const result = await graphql({
      schema: apiSchema,
      source: query,
      variableValues: batchVariables(selection, ids),
      rootValue,
    });
    if (!result.data) throw new Error(JSON.stringify(result.errors));
    return readBatch(selection, result.data, ids.length);
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
      contextValue: connectionContext(),
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

const settle = () => new Promise((r) => setImmediate(r));
const kalmansky = { id: 'org-1', code: 'kalmansky' };
const aCase = (id: string, status = 'ROUTED') => ({ id, status, organization: kalmansky, repeatOf: null });

const isStream = (r: AsyncGenerator<ExecutionResult> | ExecutionResult): r is AsyncGenerator<ExecutionResult> =>
  Symbol.asyncIterator in r;

describe('subscription schema over the bridge (batched entity queries run against a stand-in graph)', () => {
  const subscriptionWithEverything = `subscription S($withOrg: Boolean!) {
       caseEvents { kind: type ...Ev again: case { id } }
     }
     fragment Ev on CaseEvent { at c: case { ...C organization @include(if: $withOrg) { code } } }
     fragment C on Case { ident: id st: status }`;

  it('runs the subscriber’s selection under `case` as a query, aliases, fragments and variables included', async () => {
    const { run, publish, queries } = setup({ cases: { 'case-1': aCase('case-1') } });
    const stream = await run(subscriptionWithEverything, { withOrg: true });
    if (!isStream(stream)) throw new Error(JSON.stringify(stream));
    const next = stream.next();
    await settle();
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
    const { selection, ids, query } = queries[0];
    expect(ids).toEqual(['case-1']);
    expect(selection.responseKeys).toEqual(['c', 'again']);
    expect(selection.variables).toEqual({ withOrg: true });
    expect(query).toMatch(/query OtklikSubscriptionEntity\(\$otklikEntityId0: ID!, \$withOrg: Boolean!\)/);
    expect(query).toMatch(/e0_c: case\(id: \$otklikEntityId0\)/);
    expect(query).toMatch(/e0_again: case\(id: \$otklikEntityId0\)/);
    expect(query).toMatch(/fragment C on Case/);
    expect(query).not.toMatch(/fragment Ev/);
    await stream.return(undefined);
  });

  it('events queued together are one batched query; aliases, fragments and variables hold for each, hidden ones skipped', async () => {
    const { run, publish, queries } = setup({
      cases: { 'case-1': aCase('case-1'), 'case-2': aCase('case-2', 'DETECTED'), 'case-3': aCase('case-3') },
    });
    const stream = await run(subscriptionWithEverything, { withOrg: false });
    if (!isStream(stream)) throw new Error(JSON.stringify(stream));
    for (const caseId of ['case-1', 'hidden', 'case-2', 'case-3']) publish('case.routed', 'o1', { caseId });
    const received = [];
    for (let i = 0; i < 3; i += 1) received.push((await stream.next()).value);
    expect(received).toEqual(
      ['case-1', 'case-2', 'case-3'].map((id) => ({
        data: {
          caseEvents: {
            kind: 'UPDATED',
            at: '2026-11-27T08:15:00.000Z',
            c: { ident: id, st: id === 'case-2' ? 'DETECTED' : 'ROUTED' },
            again: { id },
          },
        },
      })),
    );
    expect(queries.map((q) => q.ids)).toEqual([['case-1', 'hidden', 'case-2', 'case-3']]);
    const { query } = queries[0];
    expect(query).toMatch(
      /\(\$otklikEntityId0: ID!, \$otklikEntityId1: ID!, \$otklikEntityId2: ID!, \$otklikEntityId3: ID!/,
    );
    expect(query).toMatch(/e3_c: case\(id: \$otklikEntityId3\)/);
    expect(query.match(/fragment C on Case/g)).toHaveLength(1);
    await stream.return(undefined);
  });

  it('case.transitioned is TRANSITIONED with the move (aliases kept); other case events have the move fields null', async () => {
    const { run, publish } = setup({ cases: { 'case-1': aCase('case-1') } });
    const stream = await run('subscription { caseEvents { type did: action from to by: actor reason case { id } } }');
    if (!isStream(stream)) throw new Error(JSON.stringify(stream));
    const next = stream.next();
    await settle();
    publish('case.transitioned', 'o1', {
      caseId: 'case-1',
      action: 'ROUTE',
      fromStatus: 'DETECTED',
      toStatus: 'ROUTED',
      actor: 'official',
      reason: 'в приёмную',
      organizationPath: ['o1'],
    });
    expect((await next).value).toEqual({
      data: {
        caseEvents: {
          type: 'TRANSITIONED',
          did: 'ROUTE',
          from: 'DETECTED',
          to: 'ROUTED',
          by: 'official',
          reason: 'в приёмную',
          case: { id: 'case-1' },
        },
      },
    });
    const opened = stream.next();
    await settle();
    publish('case.opened', 'o1', { caseId: 'case-1' });
    expect((await opened).value).toEqual({
      data: {
        caseEvents: {
          type: 'OPENED',
          did: null,
          from: null,
          to: null,
          by: null,
          reason: null,
          case: { id: 'case-1' },
        },
      },
    });
    await stream.return(undefined);
  });

  it('a routed case reaches a subscriber of the organisation it left', async () => {
    const { run, publish } = setup({ cases: { 'case-1': aCase('case-1') } });
    const stream = await run('subscription { caseEvents(organizationId: "o1") { type action case { id } } }');
    if (!isStream(stream)) throw new Error(JSON.stringify(stream));
    const next = stream.next();
    await settle();
    publish('case.transitioned', 'o-reception', {
      caseId: 'case-1',
      action: 'ROUTE',
      fromStatus: 'DETECTED',
      toStatus: 'ROUTED',
      actor: 'official',
      fromOrganizationId: 'o1',
      organizationPath: ['o-reception', 'o1'],
    });
    expect((await next).value).toEqual({
      data: { caseEvents: { type: 'TRANSITIONED', action: 'ROUTE', case: { id: 'case-1' } } },
    });
    await stream.return(undefined);
  });

  it('notificationAdded: the subscription field itself is the entity', async () => {
    const { run, publish, queries } = setup({
      notifications: { n1: { id: 'n1', text: 'hello', case: null } },
    });
    const stream = await run('subscription { n: notificationAdded { id words: text } }');
    if (!isStream(stream)) throw new Error(JSON.stringify(stream));
    const next = stream.next();
    await settle();
    publish('notification.created', 'o1', { notificationId: 'n1', userId: 'u1' });
    expect((await next).value).toEqual({ data: { n: { id: 'n1', words: 'hello' } } });
    expect(queries[0].query).toMatch(/e0_n: notification\(id: \$otklikEntityId0\)/);
    await stream.return(undefined);
  });

  it('an organisation the viewer may not see: FORBIDDEN error at subscribe', async () => {
    const { run, bridge } = setup();
    const result = await run('subscription { caseEvents(organizationId: "o2") { type } }');
    expect(isStream(result)).toBe(false);
    expect((result as ExecutionResult).errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect(bridge.subscriberCount).toBe(0);
  });

  it('an organisation the viewer may no longer see: the stream ends with a FORBIDDEN error', async () => {
    const { run, publish, bridge, queries } = setup({ cases: { 'case-1': aCase('case-1') } });
    const stream = await run('subscription { caseEvents(organizationId: "o1") { type } }');
    if (!isStream(stream)) throw new Error(JSON.stringify(stream));
    answer = { ...viewer, roles: [], visibleOrganizationIds: [] };
    const next = stream.next();
    await settle();
    publish('case.routed', 'o1', { caseId: 'case-1' });
    const error = await next.then(
      () => undefined,
      (e: unknown) => e as GraphQLError,
    );
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error?.extensions.code).toBe('FORBIDDEN');
    expect(queries).toEqual([]);
    expect(bridge.subscriberCount).toBe(0);
  });

  it('without a `case` selection, the case is still fetched (as __typename) to check visibility', async () => {
    const { run, publish, queries } = setup({ cases: { shown: aCase('shown') } });
    const stream = await run('subscription { caseEvents { type } }');
    if (!isStream(stream)) throw new Error('no stream');
    const next = stream.next();
    await settle();
    publish('case.opened', 'o1', { caseId: 'hidden' });
    publish('case.opened', 'o1', { caseId: 'shown' });
    expect((await next).value).toEqual({ data: { caseEvents: { type: 'OPENED' } } });
    expect(queries.flatMap((q) => q.ids)).toEqual(['hidden', 'shown']);
    expect(queries[0].query).toMatch(/e0_case: case\(id: \$otklikEntityId0\) {\s*__typename\s*}/);
    await stream.return(undefined);
  });

  it('unsubscribing ends the bridge stream', async () => {
    const { run, bridge } = setup();
    const stream = await run('subscription { caseEvents { type } }');
    if (!isStream(stream)) throw new Error('no stream');
    expect(bridge.subscriberCount).toBe(1);
    await stream.return(undefined);
    expect(bridge.subscriberCount).toBe(0);
  });
});

describe('subscriptions.graphql fits the checked-in supergraph', () => {
  it('extends its API schema as the gateway does at start: every type it names (Case, CaseStatus, Notification…) is there', async () => {
    // ApolloGateway derives the API schema from the supergraph exactly as in production; a static supergraph needs no network.
    const gateway = new ApolloGateway({ supergraphSdl: readSupergraph().sdl });
    try {
      const { schema } = await gateway.load();
      if (!schema) throw new Error('Apollo Gateway loaded no schema');
      const extended = extendWithSubscriptions(schema, sdl);
      const fields = (extended.getType('CaseEvent') as GraphQLObjectType).getFields();
      expect(Object.fromEntries(Object.values(fields).map((f) => [f.name, String(f.type)]))).toEqual({
        type: 'CaseEventType!',
        at: 'DateTime!',
        case: 'Case!',
        action: 'String',
        from: 'CaseStatus',
        to: 'CaseStatus',
        actor: 'String',
        reason: 'String',
      });
      // Every status workflow may publish in case.transitioned is a value of the supergraph's CaseStatus.
      const statuses = (extended.getType('CaseStatus') as GraphQLEnumType).getValues().map((v) => v.name);
      expect(statuses).toEqual(expect.arrayContaining([...CASE_STATUSES]));
    } finally {
      await gateway.stop();
    }
  });
});
