import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { jetstream, JetStreamClient, jetstreamManager } from '@nats-io/jetstream';
import { headers } from '@nats-io/nats-core';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { DEVELOPMENT_AUTH, signServiceToken, Viewer } from '@otklik/auth';
import {
  CORRELATION_HEADER,
  EventEnvelope,
  eventSubject,
  EventType,
  MessageAccepted,
  MessageAcceptedV1,
  SERVICE_HEADER,
} from '@otklik/contracts';
import { ensureStreams, streamNames } from '@otklik/messaging';
import { ALL_ORGS, callContext, createLogger, OrgScope, PinoNestLogger } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';
import { AppModule } from '../src/app.module';
import { loadWorkflowConfig } from '../src/workflow.config';
import { callSubgraph, deleteEventStreams, GraphqlAnswer } from '@otklik/testing';

export type { GraphqlAnswer };

/** Where a test runs the app: a fresh database and events prefix of its own (from @otklik/testing). */
export interface TestInfrastructure {
  database: { url: string; drop: () => Promise<void> };
  eventsPrefix: string;
  natsUrl: string;
  /** More settings (ATTACHMENTS_*, S3_*); attachments go to a temporary folder of the test's own by default. */
  env?: Record<string, string>;
}

/** The attachments folder of each test's app, shared by its replicas (local storage). */
const attachmentFolders = new WeakMap<TestInfrastructure, string>();

/**
 * The real workflow app on a fresh database and its own events prefix, with the demo district
 * seeded, talked to the way the gateway and intake talk to it: HTTP and JetStream.
 */
export class WorkflowUnderTest {
  private constructor(
    readonly app: INestApplication,
    readonly url: string,
    readonly prefix: string,
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly infrastructure: TestInfrastructure,
    /** The first instance owns the database and streams and removes them when it stops; a replica does not. */
    private readonly owner: boolean,
  ) {}

  static start(infrastructure: TestInfrastructure): Promise<WorkflowUnderTest> {
    return WorkflowUnderTest.boot(infrastructure, true);
  }

  /** Another instance of the app on the same database and events prefix, as a second replica runs. */
  replica(): Promise<WorkflowUnderTest> {
    return WorkflowUnderTest.boot(this.infrastructure, false);
  }

  private static async boot(infrastructure: TestInfrastructure, owner: boolean): Promise<WorkflowUnderTest> {
    const { database, eventsPrefix: prefix, natsUrl } = infrastructure;
    const attachmentsDir = attachmentFolders.get(infrastructure) ?? mkdtempSync(join(tmpdir(), 'otklik-attachments-'));
    attachmentFolders.set(infrastructure, attachmentsDir);
    const config = loadWorkflowConfig({
      DATABASE_URL: database.url,
      NATS_URL: natsUrl,
      EVENTS_PREFIX: prefix,
      OTKLIK_DEMO_SEED: 'true',
      WORKFLOW_PORT: '0',
      ATTACHMENTS_DIR: attachmentsDir,
      ...infrastructure.env,
    });
    const verbose = process.env.TEST_LOG === '1';
    const logger = createLogger('workflow', verbose ? 'debug' : 'silent');
    const app = await NestFactory.create(AppModule.forConfig(config, logger), {
      logger: verbose ? new PinoNestLogger(logger) : false,
    });
    await app.listen(0, '127.0.0.1');
    const nc = await connect({ servers: natsUrl });
    // Publishing needs the streams, which the app creates in the background as it connects.
    await ensureStreams(await jetstreamManager(nc), prefix);
    return new WorkflowUnderTest(app, await app.getUrl(), prefix, nc, jetstream(nc), infrastructure, owner);
  }

  async stop(): Promise<void> {
    await this.app?.close();
    if (!this.owner) {
      await this.nc.close();
      return;
    }
    await deleteEventStreams(this.nc, this.prefix);
    await this.nc.close();
    await this.infrastructure.database.drop();
    const attachmentsDir = attachmentFolders.get(this.infrastructure);
    if (attachmentsDir) rmSync(attachmentsDir, { recursive: true, force: true });
  }

  /** POST /graphql as the gateway would send it for `viewer` (no viewer: no header at all). */
  graphql<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    viewer?: Viewer,
  ): Promise<GraphqlAnswer<T>> {
    return callSubgraph<T>(this.url, query, variables, viewer);
  }

  /** GET /internal/viewers/:login with a service token (or none, or the given header value). */
  async lookUpViewer(login: string, serviceToken?: string | null): Promise<{ status: number; body: unknown }> {
    const token =
      serviceToken === undefined ? await signServiceToken('gateway', DEVELOPMENT_AUTH.internalSecret) : serviceToken;
    const response = await fetch(`${this.url}/internal/viewers/${encodeURIComponent(login)}`, {
      headers: token === null ? {} : { [SERVICE_HEADER]: token },
    });
    return { status: response.status, body: await response.json() };
  }

  /** The viewer the gateway would forward for `login`, as workflow answers it. */
  async viewer(login: string): Promise<Viewer> {
    const { status, body } = await this.lookUpViewer(login);
    if (status !== 200) throw new Error(`viewer ${login}: HTTP ${status} ${JSON.stringify(body)}`);
    return body as Viewer;
  }

  /** Publishes an event the way a service's outbox relay does: Nats-Msg-Id = event id, correlation header. */
  async publish<P extends object>(
    type: EventType<P>,
    organizationId: string,
    data: P,
    eventId: string = randomUUID(),
  ): Promise<EventEnvelope<P>> {
    const envelope: EventEnvelope<P> = {
      eventId,
      type: type.name,
      version: type.version,
      organizationId,
      occurredAt: new Date().toISOString(),
      correlationId: `test-${eventId}`,
      data,
    };
    const h = headers();
    h.set(CORRELATION_HEADER, envelope.correlationId);
    await this.js.publish(eventSubject(this.prefix, organizationId, type), JSON.stringify(envelope), {
      msgID: envelope.eventId,
      headers: h,
    });
    return envelope;
  }

  /** intake's MessageAccepted for a new message of `organizationId`. */
  publishMessageAccepted(
    organizationId: string,
    data: Partial<MessageAcceptedV1> = {},
    eventId?: string,
  ): Promise<EventEnvelope<MessageAcceptedV1>> {
    const messageId = data.messageId ?? randomUUID();
    return this.publish(
      MessageAccepted,
      organizationId,
      {
        messageId,
        sourceId: 'demo-vk',
        platform: 'VK',
        externalId: `post-1_comment-${messageId}`,
        url: 'https://vk.com/wall-1_1?reply=9',
        text: 'Третий день нет воды на улице Ленина',
        postedAt: '2026-11-30T09:55:00+07:00',
        receivedAt: '2026-11-30T10:00:00+07:00',
        attachments: [],
        ...data,
      },
      eventId,
    );
  }

  /**
   * Every event on `filter` from the start of the stream, read with an ordered consumer until
   * `enough` says so (or it times out naming what it waited for).
   */
  async readEvents<P extends object>(
    filter: string,
    enough: (events: Array<EventEnvelope<P>>) => boolean,
    what: string,
    timeoutMs = 15_000,
  ): Promise<Array<EventEnvelope<P>>> {
    const consumer = await this.js.consumers.get(streamNames(this.prefix).events, { filter_subjects: filter });
    const events: Array<EventEnvelope<P>> = [];
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const message = await consumer.next({ expires: 2000 });
      if (!message) continue;
      events.push(message.json<EventEnvelope<P>>());
      if (enough(events)) return events;
    }
    throw new Error(`timed out waiting for ${what}; read ${events.length} events on ${filter}`);
  }

  /**
   * Every event on `filter` that the stream holds now, in order: read with an ordered consumer
   * until none is pending.
   */
  async eventsSoFar<P extends object>(filter: string): Promise<Array<EventEnvelope<P>>> {
    const consumer = await this.js.consumers.get(streamNames(this.prefix).events, { filter_subjects: filter });
    const events: Array<EventEnvelope<P>> = [];
    for (;;) {
      const message = await consumer.next({ expires: 2000 });
      if (!message) return events;
      events.push(message.json<EventEnvelope<P>>());
      if (message.info.pending === 0) return events;
    }
  }

  /** Runs `work` in one transaction under `scope`, as the app's own code would. */
  inScope<T>(scope: OrgScope, work: () => Promise<T>): Promise<T> {
    return callContext.run({ correlationId: 'test', orgScope: scope }, () => this.app.get(UnitOfWork).run(work));
  }

  /** Whether the open-case consumer has handled the event (its inbox row exists). */
  async handled(eventId: string): Promise<boolean> {
    const rows = await this.inScope(ALL_ORGS, () =>
      this.app.get(UnitOfWork).manager.query<unknown[]>('select 1 from workflow.inbox where event_id = $1', [eventId]),
    );
    return rows.length > 0;
  }
}
