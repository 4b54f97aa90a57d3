import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { jetstream, JetStreamClient, jetstreamManager, JetStreamManager } from '@nats-io/jetstream';
import { Client } from 'pg';
import pino from 'pino';
import { DEVELOPMENT_AUTH, signViewerToken, Viewer } from '@otklik/auth';
import {
  CaseTransitioned,
  CaseTransitionedV1,
  DeadlineBreached,
  EventEnvelope,
  eventSubject,
  EventType,
  NotificationCreated,
  NotificationCreatedV1,
  StaffAppointed,
  StaffAppointedV1,
  VIEWER_HEADER,
} from '@otklik/contracts';
import { DEMO_ORGANIZATIONS, DEMO_USERS, DemoUser, demoOrganization } from '@otklik/demo';
import { streamNames } from '@otklik/messaging';
import { loadServiceConfig, runService } from '@otklik/service-kit';
import { createTestDatabase, deleteEventStreams, testEventsPrefix, testNatsUrl, waitFor } from '@otklik/testing';
import { AppModule } from '../src/app.module';

// Medium test: the real notify app (PostgreSQL as the app role under row-level security,
// JetStream) told of case moves and deadlines by events published as workflow's relay would.

const KALMANSKY = demoOrganization('kalmansky').id;
const BURANOVSKY = demoOrganization('buranovsky').id;
const demoUser = (login: string): DemoUser => {
  const found = DEMO_USERS.find((u) => u.login === login);
  if (!found) throw new Error(`no demo user ${login}`);
  return found;
};
const coordinator = demoUser('coordinator');
const reception = demoUser('reception');
const buranovskyOfficial = demoUser('buranovsky.official');
const buranovskyExecutor = demoUser('buranovsky.executor');

/** The viewer the gateway would forward: kalmansky's staff see the whole district, a sel'sovet's only itself. */
const viewerOf = (user: DemoUser): Viewer => {
  const roles = user.roles.map((r) => ({ organizationId: demoOrganization(r.organizationCode).id, role: r.role }));
  const district = roles.some((r) => r.organizationId === KALMANSKY);
  return {
    userId: user.id,
    login: user.login,
    displayName: user.displayName,
    roles,
    visibleOrganizationIds: district ? DEMO_ORGANIZATIONS.map((o) => o.id) : roles.map((r) => r.organizationId),
  };
};

interface Row {
  user_id: string;
  organization_id: string;
  kind: string;
  text: string;
}

describe('notify: case moves and deadlines reach the people of the case’s path', () => {
  const prefix = testEventsPrefix();
  const streams = streamNames(prefix);
  let app: INestApplication;
  let baseUrl: string;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  let db: Client;
  let dropDb: () => Promise<void>;

  beforeAll(async () => {
    const database = await createTestDatabase('notify_moves');
    dropDb = database.drop;
    const logger = pino({ level: process.env.TEST_LOG === '1' ? 'info' : 'silent' });
    const config = loadServiceConfig('notify', {
      DATABASE_URL: database.url,
      NATS_URL: testNatsUrl(),
      EVENTS_PREFIX: prefix,
      NOTIFY_PORT: '0',
      OTKLIK_DEMO_SEED: 'false',
    });
    app = (await runService(AppModule.forConfig(config, logger), { config, logger })) as INestApplication;
    baseUrl = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}`;
    nc = await connect({ servers: testNatsUrl() });
    js = jetstream(nc);
    jsm = await jetstreamManager(nc);
    // The owner connection: a superuser, so it sees every organisation's rows (probes only).
    db = new Client({ connectionString: database.url });
    await db.connect();
    await waitFor('the app to be healthy', async () => ((await fetch(`${baseUrl}/health`)).ok ? true : undefined));
    await waitFor('the events stream', () => jsm.streams.info(streams.events).then(() => true));

    // Nobody at buranovsky's reception, and no coordinator there: both sit in the district above.
    const appointments: Array<[DemoUser, string, StaffAppointedV1['role']]> = [
      [coordinator, KALMANSKY, 'COORDINATOR'],
      [reception, KALMANSKY, 'RECEPTION'],
      [buranovskyOfficial, BURANOVSKY, 'OFFICIAL'],
      [buranovskyExecutor, BURANOVSKY, 'EXECUTOR'],
    ];
    let last = 0;
    for (const [user, organizationId, role] of appointments) {
      ({ seq: last } = await publish(StaffAppointed, organizationId, {
        userId: user.id,
        login: user.login,
        displayName: user.displayName,
        email: user.email,
        organizationId,
        role,
      }));
    }
    await handledUpTo('staff-projection', last);
  });

  afterAll(async () => {
    await app?.close();
    await db?.end();
    if (nc) await deleteEventStreams(nc, prefix);
    await nc?.close();
    await dropDb?.();
  });

  /** Publishes an event as its producer's outbox relay would (Nats-Msg-Id = event id unless told otherwise). */
  async function publish<P extends object>(
    type: EventType<P>,
    organizationId: string,
    data: P,
    options: { eventId?: string; msgId?: string } = {},
  ): Promise<{ envelope: EventEnvelope<P>; seq: number }> {
    const envelope: EventEnvelope<P> = {
      eventId: options.eventId ?? randomUUID(),
      type: type.name,
      version: type.version,
      organizationId,
      occurredAt: new Date().toISOString(),
      correlationId: `test-${randomUUID()}`,
      data,
    };
    const ack = await js.publish(eventSubject(prefix, organizationId, type), JSON.stringify(envelope), {
      msgID: options.msgId ?? envelope.eventId,
    });
    return { envelope, seq: ack.seq };
  }

  /** Resolves once notify's durable consumer has handled (and acknowledged) everything up to `seq`. */
  const handledUpTo = (durable: string, seq: number) =>
    waitFor(`notify_${durable} to handle stream message ${seq}`, async () => {
      const info = await jsm.consumers.info(streams.events, `notify_${durable}`);
      return info.delivered.stream_seq >= seq && info.num_ack_pending === 0 && info.num_pending === 0
        ? true
        : undefined;
    });

  /** A move of a buranovsky case, as workflow publishes it: on buranovsky's subject, with the path up to the district. */
  const moveInBuranovsky = (
    caseId: string,
    moved: Partial<CaseTransitionedV1> & Pick<CaseTransitionedV1, 'action'>,
  ) => {
    const transition: CaseTransitionedV1 = {
      caseId,
      messageId: randomUUID(),
      fromStatus: 'REGISTERED',
      toStatus: 'EXCLUDED',
      actor: 'buranovsky.official',
      at: new Date().toISOString(),
      organizationPath: [BURANOVSKY, KALMANSKY],
      ...moved,
    };
    return publish(CaseTransitioned, BURANOVSKY, transition);
  };

  const notificationsOfCase = async (caseId: string): Promise<Row[]> =>
    (
      await db.query<Row>(
        'select user_id, organization_id, kind, text from notify.notifications where case_id = $1 order by created_at, user_id',
        [caseId],
      )
    ).rows;

  const announced = async (organizationId: string): Promise<NotificationCreatedV1[]> => {
    const subject = eventSubject(prefix, organizationId, NotificationCreated);
    const info = await jsm.streams.info(streams.events, { subjects_filter: subject });
    const count = info.state.subjects?.[subject] ?? 0;
    const out: NotificationCreatedV1[] = [];
    for (let seq = info.state.first_seq; out.length < count && seq <= info.state.last_seq; seq++) {
      const message = await jsm.streams.getMessage(streams.events, { seq }).catch(() => null);
      if (message?.subject === subject) out.push(message.json<EventEnvelope<NotificationCreatedV1>>().data);
    }
    return out;
  };

  async function feedOf(viewer: Viewer): Promise<Array<{ id: string; kind: string; case: { id: string } | null }>> {
    const response = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [VIEWER_HEADER]: await signViewerToken(viewer, DEVELOPMENT_AUTH.internalSecret),
      },
      body: JSON.stringify({ query: '{ notifications(first: 100) { edges { node { id kind case { id } } } } }' }),
    });
    const answer = (await response.json()) as {
      data?: { notifications: { edges: Array<{ node: { id: string; kind: string; case: { id: string } | null } }> } };
      errors?: unknown[];
    };
    expect(answer.errors).toBeUndefined();
    return answer.data!.notifications.edges.map((e) => e.node);
  }

  const threatCase = randomUUID();
  let threatEnvelope: EventEnvelope<CaseTransitionedV1>;

  describe('cl. 11: a threat excluded in buranovsky reaches kalmansky’s coordinator', () => {
    it('one CASE_THREAT notification, for the coordinator, kept under the district', async () => {
      const { envelope, seq } = await moveInBuranovsky(threatCase, {
        action: 'EXCLUDE',
        exclusionReasons: ['THREAT'],
        reason: 'угрожает главе сельсовета',
      });
      threatEnvelope = envelope;
      await handledUpTo('case-transitioned', seq);
      expect(await notificationsOfCase(threatCase)).toEqual([
        {
          user_id: coordinator.id,
          organization_id: KALMANSKY,
          kind: 'CASE_THREAT',
          text: 'Угроза в сообщении: обращение исключено из рассмотрения. Комментарий: угрожает главе сельсовета',
        },
      ]);
    });

    it('NotificationCreated goes out on the district’s subject, for the gateway to push to the coordinator', async () => {
      const events = await waitFor('NotificationCreated for the coordinator', async () => {
        const all = await announced(KALMANSKY);
        return all.some((e) => e.caseId === threatCase) ? all : undefined;
      });
      expect(events.filter((e) => e.caseId === threatCase)).toEqual([
        expect.objectContaining({ userId: coordinator.id, kind: 'CASE_THREAT' }),
      ]);
    });

    it('the coordinator reads it in `notifications`; buranovsky’s own official has nothing of it', async () => {
      expect(await feedOf(viewerOf(coordinator))).toEqual([
        { id: expect.any(String), kind: 'CASE_THREAT', case: { id: threatCase } },
      ]);
      expect((await feedOf(viewerOf(buranovskyOfficial))).filter((n) => n.case?.id === threatCase)).toEqual([]);
    });

    it('redelivered, even after the inbox forgot the event, it notifies nobody twice', async () => {
      // Same event id past JetStream's de-duplication: stopped by the inbox.
      const redelivered = await publish(CaseTransitioned, BURANOVSKY, threatEnvelope.data, {
        eventId: threatEnvelope.eventId,
        msgId: randomUUID(),
      });
      await handledUpTo('case-transitioned', redelivered.seq);
      expect((await notificationsOfCase(threatCase)).map((r) => r.user_id)).toEqual([coordinator.id]);
      // The inbox purged (it keeps 8 days), then the event replayed: stopped by "once per person and source".
      await db.query('delete from notify.inbox where event_id = $1', [threatEnvelope.eventId]);
      const { seq } = await publish(CaseTransitioned, BURANOVSKY, threatEnvelope.data, {
        eventId: threatEnvelope.eventId,
        msgId: randomUUID(),
      });
      await handledUpTo('case-transitioned', seq);
      expect((await notificationsOfCase(threatCase)).map((r) => r.user_id)).toEqual([coordinator.id]);
      expect((await db.query('select 1 from notify.outbox')).rowCount).toBe(0);
      expect((await announced(KALMANSKY)).filter((e) => e.caseId === threatCase)).toHaveLength(1);
    });
  });

  describe('the rest of a case’s moves', () => {
    const caseId = randomUUID();

    it('routed to buranovsky, which has no reception: the district’s reception is told to register it', async () => {
      const { seq } = await moveInBuranovsky(caseId, {
        action: 'ROUTE',
        fromStatus: 'DETECTED',
        toStatus: 'ROUTED',
        fromOrganizationId: KALMANSKY,
      });
      await handledUpTo('case-transitioned', seq);
      expect(await notificationsOfCase(caseId)).toEqual([
        {
          user_id: reception.id,
          organization_id: KALMANSKY,
          kind: 'CASE_ROUTED',
          text: 'Вам направлено обращение: зарегистрируйте его',
        },
      ]);
    });

    it('a draft returned twice tells the executor twice: once per transition, not once per case', async () => {
      let seq = 0;
      for (const reason of ['добавьте фото', 'уточните сроки']) {
        ({ seq } = await moveInBuranovsky(caseId, {
          action: 'RETURN_DRAFT',
          fromStatus: 'DRAFT_SUBMITTED',
          toStatus: 'ASSIGNED',
          executorUserId: buranovskyExecutor.id,
          reason,
        }));
      }
      await handledUpTo('case-transitioned', seq);
      expect((await notificationsOfCase(caseId)).filter((r) => r.kind === 'DRAFT_RETURNED')).toEqual(
        ['добавьте фото', 'уточните сроки'].map((reason) => ({
          user_id: buranovskyExecutor.id,
          organization_id: BURANOVSKY,
          kind: 'DRAFT_RETURNED',
          text: `Проект ответа возвращён на доработку. Комментарий: ${reason}`,
        })),
      );
      expect((await feedOf(viewerOf(buranovskyExecutor))).map((n) => n.kind)).toEqual([
        'DRAFT_RETURNED',
        'DRAFT_RETURNED',
      ]);
    });
  });

  describe('deadline.breached tells the person responsible, or else the officials', () => {
    it('nobody responsible: buranovsky’s official hears of the breach', async () => {
      const caseId = randomUUID();
      const { seq } = await publish(DeadlineBreached, BURANOVSKY, {
        deadlineId: randomUUID(),
        caseId,
        kind: 'ROUTE',
        dueAt: '2026-11-28T10:00:00.000Z',
        firedAt: '2026-11-28T10:00:01.000Z',
      });
      await handledUpTo('deadline-breached', seq);
      expect(await notificationsOfCase(caseId)).toEqual([
        {
          user_id: buranovskyOfficial.id,
          organization_id: BURANOVSKY,
          kind: 'DEADLINE_BREACHED',
          text: 'Срок нарушен: направить обращение нужно было до 28.11 17:00',
        },
      ]);
    });
  });
});
