import 'reflect-metadata';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, NatsConnection } from '@nats-io/transport-node';
import {
  DEVELOPMENT_AUTH,
  openStaffAccessBucket,
  StaffAccessWriter,
  staffAccessBucket,
  verifyServiceToken,
  Viewer,
} from '@otklik/auth';
import { EventEnvelope, SERVICE_HEADER } from '@otklik/contracts';
import { createLogger } from '@otklik/observability';
import { createTestDatabase, waitFor } from '@otklik/testing';
import { Client, createClient } from 'graphql-ws';
import { CryptoKey, exportJWK, exportSPKI, generateKeyPair, JWK, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { loadGatewayConfig } from './config/gateway.config';
import { RunningGateway, startGateway } from './gateway.app';
import { NOTIFY_SDL, StandInSubgraphs, startStandInSubgraphs, WORKFLOW_SDL } from './testing/stand-in-subgraphs';

/*
 * Medium test of identity and trust at the gateway: the real gateway in production's JWT mode
 * (a JWKS served here, RS256), its real viewer lookup (cached 30 s) against a stand-in workflow,
 * real NATS for events and for the staff access list, which the test writes as workflow does
 * (libs/auth StaffAccessWriter). Every refusal is checked on HTTP and on the WebSocket.
 */
const NATS_URL = 'nats://127.0.0.1:4222';
const PREFIX = `t${Date.now().toString(36)}id`;
const ISSUER = 'https://id.example';
const AUDIENCE = 'otklik';
const ORG = 'org-district';
const SUB = 'org-selsovet';

type Ctx = { viewer: Viewer };
/** A case's organisation is in its id: `sub-…` is the sel'sovet's, anything else the district's. */
const organizationOf = (caseId: string) => (caseId.startsWith('sub-') ? SUB : ORG);

const viewerOf = (login: string, n: number, visible: string[]): Viewer => ({
  userId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  login,
  displayName: login,
  roles: visible.map((organizationId) => ({ organizationId, role: 'OFFICIAL' as const })),
  visibleOrganizationIds: visible,
});

interface KeyPair {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: JWK;
}

async function rsaKey(kid: string): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, publicKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

const now = () => Math.floor(Date.now() / 1000);
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

interface Claims {
  iss?: string;
  aud?: string;
  iat?: number;
  exp?: number;
  nbf?: number;
  jti?: string;
}

const envelope = (organizationId: string, caseId: string): EventEnvelope => ({
  eventId: randomUUID(),
  type: 'case.routed',
  version: 1,
  organizationId,
  occurredAt: new Date().toISOString(),
  correlationId: randomUUID(),
  data: { caseId },
});

describe('identity and trust at the gateway (medium: JWKS, revocation list on NATS KV, live sockets)', () => {
  let key: KeyPair;
  let jwksServer: Server;
  let standIns: StandInSubgraphs;
  let gateway: RunningGateway;
  let nats: NatsConnection;
  let database: { url: string; drop: () => Promise<void> };
  let url: string;
  let writer: StaffAccessWriter;
  const clients: Client[] = [];
  /** What workflow answers for each login (the test changes it); every lookup is counted. */
  const viewers = new Map<string, Viewer>();
  const lookups: string[] = [];

  const token = (login: string, claims: Claims = {}, signer: KeyPair = key) => {
    const iat = claims.iat ?? now();
    const jwt = new SignJWT({ preferred_username: login, ...(claims.nbf ? { nbf: claims.nbf } : {}) })
      .setProtectedHeader({ alg: 'RS256', kid: signer.kid })
      .setSubject(`sub-${login}`)
      .setIssuer(claims.iss ?? ISSUER)
      .setAudience(claims.aud ?? AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(claims.exp ?? iat + 600);
    if (claims.jti) jwt.setJti(claims.jti);
    return jwt.sign(signer.privateKey);
  };

  beforeAll(async () => {
    key = await rsaKey('2026-k1');
    jwksServer = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [key.jwk] })),
    );
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    viewers.set('official', viewerOf('official', 1, [ORG, SUB]));
    viewers.set('head', viewerOf('head', 2, [ORG]));
    viewers.set('executor', viewerOf('executor', 3, [ORG]));

    standIns = await startStandInSubgraphs({
      internalSecret: DEVELOPMENT_AUTH.internalSecret,
      dirPrefix: 'otklik-identity-',
      workflow: {
        sdl: WORKFLOW_SDL,
        resolvers: {
          Query: {
            me: (_: unknown, __: unknown, { viewer }: Ctx) => ({ login: viewer.login }),
            case: (_: unknown, { id }: { id: string }, { viewer }: Ctx) =>
              viewer.visibleOrganizationIds.includes(organizationOf(id))
                ? { id, status: 'ROUTED', organizationId: organizationOf(id) }
                : null,
          },
          Case: { organization: (c: { organizationId: string }) => ({ id: c.organizationId }) },
        },
        routes: (app) =>
          app.get('/internal/viewers/:login', (req, res) => {
            void verifyServiceToken(String(req.headers[SERVICE_HEADER]), DEVELOPMENT_AUTH.internalSecret).then(() => {
              lookups.push(req.params.login);
              const viewer = viewers.get(req.params.login);
              return viewer ? res.json(viewer) : res.status(404).json({ error: 'unknown' });
            });
          }),
      },
      notify: { sdl: NOTIFY_SDL, resolvers: { Query: { notification: () => null } } },
    });
    database = await createTestDatabase('gateway_identity');

    gateway = await startGateway(
      loadGatewayConfig({
        GATEWAY_PORT: '0',
        NATS_URL,
        EVENTS_PREFIX: PREFIX,
        ...standIns.env,
        DATABASE_URL: database.url,
        AUTH_JWKS_URL: `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks.json`,
        AUTH_ISSUER: ISSUER,
        AUTH_AUDIENCE: AUDIENCE,
        AUTH_MAX_TOKEN_LIFETIME: '1h',
        LOG_LEVEL: 'silent',
      }),
      createLogger('gateway-test', 'silent'),
    );
    url = `http://127.0.0.1:${gateway.port}`;
    await gateway.feed.ready();
    nats = await connect({ servers: NATS_URL });
    // Workflow's side of the staff access list, on the bucket the gateway made.
    writer = new StaffAccessWriter(() => openStaffAccessBucket(nats, PREFIX));
    await waitFor('the staff access list to load', async () =>
      (await fetch(`${url}/health`)).status === 200 ? true : undefined,
    );
  });

  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await gateway?.stop();
    if (nats) {
      await (await jetstreamManager(nats)).streams.delete(`KV_${staffAccessBucket(PREFIX)}`).catch(() => undefined);
      await nats.close();
    }
    await standIns?.stop();
    await new Promise((resolve) => jwksServer?.close(resolve));
    await database?.drop();
  });

  const post = async (query: string, jwt?: string) => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(jwt ? { authorization: `Bearer ${jwt}` } : {}) },
      body: JSON.stringify({ query }),
    });
    return {
      status: response.status,
      body: (await response.json()) as {
        data?: Record<string, unknown> | null;
        errors?: Array<{ message: string; extensions?: { code?: string } }>;
      },
    };
  };

  /** A graphql-ws client that connects at once; `closed()` is the close event once the socket closed. */
  const socket = (jwt: string) => {
    let closed: { code: number; reason: string } | undefined;
    const client = createClient({
      url: `ws://127.0.0.1:${gateway.port}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${jwt}` },
      retryAttempts: 0,
      lazy: false,
      on: { closed: (event) => (closed = event as { code: number; reason: string }) },
      onNonLazyError: () => undefined,
    });
    clients.push(client);
    return { client, closed: () => closed };
  };

  const query = (client: Client, text: string) =>
    new Promise<unknown>((resolve, reject) =>
      client.subscribe({ query: text }, { next: resolve, error: reject, complete: () => undefined }),
    );

  interface Received {
    events: string[];
    error?: Array<{ message: string; extensions?: { code?: string } }>;
    completed: boolean;
  }

  const subscribe = (client: Client, organizationId?: string): Received => {
    const received: Received = { events: [], completed: false };
    client.subscribe(
      {
        query: `subscription ($org: ID) { caseEvents(organizationId: $org) { case { id } } }`,
        variables: { org: organizationId ?? null },
      },
      {
        next: (value) =>
          void received.events.push((value.data as { caseEvents: { case: { id: string } } }).caseEvents.case.id),
        error: (error) => void (received.error = error as Received['error']),
        complete: () => void (received.completed = true),
      },
    );
    return received;
  };

  const publish = (organizationId: string, caseId: string) =>
    nats.publish(`${PREFIX}.${organizationId}.case.routed.v1`, JSON.stringify(envelope(organizationId, caseId)));

  const expectRefused = async (jwt: string, message: RegExp) => {
    const { status, body } = await post('{ me { login } }', jwt);
    expect(status).toBe(401);
    expect(body.data ?? undefined).toBeUndefined();
    expect(body.errors?.[0]).toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
      message: expect.stringMatching(message),
    });
    const { closed } = socket(jwt);
    const event = await waitFor('the socket to be refused', closed);
    expect(event.code).toBe(4403);
    expect(event.reason).toMatch(message);
  };

  it('a good token works on HTTP and on the socket', async () => {
    const jwt = await token('official');
    expect((await post('{ me { login } }', jwt)).body).toEqual({ data: { me: { login: 'official' } } });
    const { client } = socket(jwt);
    await expect(query(client, '{ me { login } }')).resolves.toEqual({ data: { me: { login: 'official' } } });
  });

  describe('refused with UNAUTHENTICATED on HTTP, and the socket closed with 4403 and the reason', () => {
    it('forged: signed with another key under the set’s key id', async () => {
      await expectRefused(await token('official', {}, { ...(await rsaKey(key.kid)) }), /bad signature/);
    });

    it('forged: signed with a key the set does not have', async () => {
      await expectRefused(await token('official', {}, await rsaKey('stranger')), /unknown key/);
    });

    it('tampered: the payload changed after signing (another login)', async () => {
      const [header, payload, signature] = (await token('executor')).split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
      await expectRefused(
        `${header}.${b64({ ...claims, preferred_username: 'official' })}.${signature}`,
        /bad signature/,
      );
    });

    it('expired (beyond the 30 s tolerance)', async () => {
      await expectRefused(await token('official', { iat: now() - 600, exp: now() - 60 }), /token expired/);
    });

    it('not yet valid (nbf ahead), or issued in the future', async () => {
      await expectRefused(await token('official', { nbf: now() + 300 }), /not yet valid/);
      await expectRefused(await token('official', { iat: now() + 300 }), /issued in the future/);
    });

    it('too long-lived: exp − iat above AUTH_MAX_TOKEN_LIFETIME (1 h)', async () => {
      await expectRefused(await token('official', { exp: now() + 2 * 3600 }), /longer than the 3600 s accepted/);
    });

    it('another issuer or audience', async () => {
      await expectRefused(await token('official', { iss: 'https://evil.example' }), /issuer not accepted/);
      await expectRefused(await token('official', { aud: 'another-app' }), /audience not accepted/);
    });

    it('unsigned (alg none), and HS256 with the public key as the secret', async () => {
      const claims = { preferred_username: 'official', iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 600 };
      await expectRefused(`${b64({ alg: 'none' })}.${b64(claims)}.`, /algorithm not accepted|malformed/);
      const confused = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', kid: key.kid })
        .sign(new TextEncoder().encode(await exportSPKI(key.publicKey)));
      await expectRefused(confused, /algorithm not accepted/);
    });

    it('revoked: one session (its jti) on the staff access list; the person’s other tokens still work', async () => {
      const revoked = await token('executor', { jti: 'jti-revoked' });
      const other = await token('executor', { jti: 'jti-other' });
      expect((await post('{ me { login } }', revoked)).status).toBe(200);
      await writer.revokeSession('jti-revoked', 'laptop stolen');
      await waitFor('the revocation to reach the gateway', async () =>
        (await post('{ me { login } }', revoked)).status === 401 ? true : undefined,
      );
      await expectRefused(revoked, /session revoked/);
      expect((await post('{ me { login } }', other)).body).toEqual({ data: { me: { login: 'executor' } } });
    });
  });

  it('a role withdrawn: the person’s sockets stop receiving that organisation’s events at once (no 30 s cache wait), HTTP too', async () => {
    const jwt = await token('official');
    const all = socket(jwt);
    const one = socket(jwt);
    const everything = subscribe(all.client);
    const selsovet = subscribe(one.client, SUB);
    await waitFor('both subscriptions', () => (gateway.subscribers() >= 2 ? true : undefined));
    publish(SUB, 'sub-before');
    await waitFor('the sel’sovet’s event on both', () =>
      everything.events.includes('sub-before') && selsovet.events.includes('sub-before') ? true : undefined,
    );
    expect((await post('{ case(id: "sub-before") { id } }', jwt)).body.data).toEqual({ case: { id: 'sub-before' } });
    const lookupsBefore = lookups.filter((l) => l === 'official').length;

    // Workflow withdraws the role and announces it, as withdrawRole does.
    viewers.set('official', viewerOf('official', 1, [ORG]));
    await writer.accessChanged('official', 'role OFFICIAL withdrawn in org-selsovet');

    // The subscription to that organisation ends with FORBIDDEN without any event arriving.
    const ended = await waitFor('the sel’sovet subscription to end', () => selsovet.error);
    expect(ended[0]?.extensions?.code).toBe('FORBIDDEN');
    // The other one goes on, without the sel’sovet: its event published first is not delivered.
    publish(SUB, 'sub-after');
    publish(ORG, 'org-after');
    await waitFor('the district’s event', () => (everything.events.includes('org-after') ? true : undefined));
    expect(everything.events).not.toContain('sub-after');
    expect(everything.error).toBeUndefined();
    // Workflow was asked again for the login right away (its answer is otherwise cached for 30 s).
    expect(lookups.filter((l) => l === 'official').length).toBeGreaterThan(lookupsBefore);
    expect((await post('{ case(id: "sub-after") { id } }', jwt)).body.data).toEqual({ case: null });
  });

  it('sessions revoked: the person’s sockets are closed with 4403 "session revoked" and their tokens refused; a token issued after works', async () => {
    const jwt = await token('head', { iat: now() - 5 });
    const live = socket(jwt);
    const received = subscribe(live.client);
    await waitFor('the subscription', () => (gateway.subscribers() >= 1 ? true : undefined));
    const bystander = socket(await token('executor', { jti: 'jti-bystander' }));
    await expect(query(bystander.client, '{ me { login } }')).resolves.toBeDefined();

    const notBefore = new Date((now() - 1) * 1000);
    await writer.revokeTokensOf('head', 'sessions revoked by coordinator: phone lost', notBefore);
    const closed = await waitFor('the socket to close', live.closed);
    expect(closed).toMatchObject({ code: 4403, reason: 'Forbidden: session revoked' });
    expect(received.completed || received.error !== undefined).toBe(true);
    await expectRefused(jwt, /session revoked/);
    // Signing in again after the revocation: a token issued later is accepted.
    expect((await post('{ me { login } }', await token('head', { iat: now() }))).body).toEqual({
      data: { me: { login: 'head' } },
    });
    // Nobody else's socket was touched.
    expect(bystander.closed()).toBeUndefined();
    await expect(query(bystander.client, '{ me { login } }')).resolves.toEqual({ data: { me: { login: 'executor' } } });
  });

  it('fails closed until the staff access list is loaded: /health 503, and a valid token is not served', async () => {
    const isolated = await startGateway(
      loadGatewayConfig({
        GATEWAY_PORT: '0',
        NATS_URL: 'nats://127.0.0.1:1',
        EVENTS_PREFIX: PREFIX,
        ...standIns.env,
        DATABASE_URL: database.url,
        AUTH_JWKS_URL: `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks.json`,
        AUTH_ISSUER: ISSUER,
        AUTH_AUDIENCE: AUDIENCE,
        LOG_LEVEL: 'silent',
      }),
      createLogger('gateway-test', 'silent'),
    );
    try {
      const health = await fetch(`http://127.0.0.1:${isolated.port}/health`);
      expect(health.status).toBe(503);
      await expect(health.json()).resolves.toMatchObject({ staffAccess: false });
      const response = await fetch(`http://127.0.0.1:${isolated.port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await token('official')}` },
        body: JSON.stringify({ query: '{ me { login } }' }),
      });
      const body = (await response.json()) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };
      expect(body.data ?? null).toBeNull();
      expect(body.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      await isolated.stop();
    }
  });
});
