import 'reflect-metadata';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { AuthError, DEVELOPMENT_AUTH, verifyServiceToken, Viewer } from '@otklik/auth';
import { CORRELATION_HEADER, EventEnvelope, SERVICE_HEADER } from '@otklik/contracts';
import { createLogger } from '@otklik/observability';
import { createTestDatabase, deleteTestStreams } from '@otklik/testing';
import { createClient, Client } from 'graphql-ws';
import { randomUUID } from 'node:crypto';
import { IncomingHttpHeaders } from 'node:http';
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

// Medium test: the real gateway (HTTP, graphql-ws, NATS) in front of two tiny stand-in subgraphs.
const NATS_URL = 'nats://127.0.0.1:4222';
const PREFIX = `t${Date.now().toString(36)}`;
const ORG = 'org-kalmansky';
const OTHER_ORG = 'org-elsewhere';

const coordinator: Viewer = {
  userId: '11111111-1111-4111-8111-111111111111',
  login: 'coordinator',
  displayName: 'Координатор',
  roles: [{ organizationId: ORG, role: 'COORDINATOR' }],
  visibleOrganizationIds: [ORG],
};

const cases: Record<string, { id: string; status: string; organizationId: string }> = {
  'case-1': { id: 'case-1', status: 'DETECTED', organizationId: ORG },
  'case-hidden': { id: 'case-hidden', status: 'ROUTED', organizationId: OTHER_ORG },
};

interface SubgraphCall {
  viewer: Viewer;
  correlationId: string | undefined;
}
type Ctx = { viewer: Viewer };

async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const token = (login: string) => hs256Token(login, DEVELOPMENT_AUTH);

const envelope = (type: string, organizationId: string, data: Record<string, unknown>): EventEnvelope => ({
  eventId: randomUUID(),
  type,
  version: 1,
  organizationId,
  occurredAt: new Date().toISOString(),
  correlationId: randomUUID(),
  data,
});

describe('gateway (medium: real NATS, graphql-ws, stand-in subgraphs)', () => {
  const calls: SubgraphCall[] = [];
  const lookups: IncomingHttpHeaders[] = [];
  let standIns: StandInSubgraphs;
  let gateway: RunningGateway;
  let nats: NatsConnection;
  let url: string;
  const clients: Client[] = [];
  /** The gateway's own schema (rate-limit counters) lives here. */
  let database: { url: string; drop: () => Promise<void> };

  beforeAll(async () => {
    database = await createTestDatabase('gateway');
    /** Each subgraph request, with the viewer and correlation id the gateway passed on. */
    const recordCall = (viewer: Viewer, req: { header(name: string): string | undefined }) => {
      calls.push({ viewer, correlationId: req.header(CORRELATION_HEADER) });
      return {};
    };
    standIns = await startStandInSubgraphs({
      internalSecret: DEVELOPMENT_AUTH.internalSecret,
      dirPrefix: 'otklik-gateway-',
      workflow: {
        sdl: WORKFLOW_SDL,
        context: recordCall,
        resolvers: {
          Query: {
            me: (_: unknown, __: unknown, { viewer }: Ctx) => ({ login: viewer.login }),
            case: (_: unknown, { id }: { id: string }, { viewer }: Ctx) => {
              const found = id.startsWith('burst-') ? { id, status: 'ROUTED', organizationId: ORG } : cases[id];
              return found && viewer.visibleOrganizationIds.includes(found.organizationId) ? found : null;
            },
          },
          Case: {
            organization: (c: { organizationId: string }) => ({ id: c.organizationId, code: 'kalmansky' }),
            status: (c: { id: string; status: string }) => {
              if (c.id === 'burst-broken') throw new Error('status unavailable');
              return c.status;
            },
          },
        },
        routes: (app) =>
          app.get('/internal/viewers/:login', (req, res) => {
            lookups.push(req.headers);
            void verifyServiceToken(String(req.headers[SERVICE_HEADER]), DEVELOPMENT_AUTH.internalSecret).then(
              () =>
                req.params.login === coordinator.login
                  ? res.json(coordinator)
                  : res.status(404).json({ error: 'unknown' }),
              () => res.status(401).end(),
            );
          }),
      },
      notify: {
        sdl: NOTIFY_SDL,
        context: recordCall,
        resolvers: {
          Query: {
            notification: (_: unknown, { id }: { id: string }) => ({
              id,
              kind: 'CASE_ASSIGNED',
              text: 'Вам назначено обращение',
              createdAt: '2026-11-27T08:15:00.000Z',
              case: { id: 'case-1' },
            }),
          },
        },
      },
    });

    const config = loadGatewayConfig({
      GATEWAY_PORT: '0',
      NATS_URL,
      EVENTS_PREFIX: PREFIX,
      ...standIns.env,
      DATABASE_URL: database.url,
      LOG_LEVEL: 'silent',
    });
    gateway = await startGateway(config, createLogger('gateway-test', 'silent'));
    url = `http://127.0.0.1:${gateway.port}`;
    await gateway.feed.ready();
    nats = await connect({ servers: NATS_URL });
  });

  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await nats?.close();
    await gateway?.stop();
    await standIns?.stop();
    await database?.drop();
    await deleteTestStreams(NATS_URL, PREFIX);
  });

  const post = async (body: object, headers: Record<string, string> = {}) => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as {
        data?: Record<string, unknown>;
        errors?: Array<{ message: string; extensions?: { code?: string } }>;
      },
    };
  };

  const wsClient = (authorization: string | undefined, onClosed?: (event: unknown) => void) => {
    const client = createClient({
      url: `ws://127.0.0.1:${gateway.port}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: authorization ? { authorization } : {},
      retryAttempts: 0,
      lazy: false,
      on: onClosed ? { closed: onClosed } : undefined,
      onNonLazyError: () => undefined,
    });
    clients.push(client);
    return client;
  };

  it('GET /health answers 200 once NATS is connected and the supergraph loaded', async () => {
    const response = await fetch(`${url}/health`);
    expect(response.status).toBe(200);
    await expect(response.json()).resolves.toMatchObject({ status: 'ok' });
  });

  it('a query runs through the subgraphs as the viewer, with the correlation id', async () => {
    const { status, body, headers } = await post(
      { query: '{ me { login } case(id: "case-1") { id status } }' },
      { authorization: `Bearer ${await token('coordinator')}`, [CORRELATION_HEADER]: 'corr-http-1' },
    );
    expect(status).toBe(200);
    expect(body).toEqual({ data: { me: { login: 'coordinator' }, case: { id: 'case-1', status: 'DETECTED' } } });
    expect(headers.get(CORRELATION_HEADER)).toBe('corr-http-1');
    expect(calls.at(-1)).toEqual({ viewer: coordinator, correlationId: 'corr-http-1' });
    expect(lookups[0][SERVICE_HEADER]).toBeDefined();
  });

  it('without a valid token: 401 UNAUTHENTICATED, before anything runs', async () => {
    const missing = await post({ query: '{ me { login } }' });
    expect(missing.status).toBe(401);
    expect(missing.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const unknown = await post({ query: '{ me { login } }' }, { authorization: `Bearer ${await token('nobody')}` });
    expect(unknown.body.errors?.[0]).toMatchObject({
      message: 'unknown user',
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('introspection over HTTP shows the Subscription type; subscriptions over HTTP are refused with a pointer to WebSocket', async () => {
    const auth = { authorization: `Bearer ${await token('coordinator')}` };
    const { body } = await post({ query: '{ __schema { subscriptionType { fields { name } } } }' }, auth);
    expect(body.data).toEqual({
      __schema: { subscriptionType: { fields: [{ name: 'caseEvents' }, { name: 'notificationAdded' }] } },
    });
    const refused = await post({ query: 'subscription { notificationAdded { id } }' }, auth);
    expect(refused.body.errors?.[0].message).toMatch(/WebSocket/);
  });

  it('caseEvents: an event on NATS reaches the subscriber with the case fetched as the viewer (aliases kept, hidden orgs filtered)', async () => {
    const client = wsClient(`Bearer ${await token('coordinator')}`);
    const received: unknown[] = [];
    client.subscribe(
      {
        query:
          'subscription Live($org: ID) { caseEvents(organizationId: $org) { kind: type at c: case { ident: id st: status organization { code } } } }',
        variables: { org: ORG },
      },
      {
        next: (value) => void received.push(value),
        error: (e) => void received.push({ error: e }),
        complete: () => undefined,
      },
    );
    await waitFor('the subscription to register', () => gateway.subscribers() === 1);

    nats.publish(
      `${PREFIX}.${OTHER_ORG}.case.opened.v1`,
      JSON.stringify(envelope('case.opened', OTHER_ORG, { caseId: 'case-hidden' })),
    );
    const visible = envelope('case.routed', ORG, { caseId: 'case-1' });
    nats.publish(`${PREFIX}.${ORG}.case.routed.v1`, JSON.stringify(visible));

    await waitFor('the event at the client', () => received.length > 0);
    expect(received[0]).toEqual({
      data: {
        caseEvents: {
          kind: 'UPDATED',
          at: visible.occurredAt,
          c: { ident: 'case-1', st: 'DETECTED', organization: { code: 'kalmansky' } },
        },
      },
    });
    expect(calls.at(-1)?.correlationId).toBe(visible.correlationId);
  });

  it('caseEvents: a case routed away (case.transitioned on its new organisation’s subject) reaches a subscriber of the organisation it left, with the move', async () => {
    const client = wsClient(`Bearer ${await token('coordinator')}`);
    const received: unknown[] = [];
    const before = gateway.subscribers();
    client.subscribe(
      {
        query: `subscription { caseEvents(organizationId: "${ORG}") { type action from to actor reason case { id } } }`,
      },
      { next: (v) => void received.push(v), error: (e) => void received.push({ error: e }), complete: () => undefined },
    );
    await waitFor('the subscription to register', () => gateway.subscribers() === before + 1);

    const routed = envelope('case.transitioned', OTHER_ORG, {
      caseId: 'case-1',
      messageId: randomUUID(),
      action: 'ROUTE',
      fromStatus: 'DETECTED',
      toStatus: 'ROUTED',
      actor: 'coordinator',
      at: new Date().toISOString(),
      fromOrganizationId: ORG,
      organizationPath: [OTHER_ORG],
    });
    nats.publish(`${PREFIX}.${OTHER_ORG}.case.transitioned.v1`, JSON.stringify(routed));

    await waitFor('the event at the client', () => received.length > 0);
    expect(received[0]).toEqual({
      data: {
        caseEvents: {
          type: 'TRANSITIONED',
          action: 'ROUTE',
          from: 'DETECTED',
          to: 'ROUTED',
          actor: 'coordinator',
          reason: null,
          case: { id: 'case-1' },
        },
      },
    });
  });

  it('caseEvents: a burst is fetched in batches (one query per batch), in order; an entity that errors is skipped', async () => {
    const client = wsClient(`Bearer ${await token('coordinator')}`);
    const received: Array<{ data?: { caseEvents: { c: { id: string; status: string } } } }> = [];
    const before = gateway.subscribers();
    client.subscribe(
      { query: `subscription { caseEvents(organizationId: "${ORG}") { c: case { id status } } }` },
      { next: (v) => void received.push(v as never), error: () => undefined, complete: () => undefined },
    );
    await waitFor('the subscription to register', () => gateway.subscribers() === before + 1);

    const ids = Array.from({ length: 150 }, (_, i) => `burst-${i}`);
    const published = [...ids.slice(0, 75), 'burst-broken', ...ids.slice(75)].map((caseId) =>
      envelope('case.routed', ORG, { caseId }),
    );
    const callsBefore = calls.length;
    for (const e of published) nats.publish(`${PREFIX}.${ORG}.case.routed.v1`, JSON.stringify(e));

    await waitFor('the burst at the client', () => received.length >= ids.length);
    await new Promise((r) => setTimeout(r, 100));
    expect(received.map((r) => r.data?.caseEvents.c.id)).toEqual(ids);
    // One workflow request per batch, carrying its first event's correlation id (at least 2 batches of ≤ 100
    // for 151 events; an earlier caseEvents subscriber, if any, fetches the burst too). One event at a time
    // would be 151 requests per subscriber.
    const burstCorrelations = new Set(published.map((e) => e.correlationId));
    const burstCalls = calls.slice(callsBefore).filter((c) => burstCorrelations.has(c.correlationId ?? ''));
    expect(burstCalls.length).toBeGreaterThanOrEqual(2);
    expect(burstCalls.length).toBeLessThanOrEqual(2 * 8);
  });

  it('notificationAdded: the viewer receives their own notifications only', async () => {
    const client = wsClient(`Bearer ${await token('coordinator')}`);
    const received: unknown[] = [];
    const before = gateway.subscribers();
    client.subscribe(
      { query: 'subscription { notificationAdded { id text about: case { id } } }' },
      { next: (v) => void received.push(v), error: () => undefined, complete: () => undefined },
    );
    await waitFor('the subscription to register', () => gateway.subscribers() === before + 1);

    const created = (userId: string) =>
      envelope('notification.created', ORG, {
        notificationId: randomUUID(),
        userId,
        kind: 'CASE_ASSIGNED',
        text: 'x',
        createdAt: new Date().toISOString(),
      });
    nats.publish(
      `${PREFIX}.${ORG}.notification.created.v1`,
      JSON.stringify(created('22222222-2222-4222-8222-222222222222')),
    );
    const mine = created(coordinator.userId);
    nats.publish(`${PREFIX}.${ORG}.notification.created.v1`, JSON.stringify(mine));

    await waitFor('the notification at the client', () => received.length > 0);
    expect(received).toEqual([
      {
        data: {
          notificationAdded: { id: mine.data.notificationId, text: 'Вам назначено обращение', about: { id: 'case-1' } },
        },
      },
    ]);
  });

  it('queries sent over the WebSocket run through the gateway as the connected viewer', async () => {
    const client = wsClient(`Bearer ${await token('coordinator')}`);
    const result = await new Promise<unknown>((resolve, reject) => {
      client.subscribe(
        { query: '{ me { login } hidden: case(id: "case-hidden") { id } }' },
        { next: resolve, error: reject, complete: () => undefined },
      );
    });
    expect(result).toEqual({ data: { me: { login: 'coordinator' }, hidden: null } });
  });

  it('a WebSocket without a valid token is closed with 4403 Forbidden', async () => {
    let closed: { code?: number } | undefined;
    wsClient('Bearer not-a-token', (event) => (closed = event as { code?: number }));
    await waitFor('the socket to close', () => closed);
    expect(closed?.code).toBe(4403);
  });

  it('a WebSocket whose user no longer exists: its subscription completes and it is closed with 4403 Forbidden', async () => {
    // Its own gateway, with a lookup the test changes (the real one caches for 30 s).
    let known = true;
    const viewers: ViewerLookup = {
      viewer: (login) =>
        known && login === coordinator.login
          ? Promise.resolve(coordinator)
          : Promise.reject(new AuthError('UNAUTHENTICATED', 'unknown user')),
    };
    const config = loadGatewayConfig({
      GATEWAY_PORT: '0',
      NATS_URL,
      EVENTS_PREFIX: PREFIX,
      ...standIns.env,
      DATABASE_URL: database.url,
    });
    const isolated = await startGateway(config, createLogger('gateway-test', 'silent'), { viewers });
    try {
      await isolated.feed.ready();
      let closed: { code?: number } | undefined;
      const client = createClient({
        url: `ws://127.0.0.1:${isolated.port}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${await token('coordinator')}` },
        retryAttempts: 0,
        lazy: false,
        on: { closed: (event) => (closed = event as { code?: number }) },
        onNonLazyError: () => undefined,
      });
      clients.push(client);
      let ended = false;
      client.subscribe(
        { query: 'subscription { caseEvents { type } }' },
        { next: () => undefined, error: () => (ended = true), complete: () => (ended = true) },
      );
      await waitFor('the subscription to register', () => isolated.subscribers() === 1);
      known = false;
      nats.publish(
        `${PREFIX}.${ORG}.case.routed.v1`,
        JSON.stringify(envelope('case.routed', ORG, { caseId: 'case-1' })),
      );
      await waitFor('the socket to close', () => closed);
      expect(closed?.code).toBe(4403);
      expect(ended).toBe(true);
      expect(isolated.subscribers()).toBe(0);
    } finally {
      await isolated.stop();
    }
  });

  it('a gateway that cannot reach NATS answers /health with 503', async () => {
    const config = loadGatewayConfig({
      GATEWAY_PORT: '0',
      NATS_URL: 'nats://127.0.0.1:1',
      ...standIns.env,
      DATABASE_URL: database.url,
    });
    const isolated = await startGateway(config, createLogger('gateway-test', 'silent'));
    try {
      const response = await fetch(`http://127.0.0.1:${isolated.port}/health`);
      expect(response.status).toBe(503);
      await expect(response.json()).resolves.toMatchObject({ status: 'unavailable', nats: false, supergraph: true });
    } finally {
      await isolated.stop();
    }
  });

  it('stopping the gateway ends live subscriptions (WebSocket closed as "going away")', async () => {
    let closed: { code?: number } | undefined;
    const client = wsClient(`Bearer ${await token('coordinator')}`, (event) => (closed = event as { code?: number }));
    let completed = false;
    const before = gateway.subscribers();
    client.subscribe(
      { query: 'subscription { caseEvents { type } }' },
      { next: () => undefined, error: () => (completed = true), complete: () => (completed = true) },
    );
    await waitFor('the subscription to register', () => gateway.subscribers() === before + 1);
    await gateway.stop();
    await waitFor('the socket to close', () => closed);
    expect(closed?.code).toBe(1001);
    expect(completed).toBe(true);
    expect(gateway.subscribers()).toBe(0);
  });
});
