import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, JetStreamManager } from '@nats-io/jetstream';
import { Client } from 'pg';
import { CaseOpened, EventEnvelope, eventSubject, EventType, StaffAppointed } from '@otklik/contracts';
import { DEMO_USERS, demoOrganization } from '@otklik/demo';
import { streamNames } from '@otklik/messaging';
import { createLogger } from '@otklik/observability';
import { loadServiceConfig, runService } from '@otklik/service-kit';
import { createTestDatabase, testEventsPrefix, testNatsUrl, waitFor } from '@otklik/testing';
import { AppModule } from '../src/app.module';
import { DemoSeed } from '../src/demo/demo.seed';

// Medium test: with OTKLIK_DEMO_SEED the demo district's staff are recipients from the first start.

describe('notify demo seed: the demo district’s officials are notified from the first start', () => {
  const prefix = testEventsPrefix();
  const streams = streamNames(prefix);
  let app: INestApplication;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let db: Client;
  let dropDb: () => Promise<void>;

  beforeAll(async () => {
    const database = await createTestDatabase('notify_seed');
    dropDb = database.drop;
    const logger = createLogger('notify', process.env.TEST_LOG === '1' ? 'debug' : 'silent');
    const config = loadServiceConfig('notify', {
      DATABASE_URL: database.url,
      NATS_URL: testNatsUrl(),
      EVENTS_PREFIX: prefix,
      NOTIFY_PORT: '0',
      OTKLIK_DEMO_SEED: 'true',
    });
    app = (await runService(AppModule.forConfig(config, logger), { config, logger })) as INestApplication;
    nc = await connect({ servers: testNatsUrl() });
    jsm = await jetstreamManager(nc);
    db = new Client({ connectionString: database.url });
    await db.connect();
    await waitFor('the events stream', () => jsm.streams.info(streams.events).then(() => true));
  });

  afterAll(async () => {
    await app?.close();
    await db?.end();
    if (jsm) for (const name of Object.values(streams)) await jsm.streams.delete(name).catch(() => undefined);
    await nc?.close();
    await dropDb?.();
  });

  async function publish<P extends object>(type: EventType<P>, organizationId: string, data: P): Promise<number> {
    const envelope: EventEnvelope<P> = {
      eventId: randomUUID(),
      type: type.name,
      version: type.version,
      organizationId,
      occurredAt: new Date().toISOString(),
      correlationId: 'demo-seed-test',
      data,
    };
    const ack = await jetstream(nc).publish(eventSubject(prefix, organizationId, type), JSON.stringify(envelope), {
      msgID: envelope.eventId,
    });
    return ack.seq;
  }

  const handledUpTo = (durable: string, seq: number) =>
    waitFor(`notify_${durable} to handle stream message ${seq}`, async () => {
      const info = await jsm.consumers.info(streams.events, `notify_${durable}`);
      return info.delivered.stream_seq >= seq && info.num_ack_pending === 0 && info.num_pending === 0
        ? true
        : undefined;
    });

  const recipients = async () =>
    (
      await db.query<{ login: string; organization_id: string; role: string; display_name: string }>(
        'select login, organization_id, role, display_name from notify.recipients order by login, role',
      )
    ).rows;

  it('every role of every demo user is a recipient of its organisation', async () => {
    const expected = DEMO_USERS.flatMap((u) =>
      u.roles.map((r) => ({
        login: u.login,
        organization_id: demoOrganization(r.organizationCode).id,
        role: r.role,
        display_name: u.displayName,
      })),
    ).sort((a, b) => a.login.localeCompare(b.login) || a.role.localeCompare(b.role));
    expect(await recipients()).toEqual(expected);
  });

  it('seeding again, from two replicas at once, inserts nothing', async () => {
    const seed = app.get(DemoSeed);
    const before = await recipients();
    expect(await Promise.all([seed.seed(), seed.seed()])).toEqual([0, 0]);
    expect(await recipients()).toEqual(before);
  });

  it('a StaffAppointed event refreshes a seeded recipient', async () => {
    const official = DEMO_USERS.find((u) => u.login === 'official')!;
    const kalmansky = demoOrganization('kalmansky').id;
    const seq = await publish(StaffAppointed, kalmansky, {
      userId: official.id,
      login: official.login,
      displayName: 'Андрей Петрович Бочаров-Новый',
      email: official.email,
      organizationId: kalmansky,
      role: 'OFFICIAL',
    });
    await handledUpTo('staff-projection', seq);
    const row = (await recipients()).find((r) => r.login === 'official');
    expect(row?.display_name).toBe('Андрей Петрович Бочаров-Новый');
  });

  it('a case opened in buranovsky notifies buranovsky.official, the seeded official there', async () => {
    const buranovsky = demoOrganization('buranovsky').id;
    const caseId = randomUUID();
    const seq = await publish(CaseOpened, buranovsky, {
      caseId,
      messageId: randomUUID(),
      status: 'DETECTED',
      openedAt: '2026-11-27T08:15:00.000Z',
      routeDueAt: '2026-11-28T08:15:00.000Z',
    });
    await handledUpTo('case-opened', seq);
    const { rows } = await db.query<{ user_id: string; text: string }>(
      'select user_id, text from notify.notifications where case_id = $1',
      [caseId],
    );
    expect(rows).toEqual([
      {
        user_id: DEMO_USERS.find((u) => u.login === 'buranovsky.official')!.id,
        text: 'Новое обращение: обнаружено критическое сообщение, направьте его до 28.11 15:15',
      },
    ]);
  });
});
