import 'reflect-metadata';
import { AuthError, Viewer } from '@otklik/auth';
import { createLogger } from '@otklik/observability';
import { createTestDatabase, waitFor, deleteTestStreams } from '@otklik/testing';
import { Client, createClient } from 'graphql-ws';
import { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import type { ViewerLookup } from './auth/viewer.client';
import { loadGatewayConfig } from './config/gateway.config';
import { RunningGateway, startGateway } from './gateway.app';
import {
  hs256Token,
  NOTIFY_SDL,
  StandInSubgraphs,
  startStandInSubgraphs,
  WORKFLOW_SDL,
} from './testing/stand-in-subgraphs';

// Medium test: two replicas of the real gateway (HTTP, graphql-ws, NATS) on one fresh database,
// in front of stand-in subgraphs, with small rate limits (docs/security.md "Rate limits"). The
// gateways trust the loopback proxy, so each test speaks from addresses of its own
// (X-Forwarded-For) and spends no other test's budget.
const NATS_URL = 'nats://127.0.0.1:4222';
const PREFIX = `r${Date.now().toString(36)}`;
const ORG = 'org-kalmansky';
const INTERNAL_SECRET = 'rate-limit-medium-internal-secret-0123456789';
const JWT_SECRET = 'rate-limit-medium-jwt-secret-0123456789abcdef';
const AUTH = { AUTH_JWT_SECRET: JWT_SECRET, AUTH_ISSUER: 'rate-limit-test', AUTH_AUDIENCE: 'otklik' };
const PER_ADDRESS = 6;
const PER_USER = 3;

const person = (login: string): Viewer => ({
  userId: '11111111-1111-4111-8111-111111111111',
  login,
  displayName: login,
  roles: [{ organizationId: ORG, role: 'COORDINATOR' }],
  visibleOrganizationIds: [ORG],
});
const LOGINS = ['coordinator', 'official', 'head', 'executor', 'reception'];
const viewers: ViewerLookup = {
  viewer: (login) =>
    LOGINS.includes(login)
      ? Promise.resolve(person(login))
      : Promise.reject(new AuthError('UNAUTHENTICATED', 'unknown user')),
};

type Ctx = { viewer: Viewer };

const token = (login: string) =>
  hs256Token(login, { jwtSecret: JWT_SECRET, issuer: AUTH.AUTH_ISSUER, audience: AUTH.AUTH_AUDIENCE });

interface Answer {
  status: number;
  retryAfter: string | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  data?: Record<string, unknown> | null;
}

describe('rate limits at the gateway, shared by replicas (medium: real gateways, PostgreSQL, NATS)', () => {
  let standIns: StandInSubgraphs;
  let database: { url: string; drop: () => Promise<void> };
  let replicas: RunningGateway[] = [];
  const clients: Client[] = [];
  const sockets: WebSocket[] = [];

  const start = (databaseUrl: string) =>
    startGateway(
      loadGatewayConfig({
        GATEWAY_PORT: '0',
        NATS_URL,
        EVENTS_PREFIX: PREFIX,
        ...standIns.env,
        INTERNAL_AUTH_SECRET: INTERNAL_SECRET,
        DATABASE_URL: databaseUrl,
        GATEWAY_RATE_LIMIT_IP: `${PER_ADDRESS}/60s`,
        GATEWAY_RATE_LIMIT_USER: `${PER_USER}/60s`,
        GATEWAY_TRUST_PROXY: 'loopback',
        ...AUTH,
      }),
      createLogger('gateway-test', 'silent'),
      { viewers },
    );

  beforeAll(async () => {
    database = await createTestDatabase('gateway_rate_limit');
    standIns = await startStandInSubgraphs({
      internalSecret: INTERNAL_SECRET,
      dirPrefix: 'otklik-rate-limit-',
      workflow: {
        sdl: WORKFLOW_SDL,
        resolvers: { Query: { me: (_: unknown, __: unknown, { viewer }: Ctx) => ({ login: viewer.login }) } },
      },
      notify: { sdl: NOTIFY_SDL, resolvers: { Query: { notification: () => null } } },
    });
    replicas = [await start(database.url), await start(database.url)];
    await Promise.all(replicas.map((r) => r.feed.ready()));
  });

  afterAll(async () => {
    for (const client of clients) await client.dispose();
    for (const socket of sockets) socket.terminate();
    for (const gateway of replicas) await gateway?.stop();
    await standIns?.stop();
    await database?.drop();
    await deleteTestStreams(NATS_URL, PREFIX);
  });

  /** POST /graphql to a replica, from `address` (X-Forwarded-For through the trusted loopback proxy). */
  const post = async (
    gateway: RunningGateway,
    address: string,
    options: { login?: string; query?: string } = {},
  ): Promise<Answer> => {
    const response = await fetch(`http://127.0.0.1:${gateway.port}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-forwarded-for': address,
        ...(options.login ? { authorization: `Bearer ${await token(options.login)}` } : {}),
      },
      body: JSON.stringify({ query: options.query ?? '{ me { login } }' }),
    });
    const body = (await response.json()) as Omit<Answer, 'status' | 'retryAfter'>;
    return { status: response.status, retryAfter: response.headers.get('retry-after'), ...body };
  };

  const expectRateLimited = (answer: Answer, limit: 'ip' | 'user', budget: number) => {
    expect(answer.status).toBe(429);
    const wait = Number(answer.retryAfter);
    expect(Number.isInteger(wait) && wait >= 1 && wait <= 60).toBe(true);
    expect(answer.errors).toEqual([
      {
        message: `too many requests: the "${limit}" limit is ${budget} requests per 60 s; try again in ${wait} s`,
        extensions: { code: 'RATE_LIMITED', limit, retryAfterSeconds: wait },
      },
    ]);
  };

  /** A graphql-ws client speaking from `address`. */
  const socketClient = (gateway: RunningGateway, address: string, login: string) => {
    const state: { closed?: { code?: number } } = {};
    const client = createClient({
      url: `ws://127.0.0.1:${gateway.port}/graphql`,
      webSocketImpl: class extends WebSocket {
        constructor(url: string, protocols: string | string[]) {
          super(url, protocols, { headers: { 'x-forwarded-for': address } });
        }
      },
      connectionParams: async () => ({ authorization: `Bearer ${await token(login)}` }),
      retryAttempts: 0,
      lazy: false,
      on: { closed: (event) => (state.closed = event as { code?: number }) },
      onNonLazyError: () => undefined,
    });
    clients.push(client);
    return { client, state };
  };

  it('per address, before authentication: the replicas share the budget, then 429 with Retry-After and RATE_LIMITED', async () => {
    const address = '203.0.113.10';
    for (let i = 0; i < PER_ADDRESS; i++) {
      // Anonymous requests are counted too: refused UNAUTHENTICATED, as without limits.
      const answer = await post(replicas[i % 2], address);
      expect(answer.status).toBe(401);
      expect(answer.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
    expectRateLimited(await post(replicas[0], address, { login: 'coordinator' }), 'ip', PER_ADDRESS);
    expectRateLimited(await post(replicas[1], address), 'ip', PER_ADDRESS);
    // Another address is not affected; nor is an address of the same /24 (each IPv4 address counts alone).
    expect((await post(replicas[0], '203.0.113.11', { login: 'coordinator' })).status).toBe(200);
  });

  it('per user, after authentication: a login’s budget is shared by the replicas and its addresses; other people go on', async () => {
    for (let i = 0; i < PER_USER; i++) {
      const answer = await post(replicas[i % 2], `198.51.100.${i + 1}`, { login: 'official' });
      expect(answer).toMatchObject({ status: 200, data: { me: { login: 'official' } } });
    }
    expectRateLimited(await post(replicas[1], '198.51.100.50', { login: 'official' }), 'user', PER_USER);
    expect((await post(replicas[1], '198.51.100.50', { login: 'executor' })).status).toBe(200);
  });

  it('the WebSocket: a connection counts against its address; over the budget the upgrade is answered 429 with Retry-After', async () => {
    const address = '192.0.2.20';
    for (let i = 0; i < PER_ADDRESS; i++) await post(replicas[i % 2], address);
    const answer = await new Promise<IncomingMessage>((resolve, reject) => {
      const socket = new WebSocket(`ws://127.0.0.1:${replicas[1].port}/graphql`, 'graphql-transport-ws', {
        headers: { 'x-forwarded-for': address },
      });
      sockets.push(socket);
      socket.on('unexpected-response', (_req, res) => resolve(res));
      socket.on('open', () => reject(new Error('the socket opened over the budget')));
      socket.on('error', () => undefined);
    });
    expect(answer.statusCode).toBe(429);
    const wait = Number(answer.headers['retry-after']);
    expect(Number.isInteger(wait) && wait >= 1 && wait <= 60).toBe(true);
  });

  it('the WebSocket: each Subscribe message counts against the login; over it, RATE_LIMITED on that operation and the socket stays open', async () => {
    const { client, state } = socketClient(replicas[0], '192.0.2.30', 'head');
    const refusals: unknown[] = [];
    const subscribe = () =>
      client.subscribe(
        { query: 'subscription { caseEvents { type } }' },
        { next: () => undefined, error: (error) => void refusals.push(error), complete: () => undefined },
      );
    const before = replicas[0].subscribers();
    for (let i = 0; i < PER_USER; i++) subscribe();
    await waitFor('the subscriptions within the budget to run', () =>
      replicas[0].subscribers() === before + PER_USER ? true : undefined,
    );
    expect(refusals).toEqual([]);

    subscribe();
    subscribe();
    await waitFor('two refusals', () => (refusals.length === 2 ? true : undefined));
    for (const refusal of refusals) {
      expect(refusal).toEqual([
        {
          message: expect.stringMatching(
            /^too many requests: the "user" limit is 3 requests per 60 s; try again in \d+ s$/,
          ) as unknown,
          extensions: { code: 'RATE_LIMITED', limit: 'user', retryAfterSeconds: expect.any(Number) as unknown },
        },
      ]);
    }
    expect(state.closed).toBeUndefined();
    expect(replicas[0].subscribers()).toBe(before + PER_USER);
    // The login's budget is the same over HTTP.
    expectRateLimited(await post(replicas[1], '192.0.2.31', { login: 'head' }), 'user', PER_USER);
  });

  it('/health answers 200 with the database; while it is unreachable, 503 — and requests are still served, limited per replica', async () => {
    const own = await createTestDatabase('gateway_rate_limit_down');
    const gateway = await start(own.url);
    try {
      const healthy = await waitFor('the gateway to be ready', async () => {
        const response = await fetch(`http://127.0.0.1:${gateway.port}/health`);
        return response.status === 200 ? ((await response.json()) as Record<string, unknown>) : undefined;
      });
      expect(healthy).toMatchObject({ status: 'ok', database: true });

      await own.drop(); // its connections are ended with it
      const health = await fetch(`http://127.0.0.1:${gateway.port}/health`);
      expect(health.status).toBe(503);
      await expect(health.json()).resolves.toMatchObject({ status: 'unavailable', database: false });

      for (let i = 0; i < PER_USER; i++) {
        expect((await post(gateway, `192.0.2.${40 + i}`, { login: 'reception' })).status).toBe(200);
      }
      expectRateLimited(await post(gateway, '192.0.2.49', { login: 'reception' }), 'user', PER_USER);
    } finally {
      await gateway.stop();
      await own.drop();
    }
  });
});
