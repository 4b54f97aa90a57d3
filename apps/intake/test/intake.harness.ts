import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { ConsumerMessages, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { Client } from 'pg';
import type { Viewer } from '@otklik/auth';
import { CORRELATION_HEADER, EventEnvelope, eventSubject, EventType } from '@otklik/contracts';
import { DEMO_ORGANIZATIONS } from '@otklik/demo';
import { streamNames } from '@otklik/messaging';
import { createLogger } from '@otklik/observability';
import { DEVELOPMENT_KEYRING, SecretBox } from '@otklik/secrets';
import { loadServiceConfig, runService, ServiceConfig } from '@otklik/service-kit';
import {
  callSubgraph,
  createTestDatabase,
  deleteEventStreams,
  GraphqlAnswer,
  testEventsPrefix,
  testNatsUrl,
  waitFor,
} from '@otklik/testing';
import { AppModule, INTAKE_HTTP } from '../src/app.module';
import type { FeedPollerSettings } from '../src/feeds/feed.settings';
import { credentialsContext, secretContext } from '../src/sources/source.secrets';
import { signBody } from '../src/webhooks/signature';

export type { GraphqlAnswer };

export const EVERY_ORGANIZATION = DEMO_ORGANIZATIONS.map((o) => o.id);

/** A viewer as the gateway forwards it: `role` in `organizationId`, seeing `visible` (that organisation alone unless told). */
export function staffViewer(
  login: string,
  role: Viewer['roles'][number]['role'],
  organizationId: string,
  visible: string[] = [organizationId],
): Viewer {
  return {
    userId: randomUUID(),
    login,
    displayName: login,
    roles: [{ organizationId, role }],
    visibleOrganizationIds: visible,
  };
}

/** `CODE: message` of an answer's first error, or OK. */
export function outcome(answer: GraphqlAnswer): string {
  const error = answer.errors?.[0];
  return error ? `${error.extensions?.code}: ${error.message}` : 'OK';
}

/** Where one instance of the app runs. */
export interface IntakeSettings {
  databaseUrl: string;
  eventsPrefix: string;
  /** The test NATS unless told (a test's own server, say). */
  natsUrl?: string;
  /** The feed poller's settings; read from the environment as in production unless given. */
  feedPoller?: FeedPollerSettings;
}

export interface RunningIntake {
  app: INestApplication;
  url: string;
  config: ServiceConfig;
}

/** One instance of the real intake app (HTTP, PostgreSQL, JetStream) with the demo seed, on a free port. */
export async function bootIntake(settings: IntakeSettings): Promise<RunningIntake> {
  const config = loadServiceConfig('intake', {
    DATABASE_URL: settings.databaseUrl,
    NATS_URL: settings.natsUrl ?? testNatsUrl(),
    EVENTS_PREFIX: settings.eventsPrefix,
    OTKLIK_DEMO_SEED: 'true',
    INTAKE_PORT: '0',
  });
  const logger = createLogger('intake', process.env.TEST_LOG === '1' ? 'debug' : 'silent');
  const app = await runService(AppModule.forConfig(config, logger, settings.feedPoller), {
    config,
    logger,
    ...INTAKE_HTTP,
  });
  if (!app) throw new Error('intake did not start');
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, config };
}

/** The streams of a test's events prefix, removed after it (libs/messaging creates them on first connect). */
export async function deleteStreams(natsUrl: string, prefix: string): Promise<void> {
  const nc = await connect({ servers: natsUrl });
  await deleteEventStreams(nc, prefix);
  await nc.close();
}

/** The database as its owner sees it (a superuser: no row-level security), to arrange and check what was stored. */
export async function ownerQuery<T>(databaseUrl: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Data of intake's message events: message.accepted, .edited, .deleted. */
export type MessageEventData = { messageId: string } & Record<string, unknown>;

export interface ReceivedEvent<P extends object = MessageEventData> {
  subject: string;
  correlationHeader?: string;
  /** The message as it went over the wire, to look for what must not be there. */
  raw: string;
  envelope: EventEnvelope<P>;
}

/** Every event of a prefix's stream since it began, in order, read by an ordered JetStream consumer. */
export class IntakeEvents {
  readonly received: ReceivedEvent[] = [];
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly prefix: string,
  ) {}

  static async open(natsUrl: string, prefix: string): Promise<IntakeEvents> {
    const reader = new IntakeEvents(await connect({ servers: natsUrl }), prefix);
    const stream = streamNames(prefix).events;
    const jsm = await jetstreamManager(reader.nc);
    // The app creates its streams once it reaches NATS, shortly after it starts.
    await waitFor(`the stream ${stream}`, () => jsm.streams.info(stream).then(() => true), 20_000);
    const messages = await (await jetstream(reader.nc).consumers.get(stream)).consume();
    reader.messages = messages;
    reader.loop = (async () => {
      for await (const m of messages) {
        reader.received.push({
          subject: m.subject,
          correlationHeader: m.headers?.get(CORRELATION_HEADER),
          raw: m.string(),
          envelope: m.json<EventEnvelope<MessageEventData>>(),
        });
      }
    })();
    return reader;
  }

  /** The events so far about message `messageId`: of `type` (e.g. 'message.edited'), or of any type. */
  of(messageId: string, type?: string): ReceivedEvent[] {
    return this.received.filter(
      (e) => e.envelope.data.messageId === messageId && (type === undefined || e.envelope.type === type),
    );
  }

  /** Resolves, with all of them, once `count` events of `type` about `messageId` have arrived. */
  waitFor(messageId: string, type: string, count = 1): Promise<ReceivedEvent[]> {
    return waitFor(
      `${count} × ${type} of ${messageId}`,
      () => (this.of(messageId, type).length >= count ? this.of(messageId, type) : undefined),
      20_000,
    );
  }

  /** The message.accepted of `messageId`, once it has arrived. */
  async accepted(messageId: string): Promise<ReceivedEvent> {
    return (await this.waitFor(messageId, 'message.accepted'))[0];
  }

  /** The events so far of `type` on `organizationId`'s subject. */
  ofType<P extends object>(type: EventType<P>, organizationId: string): Array<ReceivedEvent<P>> {
    const subject = eventSubject(this.prefix, organizationId, type);
    return this.received.filter((e) => e.subject === subject) as unknown as Array<ReceivedEvent<P>>;
  }

  async close(): Promise<void> {
    this.messages?.stop();
    await this.loop;
    await this.nc.close();
  }
}

/** A source as intake stores it: its secret and credentials sealed with the development key the app runs on here. */
export interface SourceRow {
  id: string;
  organizationId: string;
  platform: string;
  kind: string;
  /** The id unless told. */
  name?: string;
  /** None for the kinds that take no webhook (FEED). */
  secret?: string;
  settings?: Record<string, unknown>;
  credentials?: Record<string, string>;
  requireTimestamp?: boolean;
  enabled?: boolean;
}

/** An HTTP answer as the platform reads it. */
export interface WebhookAnswer {
  status: number;
  contentType: string;
  text: string;
}

export interface WebhookRequest {
  method?: 'GET' | 'POST';
  /** Sent as application/json: as it is if a string, else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** The `error` of a webhook's JSON refusal. */
export const errorOf = (answer: WebhookAnswer): string => (JSON.parse(answer.text) as { error: string }).error;

export interface GenericWebhookOptions {
  /** demo-webhook unless told. */
  source?: string;
  /** The secret it is signed with (demo-secret unless told). */
  secret?: string;
  /** The X-Otklik-Signature header as given (null: none) instead of the body's signature. */
  signature?: string | null;
  timestamp?: number;
  correlationId?: string;
}

/** POST /webhooks/generic/<source> as a sender signs it (CONTRACT.md "Generic webhook"); the JSON answer. */
export async function postGenericWebhook(intake: { url: string }, body: unknown, options: GenericWebhookOptions = {}) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const timestamp = options.timestamp === undefined ? undefined : String(options.timestamp);
  const signature =
    options.signature === undefined ? signBody(options.secret ?? 'demo-secret', raw, timestamp) : options.signature;
  const response = await fetch(`${intake.url}/webhooks/generic/${options.source ?? 'demo-webhook'}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(signature === null ? {} : { 'x-otklik-signature': signature }),
      ...(timestamp === undefined ? {} : { 'x-otklik-timestamp': timestamp }),
      ...(options.correlationId ? { [CORRELATION_HEADER]: options.correlationId } : {}),
    },
    body: raw,
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as { messageId?: string; duplicate?: boolean; error?: string; problems?: string[] },
  };
}

/**
 * The real intake app on a fresh database and its own events prefix, with the demo sources
 * seeded, talked to the way platforms and the gateway talk to it: webhooks and GraphQL; what it
 * stores is read as the database owner, what it announces from its stream.
 */
export class IntakeUnderTest {
  private constructor(
    private readonly running: RunningIntake,
    private readonly settings: IntakeSettings,
    readonly events: IntakeEvents,
    /** The owner connection: a superuser, so it sees every organisation's rows (arranging and probing only). */
    private readonly owner: Client,
    private readonly dropDatabase: () => Promise<void>,
  ) {}

  /** `name` labels the test's database. */
  static async start(name: string, options: { feedPoller?: FeedPollerSettings } = {}): Promise<IntakeUnderTest> {
    const database = await createTestDatabase(name);
    const settings: IntakeSettings = { databaseUrl: database.url, eventsPrefix: testEventsPrefix(), ...options };
    let running: RunningIntake | undefined;
    let events: IntakeEvents | undefined;
    const owner = new Client({ connectionString: database.url });
    try {
      running = await bootIntake(settings);
      events = await IntakeEvents.open(testNatsUrl(), settings.eventsPrefix);
      await owner.connect();
      return new IntakeUnderTest(running, settings, events, owner, database.drop);
    } catch (error) {
      await running?.app.close();
      await events?.close();
      await owner.end().catch(() => undefined);
      await deleteStreams(testNatsUrl(), settings.eventsPrefix);
      await database.drop();
      throw error;
    }
  }

  get app(): INestApplication {
    return this.running.app;
  }

  get url(): string {
    return this.running.url;
  }

  get prefix(): string {
    return this.settings.eventsPrefix;
  }

  /** Another instance of the app on the same database and events prefix, as a second replica runs; the test closes it. */
  replica(): Promise<RunningIntake> {
    return bootIntake(this.settings);
  }

  async stop(): Promise<void> {
    await this.app.close();
    await this.events.close();
    await this.owner.end();
    await deleteStreams(testNatsUrl(), this.prefix);
    await this.dropDatabase();
  }

  /** POST /graphql as the gateway would send it for `viewer` (no viewer: no header at all). */
  graphql<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    viewer?: Viewer,
  ): Promise<GraphqlAnswer<T>> {
    return callSubgraph<T>(this.url, query, variables, viewer);
  }

  /** A request to /webhooks/<path> (path and query), as a platform sends it. */
  async webhook(path: string, request: WebhookRequest = {}): Promise<WebhookAnswer> {
    const { body } = request;
    const response = await fetch(`${this.url}/webhooks/${path}`, {
      method: request.method ?? 'POST',
      headers: body === undefined ? request.headers : { 'content-type': 'application/json', ...request.headers },
      body: body === undefined || typeof body === 'string' ? body : JSON.stringify(body),
    });
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      text: await response.text(),
    };
  }

  /** SQL as the database owner, past row-level security: for arranging and checking only. */
  async sql<R = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<R[]> {
    return (await this.owner.query(text, params)).rows as R[];
  }

  async insertSource(source: SourceRow): Promise<void> {
    const box = new SecretBox(DEVELOPMENT_KEYRING);
    const credentials = source.credentials ?? {};
    const names = Object.keys(credentials).sort();
    await this.sql(
      `insert into intake.sources
         (id, organization_id, platform, kind, name, secret_ciphertext, credentials_ciphertext, credential_names,
          require_timestamp, settings, enabled)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        source.id,
        source.organizationId,
        source.platform,
        source.kind,
        source.name ?? source.id,
        source.secret === undefined ? null : box.seal(source.secret, secretContext(source.id)),
        names.length > 0 ? box.seal(JSON.stringify(credentials), credentialsContext(source.id)) : null,
        names,
        source.requireTimestamp ?? false,
        JSON.stringify(source.settings ?? {}),
        source.enabled ?? true,
      ],
    );
  }
}
