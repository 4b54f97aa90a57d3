import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { jetstream, JetStreamClient, jetstreamManager, JetStreamManager } from '@nats-io/jetstream';
import { headers } from '@nats-io/nats-core';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { Client, QueryResultRow } from 'pg';
import pino from 'pino';
import type { Viewer } from '@otklik/auth';
import {
  CaseOpened,
  CaseOpenedV1,
  CORRELATION_HEADER,
  EventEnvelope,
  eventSubject,
  EventType,
  StaffAppointed,
  StaffAppointedV1,
} from '@otklik/contracts';
import { DEMO_ORGANIZATIONS, DEMO_USERS, DemoUser, demoOrganization } from '@otklik/demo';
import { streamNames } from '@otklik/messaging';
import { loadServiceConfig, runService } from '@otklik/service-kit';
import {
  callSubgraph,
  createTestDatabase,
  deleteEventStreams,
  testEventsPrefix,
  testNatsUrl,
  waitFor,
} from '@otklik/testing';
import { AppModule } from '../src/app.module';

/** A GraphQL response body as notify sends it. */
export interface GraphqlAnswer<T = Record<string, unknown>> {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

export interface NotifyOptions {
  /** OTKLIK_DEMO_SEED; off by default, so that recipients come from StaffAppointed alone. */
  demoSeed?: boolean;
}

export interface PublishOptions {
  eventId?: string;
  /** Nats-Msg-Id; the event id unless told otherwise (a new one gets past JetStream's de-duplication). */
  msgId?: string;
  occurredAt?: string;
}

export interface Published<P extends object> {
  envelope: EventEnvelope<P>;
  seq: number;
}

export function demoUser(login: string): DemoUser {
  const found = DEMO_USERS.find((u) => u.login === login);
  if (!found) throw new Error(`no demo user ${login}`);
  return found;
}

/** The viewer the gateway would forward: kalmansky's staff see the whole district, a sel'sovet's only itself. */
export function viewerOf(user: DemoUser): Viewer {
  const roles = user.roles.map((r) => ({ organizationId: demoOrganization(r.organizationCode).id, role: r.role }));
  const district = roles.some((r) => r.organizationId === demoOrganization('kalmansky').id);
  return {
    userId: user.id,
    login: user.login,
    displayName: user.displayName,
    roles,
    visibleOrganizationIds: district ? DEMO_ORGANIZATIONS.map((o) => o.id) : roles.map((r) => r.organizationId),
  };
}

/**
 * The real notify app (HTTP, PostgreSQL, JetStream) on a fresh database and its own events
 * prefix, talked to the way the gateway and workflow talk to it: GraphQL and JetStream.
 */
export class NotifyUnderTest {
  private constructor(
    readonly app: INestApplication,
    readonly url: string,
    readonly prefix: string,
    /** Every line the app logged, as JSON text: some warnings are part of the contract. */
    readonly logLines: string[],
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    /** The owner connection: a superuser, so it sees every organisation's rows (probes only). */
    private readonly owner: Client,
    private readonly dropDatabase: () => Promise<void>,
  ) {}

  /** `name` labels the test's database. */
  static async start(name: string, options: NotifyOptions = {}): Promise<NotifyUnderTest> {
    const database = await createTestDatabase(name);
    const prefix = testEventsPrefix();
    const logLines: string[] = [];
    const verbose = process.env.TEST_LOG === '1';
    const logger = pino(
      { level: verbose ? 'debug' : 'info', base: { service: 'notify' } },
      {
        write: (line: string) => {
          logLines.push(line);
          if (verbose) process.stdout.write(line);
        },
      },
    );
    const config = loadServiceConfig('notify', {
      DATABASE_URL: database.url,
      NATS_URL: testNatsUrl(),
      EVENTS_PREFIX: prefix,
      NOTIFY_PORT: '0',
      OTKLIK_DEMO_SEED: options.demoSeed ? 'true' : 'false',
    });
    let app: INestApplication | undefined;
    let nc: NatsConnection | undefined;
    const owner = new Client({ connectionString: database.url });
    try {
      app = (await runService(AppModule.forConfig(config, logger), { config, logger })) as INestApplication;
      const url = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}`;
      nc = await connect({ servers: testNatsUrl() });
      const jsm = await jetstreamManager(nc);
      await owner.connect();
      await waitFor('the app to be healthy', async () => ((await fetch(`${url}/health`)).ok ? true : undefined));
      // The app creates the streams in the background as it connects.
      await waitFor('the events stream', () => jsm.streams.info(streamNames(prefix).events).then(() => true));
      return new NotifyUnderTest(app, url, prefix, logLines, nc, jetstream(nc), jsm, owner, database.drop);
    } catch (error) {
      await app?.close();
      await owner.end().catch(() => undefined);
      if (nc) await deleteEventStreams(nc, prefix);
      await nc?.close();
      await database.drop();
      throw error;
    }
  }

  async stop(): Promise<void> {
    await this.app.close();
    await this.owner.end();
    await deleteEventStreams(this.nc, this.prefix);
    await this.nc.close();
    await this.dropDatabase();
  }

  /** POST /graphql as the gateway would send it for `viewer` (no viewer: no header at all); the body as sent. */
  async graphql<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    viewer?: Viewer,
  ): Promise<GraphqlAnswer<T>> {
    const { data, errors } = await callSubgraph<T>(this.url, query, variables, viewer);
    return { data, errors };
  }

  /** Publishes an event the way its producer's outbox relay does: Nats-Msg-Id, correlation header. */
  async publish<P extends object>(
    type: EventType<P>,
    organizationId: string,
    data: P,
    options: PublishOptions = {},
  ): Promise<Published<P>> {
    const envelope: EventEnvelope<P> = {
      eventId: options.eventId ?? randomUUID(),
      type: type.name,
      version: type.version,
      organizationId,
      occurredAt: options.occurredAt ?? new Date().toISOString(),
      correlationId: `test-${randomUUID()}`,
      data,
    };
    const h = headers();
    h.set(CORRELATION_HEADER, envelope.correlationId);
    const ack = await this.js.publish(eventSubject(this.prefix, organizationId, type), JSON.stringify(envelope), {
      msgID: options.msgId ?? envelope.eventId,
      headers: h,
    });
    return { envelope, seq: ack.seq };
  }

  /** workflow's StaffAppointed for `user` in `organizationId`. */
  appoint(
    user: DemoUser,
    organizationId: string,
    role: StaffAppointedV1['role'],
    extra: Partial<StaffAppointedV1> = {},
  ): Promise<Published<StaffAppointedV1>> {
    return this.publish(StaffAppointed, organizationId, {
      userId: user.id,
      login: user.login,
      displayName: user.displayName,
      email: user.email,
      organizationId,
      role,
      ...extra,
    });
  }

  /** workflow's CaseOpened for a new case of `organizationId`. */
  openCase(
    organizationId: string,
    data: Pick<CaseOpenedV1, 'routeDueAt'> & Partial<CaseOpenedV1>,
  ): Promise<Published<CaseOpenedV1>> {
    return this.publish(CaseOpened, organizationId, {
      caseId: randomUUID(),
      messageId: randomUUID(),
      status: 'DETECTED',
      openedAt: new Date().toISOString(),
      ...data,
    });
  }

  /** Resolves once notify's durable consumer `notify_<durable>` has handled (and acknowledged) everything up to `seq`. */
  handledUpTo(durable: string, seq: number): Promise<true> {
    return waitFor(`notify_${durable} to handle stream message ${seq}`, async () => {
      const info = await this.jsm.consumers.info(streamNames(this.prefix).events, `notify_${durable}`);
      return info.delivered.stream_seq >= seq && info.num_ack_pending === 0 && info.num_pending === 0
        ? true
        : undefined;
    });
  }

  /** Every event of `type` on `organizationId`'s subject that the stream holds now, in order. */
  async events<P extends object>(type: EventType<P>, organizationId: string): Promise<Array<EventEnvelope<P>>> {
    const stream = streamNames(this.prefix).events;
    const subject = eventSubject(this.prefix, organizationId, type);
    const info = await this.jsm.streams.info(stream, { subjects_filter: subject });
    const count = info.state.subjects?.[subject] ?? 0;
    const out: Array<EventEnvelope<P>> = [];
    for (let seq = info.state.first_seq; out.length < count && seq <= info.state.last_seq; seq++) {
      const message = await this.jsm.streams.getMessage(stream, { seq }).catch(() => null);
      if (message?.subject === subject) out.push(message.json<EventEnvelope<P>>());
    }
    return out;
  }

  /** SQL as the database owner, past row-level security: for assertions and probes only. */
  async sql<R extends QueryResultRow = QueryResultRow>(text: string, params: unknown[] = []): Promise<R[]> {
    return (await this.owner.query<R>(text, params)).rows;
  }
}
