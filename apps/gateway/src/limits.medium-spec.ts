import 'reflect-metadata';
import { AuthError, Viewer } from '@otklik/auth';
import { CORRELATION_HEADER } from '@otklik/contracts';
import { createTestDatabase, waitFor, deleteTestStreams } from '@otklik/testing';
import { Response } from 'express';
import { Client, createClient } from 'graphql-ws';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pino from 'pino';
import WebSocket from 'ws';
import type { ViewerLookup } from './auth/viewer.client';
import { loadGatewayConfig } from './config/gateway.config';
import { RunningGateway, startGateway } from './gateway.app';
import { operationHash } from './limits/persisted.operations';
import { hs256Token, StandInSubgraphs, startStandInSubgraphs } from './testing/stand-in-subgraphs';

// Medium test: the operation limits and production mode of the real gateway (HTTP, graphql-ws,
// NATS) in front of stand-in subgraphs, with the default limits unless a test says otherwise.
const NATS_URL = 'nats://127.0.0.1:4222';
const PREFIX = `l${Date.now().toString(36)}`;
const ORG = 'org-kalmansky';
const INTERNAL_SECRET = 'limits-medium-internal-secret-0123456789';
const JWT_SECRET = 'limits-medium-jwt-secret-0123456789abcdef';
const AUTH = { AUTH_JWT_SECRET: JWT_SECRET, AUTH_ISSUER: 'limits-test', AUTH_AUDIENCE: 'otklik' };

const coordinator: Viewer = {
  userId: '11111111-1111-4111-8111-111111111111',
  login: 'coordinator',
  displayName: 'Координатор',
  roles: [{ organizationId: ORG, role: 'COORDINATOR' }],
  visibleOrganizationIds: [ORG],
};
const viewers: ViewerLookup = {
  viewer: (login) =>
    login === coordinator.login
      ? Promise.resolve(coordinator)
      : Promise.reject(new AuthError('UNAUTHENTICATED', 'unknown user')),
};

const workflowSdl = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  scalar DateTime
  enum CaseStatus { DETECTED ROUTED }
  type Organization { id: ID! code: String! }
  type Transition { action: String! actor: String! }
  type Deadline { kind: String! dueAt: DateTime! }
  type Case @key(fields: "id") {
    id: ID!
    status: CaseStatus!
    organization: Organization!
    history: [Transition!]!
    deadlines: [Deadline!]!
    related: [Case!]!
    parent: Case
    "Fails the way a database error would."
    internal: String
  }
  type CaseEdge { node: Case! }
  type CaseConnection { totalCount: Int! edges: [CaseEdge!]! }
  type Viewer { login: String! }
  type Query {
    me: Viewer!
    case(id: ID!): Case
    cases(first: Int): CaseConnection!
    "Answers only when its caller hangs up (or after a minute)."
    slow: String
  }
`;
const notifySdl = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  scalar DateTime
  type Case @key(fields: "id", resolvable: false) { id: ID! }
  type Notification @key(fields: "id") { id: ID! text: String! case: Case }
  type Query { notification(id: ID!): Notification }
`;

const aCase = (id: string) => ({
  id,
  status: 'DETECTED',
  organization: { id: ORG, code: 'kalmansky' },
  history: [
    { action: 'OPEN', actor: 'system' },
    { action: 'ROUTE', actor: 'coordinator' },
  ],
  deadlines: [{ kind: 'ROUTE', dueAt: '2026-11-27T08:15:00.000Z' }],
  related: [],
  parent: null,
});

type Ctx = { viewer: Viewer; res: Response };

const token = () =>
  hs256Token(coordinator.login, { jwtSecret: JWT_SECRET, issuer: AUTH.AUTH_ISSUER, audience: AUTH.AUTH_AUDIENCE });

interface Answer {
  status: number;
  text: string;
  body: {
    data?: Record<string, unknown> | null;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  };
}

describe('operation limits and production mode at the gateway (medium: real gateway, stand-in subgraphs)', () => {
  let standIns: StandInSubgraphs;
  let development: RunningGateway;
  let production: RunningGateway;
  let listed: RunningGateway;
  const logLines: string[] = [];
  const clients: Client[] = [];
  /** Calls of `slow` whose caller hung up before it answered. */
  const abandoned: string[] = [];
  const LISTED = 'query Me { me { login } }';
  /** The gateways' own schema (rate-limit counters) lives here. */
  let database: { url: string; drop: () => Promise<void> };

  const start = (env: Record<string, string>) =>
    startGateway(
      loadGatewayConfig({
        GATEWAY_PORT: '0',
        NATS_URL,
        EVENTS_PREFIX: PREFIX,
        ...standIns.env,
        INTERNAL_AUTH_SECRET: INTERNAL_SECRET,
        DATABASE_URL: database.url,
        ...AUTH,
        ...env,
      }),
      pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) }),
      { viewers },
    );

  beforeAll(async () => {
    database = await createTestDatabase('gateway_limits');
    standIns = await startStandInSubgraphs({
      internalSecret: INTERNAL_SECRET,
      dirPrefix: 'otklik-limits-',
      workflow: {
        sdl: workflowSdl,
        resolvers: {
          Query: {
            me: (_: unknown, __: unknown, { viewer }: Ctx) => ({ login: viewer.login }),
            case: (_: unknown, { id }: { id: string }) => aCase(id),
            cases: (_: unknown, { first }: { first?: number }) => {
              const ids = Array.from({ length: first ?? 20 }, (_, i) => `case-${i}`);
              return { totalCount: ids.length, edges: ids.map((id) => ({ node: aCase(id) })) };
            },
            slow: (_: unknown, __: unknown, { res }: Ctx) =>
              new Promise((resolve) => {
                const late = setTimeout(() => resolve('late'), 60_000);
                res.once('close', () => {
                  clearTimeout(late);
                  if (!res.writableFinished) abandoned.push('slow');
                  resolve(null);
                });
              }),
          },
          Case: {
            internal: () => {
              throw new Error('relation "case_secrets" does not exist');
            },
          },
        },
        context: (_viewer, _req, res) => ({ res }),
      },
      notify: {
        sdl: notifySdl,
        resolvers: {
          Query: { notification: (_: unknown, { id }: { id: string }) => ({ id, text: 'x', case: { id: 'case-1' } }) },
        },
      },
    });
    writeFileSync(join(standIns.dir, 'operations.json'), JSON.stringify({ [operationHash(LISTED)]: LISTED }));

    development = await start({ GRAPHQL_TIMEOUT_MS: '2000' });
    production = await start({ NODE_ENV: 'production', NOTIFY_URL: `http://127.0.0.1:${await closedPort()}/graphql` });
    listed = await start({
      NODE_ENV: 'production',
      GRAPHQL_PERSISTED_OPERATIONS: join(standIns.dir, 'operations.json'),
    });
  });

  afterAll(async () => {
    for (const client of clients) await client.dispose();
    for (const gateway of [development, production, listed]) await gateway?.stop();
    await standIns?.stop();
    await database?.drop();
    await deleteTestStreams(NATS_URL, PREFIX);
  });

  const post = async (
    gateway: RunningGateway,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> => {
    const response = await fetch(`http://127.0.0.1:${gateway.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await token()}`, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, text, body: JSON.parse(text) as Answer['body'] };
  };

  /** The first thing the socket answers to one operation: its result, or the errors refusing it. */
  const overSocket = async (
    gateway: RunningGateway,
    payload: { query: string; variables?: Record<string, unknown> },
  ) => {
    const client = createClient({
      url: `ws://127.0.0.1:${gateway.port}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${await token()}` },
      retryAttempts: 0,
    });
    clients.push(client);
    return new Promise<{ next?: unknown; error?: unknown }>((resolve) => {
      client.subscribe(payload, {
        next: (value) => resolve({ next: value }),
        error: (error) => resolve({ error }),
        complete: () => undefined,
      });
    });
  };

  const CASE_LIST = `{ cases(first: 50) { totalCount edges { node {
      id status organization { code } history { action actor } deadlines { kind dueAt } } } } }`;
  const deep = (levels: number) => `{ case(id: "c") { ${'parent { '.repeat(levels)}id${' }'.repeat(levels)} } }`;
  const COSTLY = '{ cases(first: 1000) { edges { node { id history { actor } deadlines { kind } } } } }';

  describe('every operation is held to the limits, each refusal with its code', () => {
    it('a normal case list (first: 50, with history and deadlines) passes under the default limits', async () => {
      const { status, body } = await post(development, { query: CASE_LIST });
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect((body.data?.cases as { edges: unknown[] }).edges).toHaveLength(50);
      expect(await overSocket(development, { query: CASE_LIST })).toMatchObject({
        next: { data: { cases: { totalCount: 50 } } },
      });
    });

    it('deep: QUERY_TOO_DEEP (400) naming the depth and the limit of 10', async () => {
      expect((await post(development, { query: deep(8) })).body.errors).toBeUndefined();
      const { status, body } = await post(development, { query: deep(10) });
      expect(status).toBe(400);
      expect(body).toEqual({
        errors: [
          {
            message: 'the operation is nested 12 levels deep; the limit is 10',
            extensions: { code: 'QUERY_TOO_DEEP', limit: 10, found: 12 },
          },
        ],
      });
    });

    it('wide: TOO_MANY_ALIASES past 15 aliases', async () => {
      const aliases = (n: number) =>
        `{ ${Array.from({ length: n }, (_, i) => `c${i}: case(id: "${i}") { id }`).join(' ')} }`;
      expect((await post(development, { query: aliases(15) })).body.errors).toBeUndefined();
      const { status, body } = await post(development, { query: aliases(16) });
      expect(status).toBe(400);
      expect(body.errors?.[0]).toEqual({
        message: 'the operation uses 16 aliases; the limit is 15',
        extensions: { code: 'TOO_MANY_ALIASES', limit: 15, found: 16 },
      });
    });

    it('directives: TOO_MANY_DIRECTIVES past 20', async () => {
      const directives = (n: number) =>
        `{ me { login } ${'... on Query @include(if: true) { __typename } '.repeat(n)}}`;
      expect((await post(development, { query: directives(20) })).body.errors).toBeUndefined();
      const { status, body } = await post(development, { query: directives(21) });
      expect(status).toBe(400);
      expect(body.errors?.[0]).toEqual({
        message: 'the operation uses 21 directives; the limit is 20',
        extensions: { code: 'TOO_MANY_DIRECTIVES', limit: 20, found: 21 },
      });
    });

    it('long: TOO_MANY_TOKENS past 2000, counted before parsing', async () => {
      const { status, body } = await post(development, { query: `{ ${'me { login } '.repeat(600)}}` });
      expect(status).toBe(400);
      expect(body.errors?.[0]).toEqual({
        message: "the operation's text has more than 2000 tokens, the limit",
        extensions: { code: 'TOO_MANY_TOKENS', limit: 2000 },
      });
    });

    it('costly: first: 1000 nested is QUERY_TOO_COMPLEX, literal or from a variable, before any subgraph is asked', async () => {
      const literal = await post(development, { query: COSTLY });
      expect(literal.status).toBe(400);
      expect(literal.body.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/cost is 44000 .*the limit is 25000/),
        extensions: { code: 'QUERY_TOO_COMPLEX', limit: 25000, found: 44000 },
      });
      const variable = await post(development, {
        query: 'query ($n: Int) { cases(first: $n) { edges { node { id history { actor } deadlines { kind } } } } }',
        variables: { n: 1000 },
      });
      expect(variable.body.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
    });

    it('batched: an array of operations is BATCH_TOO_LARGE (400): batching is off by default', async () => {
      const { status, body } = await post(development, [{ query: '{ me { login } }' }, { query: '{ me { login } }' }]);
      expect(status).toBe(400);
      expect(body.errors?.[0]).toEqual({
        message: 'batched requests are not accepted: send one operation per request (this batch holds 2)',
        extensions: { code: 'BATCH_TOO_LARGE', limit: 1, found: 2 },
      });
    });

    it('batched, where batching is on (GRAPHQL_MAX_BATCH=2): up to the maximum runs, more is BATCH_TOO_LARGE', async () => {
      const batching = await start({ GRAPHQL_MAX_BATCH: '2' });
      try {
        const operation = { query: '{ me { login } }' };
        const two = await fetch(`http://127.0.0.1:${batching.port}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await token()}` },
          body: JSON.stringify([operation, operation]),
        });
        await expect(two.json()).resolves.toEqual([
          { data: { me: { login: 'coordinator' } } },
          { data: { me: { login: 'coordinator' } } },
        ]);
        const three = await post(batching, [operation, operation, operation]);
        expect(three.status).toBe(400);
        expect(three.body.errors?.[0]).toEqual({
          message: 'a batch holds at most 2 operations; this one holds 3',
          extensions: { code: 'BATCH_TOO_LARGE', limit: 2, found: 3 },
        });
      } finally {
        await batching.stop();
      }
    });

    it('oversized: a body over 1 MiB is answered 413 PAYLOAD_TOO_LARGE, GraphQL-shaped', async () => {
      const { status, body } = await post(development, {
        query: '{ me { login } }',
        variables: { padding: 'x'.repeat(1024 * 1024) },
      });
      expect(status).toBe(413);
      expect(body.errors?.[0]).toEqual({
        message: 'the request body is larger than 1048576 bytes, the limit',
        extensions: { code: 'PAYLOAD_TOO_LARGE', limit: 1048576 },
      });
    });

    it('slow: a subgraph that does not answer in time gives TIMEOUT (504), and the gateway hangs up on it', async () => {
      const { status, body } = await post(development, { query: '{ slow }' });
      expect(status).toBe(504);
      expect(body.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/did not finish within 2000 ms/),
        extensions: { code: 'TIMEOUT', limit: 2000 },
      });
      await waitFor('the subgraph to see its caller hang up', () => (abandoned.length > 0 ? true : undefined));
    });

    it('over the WebSocket: deep and costly subscriptions and queries are refused with the same codes', async () => {
      const deepSubscription = `subscription { caseEvents { case { ${'parent { '.repeat(9)}id${' }'.repeat(9)} } } }`;
      expect(await overSocket(development, { query: deepSubscription })).toEqual({
        error: [
          {
            message: 'the operation is nested 12 levels deep; the limit is 10',
            extensions: { code: 'QUERY_TOO_DEEP', limit: 10, found: 12 },
          },
        ],
      });
      const costlySubscription =
        'subscription { caseEvents { case { related { related { related { related { history { actor } } } } } } } }';
      expect(await overSocket(development, { query: costlySubscription })).toMatchObject({
        error: [{ extensions: { code: 'QUERY_TOO_COMPLEX', limit: 25000 } }],
      });
      expect(await overSocket(development, { query: deep(10) })).toMatchObject({
        error: [{ extensions: { code: 'QUERY_TOO_DEEP' } }],
      });
      expect(await overSocket(development, { query: COSTLY })).toMatchObject({
        error: [{ extensions: { code: 'QUERY_TOO_COMPLEX', found: 44000 } }],
      });
    });

    it('over the WebSocket: a message over the body limit closes the socket with 1009 (Message Too Big), unread', async () => {
      let closed: { code?: number } | undefined;
      const client = createClient({
        url: `ws://127.0.0.1:${development.port}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${await token()}` },
        retryAttempts: 0,
        on: { closed: (event) => (closed = event as { code?: number }) },
      });
      clients.push(client);
      client.subscribe(
        { query: '{ me { login } }', variables: { padding: 'x'.repeat(1024 * 1024) } },
        { next: () => undefined, error: () => undefined, complete: () => undefined },
      );
      await waitFor('the socket to close', () => closed);
      expect(closed?.code).toBe(1009);
    });

    it('development keeps introspection and "Did you mean" suggestions', async () => {
      const introspection = await post(development, { query: '{ __schema { queryType { name } } }' });
      expect(introspection.body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
      const typo = await post(development, { query: '{ case(id: "c") { statu } }' });
      expect(typo.body.errors?.[0].message).toBe('Cannot query field "statu" on type "Case". Did you mean "status"?');
    });
  });

  describe('production mode (NODE_ENV=production)', () => {
    it('introspection is refused, over HTTP and WebSocket', async () => {
      for (const query of ['{ __schema { queryType { name } } }', '{ __type(name: "Case") { name } }']) {
        const { status, body } = await post(production, { query });
        expect(status).toBe(400);
        expect(body.errors?.[0]).toMatchObject({
          message: expect.stringMatching(/^GraphQL introspection has been disabled/),
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        });
      }
      const overWs = await overSocket(production, { query: '{ __schema { queryType { name } } }' });
      expect((overWs.error as Answer['body']['errors'])?.[0]).toMatchObject({
        message: expect.stringMatching(/^GraphQL introspection has been disabled/),
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      });
      // __typename is not introspection of the schema.
      expect((await post(production, { query: '{ __typename }' })).body.data).toEqual({ __typename: 'Query' });
    });

    it('field suggestions are hidden, over HTTP and WebSocket', async () => {
      const typo = await post(production, { query: '{ case(id: "c") { statu } }' });
      expect(typo.body.errors?.[0]).toEqual({
        message: 'Cannot query field "statu" on type "Case".',
        locations: [{ line: 1, column: 19 }],
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      });
      const overWs = await overSocket(production, { query: 'subscription { caseEvents { tpye } }' });
      expect(overWs).toMatchObject({
        error: [
          {
            message: 'Cannot query field "tpye" on type "CaseEvent".',
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          },
        ],
      });
    });

    it('internal errors are masked: INTERNAL_SERVER_ERROR with the correlation id, the details in the log only', async () => {
      const { status, text, body } = await post(
        production,
        { query: '{ case(id: "c") { id internal } }' },
        { [CORRELATION_HEADER]: 'corr-masked-1' },
      );
      expect(status).toBe(200);
      expect(body.errors).toEqual([
        {
          message: 'Internal server error',
          path: ['case', 'internal'],
          extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId: 'corr-masked-1' },
        },
      ]);
      for (const leak of ['case_secrets', 'does not exist', 'workflow', '127.0.0.1', 'stacktrace', 'at ']) {
        expect(text).not.toContain(leak);
      }
      const logged = logLines.find((line) => line.includes('corr-masked-1') && line.includes('case_secrets'));
      expect(logged).toBeDefined();
    });

    it('an unreachable subgraph is masked too: no URL, no subgraph name', async () => {
      const { text, body } = await post(
        production,
        { query: '{ notification(id: "n") { id } }' },
        { [CORRELATION_HEADER]: 'corr-masked-2' },
      );
      expect(body.errors?.[0]).toMatchObject({
        message: 'Internal server error',
        extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId: 'corr-masked-2' },
      });
      for (const leak of ['127.0.0.1', 'ECONNREFUSED', 'notify']) expect(text).not.toContain(leak);
      expect(logLines.some((line) => line.includes('corr-masked-2') && line.includes('ECONNREFUSED'))).toBe(true);
    });
  });

  describe('the allow-list of persisted operations (GRAPHQL_PERSISTED_OPERATIONS)', () => {
    const hash = operationHash(LISTED);

    it('a listed operation runs, by its text or by its hash alone', async () => {
      expect((await post(listed, { query: LISTED })).body).toEqual({ data: { me: { login: 'coordinator' } } });
      const byHash = await post(listed, { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
      expect(byHash.body).toEqual({ data: { me: { login: 'coordinator' } } });
    });

    it('anything else is PERSISTED_QUERY_NOT_ALLOWED, over HTTP and WebSocket', async () => {
      const refusal = {
        message:
          'this server runs only the persisted operations of its front-ends, and this operation is not one of them',
        extensions: { code: 'PERSISTED_QUERY_NOT_ALLOWED' },
      };
      const other = await post(listed, { query: '{ me { login } }' });
      expect(other.status).toBe(400);
      expect(other.body).toEqual({ errors: [refusal] });
      const unknownHash = await post(listed, {
        extensions: { persistedQuery: { version: 1, sha256Hash: operationHash('{ cases { totalCount } }') } },
      });
      expect(unknownHash.body).toEqual({ errors: [refusal] });
      expect(await overSocket(listed, { query: 'subscription { caseEvents { type } }' })).toEqual({ error: [refusal] });
      expect(await overSocket(listed, { query: LISTED })).toEqual({ next: { data: { me: { login: 'coordinator' } } } });
    });
  });
});

/** A port nothing listens on (one just freed): connecting is refused. Port 1 would not do: fetch refuses it itself ("bad port"). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
