import { randomUUID } from 'node:crypto';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { IsBoolean, IsUUID } from 'class-validator';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { defineEvent, EventEnvelope, eventSubject, EventValidationError } from '@otklik/contracts';
import { ALL_ORGS, callContext, createLogger, orgsScope } from '@otklik/observability';
import { appLoginUrl, grantToAppRole, PersistenceModule, UnitOfWork } from '@otklik/persistence';
import {
  createTestDatabase,
  deleteEventStreams,
  OwnNatsServer,
  testEventsPrefix,
  testNatsUrl,
  waitFor,
} from '@otklik/testing';
import { DLQ_HEADERS } from './consumer.host';
import { EventHandler, HandlesEvent } from './event-handler.decorator';
import { EventOutbox, OUTBOX_BATCH } from './event.outbox';
import { MessagingModule } from './messaging.module';
import { streamNames } from './messaging.options';
import { createOutboxAndInbox } from './outbox.tables';

class ThingDoneV1 {
  @IsUUID() thingId: string;
  @IsBoolean() explode: boolean;
}
const ThingDone = defineEvent('test.thing_done', 1, ThingDoneV1);

class Init1700000000001 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await createOutboxAndInbox(runner, 'msgtest');
    await runner.query(
      'create table msgtest.handled (event_id uuid primary key, thing_id uuid not null, correlation_id text)',
    );
    await grantToAppRole(runner, 'msgtest', 'handled');
  }
  async down(): Promise<void> {}
}

const attempts = new Map<string, number>();

@Injectable()
@HandlesEvent(ThingDone, { durable: 'record-thing' })
class RecordThing implements EventHandler<ThingDoneV1> {
  constructor(private readonly uow: UnitOfWork) {}
  async handle(payload: ThingDoneV1, envelope: EventEnvelope<ThingDoneV1>): Promise<void> {
    attempts.set(payload.thingId, (attempts.get(payload.thingId) ?? 0) + 1);
    if (payload.explode) throw new Error(`thing ${payload.thingId} exploded`);
    await this.uow.manager.query(
      'insert into msgtest.handled (event_id, thing_id, correlation_id) values ($1, $2, $3)',
      [envelope.eventId, payload.thingId, callContext.correlationId()],
    );
  }
}

const testLogger = createLogger('msgtest', process.env.TEST_LOG === '1' ? 'debug' : 'silent');

/** A service of its own: the outbox and inbox in schema msgtest, RecordThing as its consumer. */
async function startApp(
  databaseUrl: string,
  natsUrl: string,
  eventsPrefix: string,
  maxDeliveries: number,
): Promise<INestApplicationContext> {
  const logger = testLogger;
  @Module({
    imports: [
      PersistenceModule.forService({
        schema: 'msgtest',
        databaseUrl,
        entities: [],
        migrations: [Init1700000000001],
        connect: true,
        logger,
      }),
      MessagingModule.forService({
        service: 'msgtest',
        schema: 'msgtest',
        databaseUrl: appLoginUrl({ schema: 'msgtest', databaseUrl }),
        natsUrl,
        eventsPrefix,
        connect: true,
        logger,
        maxDeliveries,
      }),
    ],
    providers: [RecordThing],
  })
  class TestModule {}
  return NestFactory.createApplicationContext(TestModule, { logger: false });
}

describe('messaging: transactional outbox, idempotent consumers, dead letters', () => {
  const org = randomUUID();
  let app: INestApplicationContext;
  let nc: NatsConnection;
  let dropDb: () => Promise<void>;
  const prefix = testEventsPrefix();

  const emit = (ctx: INestApplicationContext, thingId: string, explode = false, rollback = false) =>
    callContext.run({ correlationId: `corr-${thingId}`, orgScope: orgsScope([org]) }, () =>
      ctx.get(UnitOfWork).run(async () => {
        await ctx.get(EventOutbox).add(ThingDone, org, { thingId, explode });
        if (rollback) throw new Error('domain write failed');
      }),
    );

  const handled = (ctx: INestApplicationContext, thingId: string) =>
    callContext.run({ correlationId: 'probe', orgScope: ALL_ORGS }, () =>
      ctx
        .get(UnitOfWork)
        .run((m) =>
          m.query<Array<{ correlation_id: string }>>('select * from msgtest.handled where thing_id = $1', [thingId]),
        ),
    );

  beforeAll(async () => {
    const db = await createTestDatabase('messaging');
    dropDb = db.drop;
    app = await startApp(db.url, testNatsUrl(), prefix, 3);
    nc = await connect({ servers: testNatsUrl() });
  });

  afterAll(async () => {
    await app?.close();
    await deleteEventStreams(nc, prefix);
    await nc?.close();
    await dropDb?.();
  });

  it('an event written with a committed change is handled once, with its correlation id', async () => {
    const thing = randomUUID();
    await emit(app, thing);
    const rows = await waitFor('the handler', async () =>
      (await handled(app, thing)).length ? handled(app, thing) : undefined,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].correlation_id).toBe(`corr-${thing}`);
  });

  it('an event written with a rolled-back change is never published', async () => {
    const thing = randomUUID();
    await expect(emit(app, thing, false, true)).rejects.toThrow('domain write failed');
    const marker = randomUUID();
    await emit(app, marker); // published after the rolled-back one would have been
    await waitFor('the marker event', async () => ((await handled(app, marker)).length ? true : undefined));
    expect(await handled(app, thing)).toHaveLength(0);
    expect(attempts.get(thing)).toBeUndefined();
  });

  it('the same event delivered twice is handled once (inbox)', async () => {
    const thing = randomUUID();
    const envelope = {
      eventId: randomUUID(),
      type: ThingDone.name,
      version: 1,
      organizationId: org,
      occurredAt: new Date().toISOString(),
      correlationId: 'dup',
      data: { thingId: thing, explode: false },
    };
    const subject = eventSubject(prefix, org, ThingDone);
    // Two different Nats-Msg-Ids get past JetStream's de-duplication: only the inbox stops the second.
    const js = jetstream(nc);
    await js.publish(subject, JSON.stringify(envelope), { msgID: randomUUID() });
    await js.publish(subject, JSON.stringify(envelope), { msgID: randomUUID() });
    await waitFor('the handler', async () => ((await handled(app, thing)).length ? true : undefined));
    await new Promise((r) => setTimeout(r, 300));
    expect(await handled(app, thing)).toHaveLength(1);
  });

  // One ordered consumer over the dead-letter stream, read in order across tests.
  let deadLetters: Awaited<ReturnType<ReturnType<typeof jetstream>['consumers']['get']>> | undefined;
  async function nextDeadLetter(): Promise<{ data: unknown; reason: string; deliveries: string }> {
    deadLetters ??= await jetstream(nc).consumers.get(streamNames(prefix).deadLetters);
    const consumer = deadLetters;
    const message = await consumer.next({ expires: 10_000 });
    if (!message) throw new Error('no dead letter arrived');
    return {
      data: message.json(),
      reason: message.headers?.get(DLQ_HEADERS.reason) ?? '',
      deliveries: message.headers?.get(DLQ_HEADERS.deliveries) ?? '',
    };
  }

  it('a poison event goes to the dead-letter stream with its reason, at once', async () => {
    const js = jetstream(nc);
    await js.publish(eventSubject(prefix, org, ThingDone), JSON.stringify({ type: ThingDone.name, data: 'garbage' }));
    const letter = await nextDeadLetter();
    expect(letter.reason).toMatch(/unreadable event/);
    expect(letter.reason).toMatch(/eventId/);
    expect(letter.deliveries).toBe('1');
  });

  it('an event that keeps failing is dead-lettered after maxDeliveries with the error', async () => {
    const thing = randomUUID();
    await emit(app, thing, true);
    const letter = await nextDeadLetter();
    expect(letter.reason).toContain(`thing ${thing} exploded`);
    expect(letter.deliveries).toBe('3');
    expect(attempts.get(thing)).toBe(3);
    expect((letter.data as EventEnvelope).data).toEqual({ thingId: thing, explode: true });
  });
});

describe('messaging: a burst is handled in batches, and one bad event does not hold up the others', () => {
  it('300 events written at once are each handled exactly once; a failing one among them is dead-lettered alone', async () => {
    const db = await createTestDatabase('burst');
    const prefix = testEventsPrefix();
    const app = await startApp(db.url, testNatsUrl(), prefix, 2);
    const nc = await connect({ servers: testNatsUrl() });
    const orgs = [randomUUID(), randomUUID()];
    const things = Array.from({ length: 300 }, (_, i) => ({ thingId: randomUUID(), org: orgs[i % 2] }));
    const bad = things[150].thingId;
    try {
      // One transaction writes them all: the relay publishes them together, the consumer gets a burst.
      await callContext.run({ correlationId: 'burst', orgScope: orgsScope(orgs) }, () =>
        app.get(UnitOfWork).run(async () => {
          for (const { thingId, org } of things) {
            await app.get(EventOutbox).add(ThingDone, org, { thingId, explode: thingId === bad });
          }
        }),
      );
      const count = () =>
        callContext.run({ correlationId: 'probe', orgScope: ALL_ORGS }, () =>
          app
            .get(UnitOfWork)
            .run(async (m) => await m.query<Array<{ thing_id: string }>>('select thing_id from msgtest.handled')),
        );
      const rows = await waitFor(
        '299 events handled',
        async () => {
          const handled = await count();
          return handled.length >= 299 ? handled : undefined;
        },
        30_000,
      );
      const deadLetter = await jetstream(nc)
        .consumers.get(streamNames(prefix).deadLetters)
        .then((c) => c.next({ expires: 10_000 }));
      expect(deadLetter?.headers?.get(DLQ_HEADERS.reason)).toContain(`thing ${bad} exploded`);
      await new Promise((r) => setTimeout(r, 300));
      const final = await count();
      expect(final).toHaveLength(299);
      expect(new Set(final.map((r) => r.thing_id)).size).toBe(299);
      expect(final.map((r) => r.thing_id)).not.toContain(bad);
      expect(rows.length).toBe(299);
      // Each good event committed once. Its handler may have run twice: once in the batch with the
      // bad event (rolled back), once alone after — which is why handlers keep every effect in the transaction.
      for (const { thingId } of things) if (thingId !== bad) expect(attempts.get(thingId)).toBeLessThanOrEqual(2);
    } finally {
      await app.close();
      await deleteEventStreams(nc, prefix);
      await nc.close();
      await db.drop();
    }
  }, 60_000);
});

describe('messaging: addMany writes a batch of events in a few statements', () => {
  let app: INestApplicationContext;
  let nc: NatsConnection;
  let db: { url: string; drop: () => Promise<void> };
  const prefix = testEventsPrefix();
  const org = randomUUID();
  const inScope = <T>(work: () => Promise<T>) =>
    callContext.run({ correlationId: 'many', orgScope: orgsScope([org]) }, () => app.get(UnitOfWork).run(work));
  const handledIds = () =>
    callContext.run({ correlationId: 'probe', orgScope: ALL_ORGS }, () =>
      app.get(UnitOfWork).run((m) => m.query<Array<{ thing_id: string }>>('select thing_id from msgtest.handled')),
    );

  beforeAll(async () => {
    db = await createTestDatabase('outbox_many');
    app = await startApp(db.url, testNatsUrl(), prefix, 3);
    nc = await connect({ servers: testNatsUrl() });
  });
  afterAll(async () => {
    await app?.close();
    await deleteEventStreams(nc, prefix);
    await nc.close();
    await db.drop();
  });

  it(`${2 * OUTBOX_BATCH + 1} events (three statements) are each published and handled once`, async () => {
    const things: string[] = Array.from({ length: 2 * OUTBOX_BATCH + 1 }, () => randomUUID());
    const written = await inScope(() =>
      app.get(EventOutbox).addMany(
        ThingDone,
        things.map((thingId) => ({ organizationId: org, data: { thingId, explode: false } })),
      ),
    );
    expect(written.map((e) => e.data.thingId)).toEqual(things);
    const handled = await waitFor(
      'every event handled',
      async () => {
        const rows = await handledIds();
        return things.every((t) => rows.some((r) => r.thing_id === t)) ? rows : undefined;
      },
      60_000,
    );
    expect(handled.filter((r) => things.includes(r.thing_id))).toHaveLength(things.length);
  }, 90_000);

  it('an invalid payload: without onInvalid nothing of the call is written; with it, it is reported and the rest written', async () => {
    const good = randomUUID();
    const invalid = { thingId: 'not-a-uuid', explode: false };
    await expect(
      inScope(() =>
        app.get(EventOutbox).addMany(ThingDone, [
          { organizationId: org, data: { thingId: good, explode: false } },
          { organizationId: org, data: invalid },
        ]),
      ),
    ).rejects.toBeInstanceOf(EventValidationError);
    const reported: number[] = [];
    const written = await inScope(() =>
      app.get(EventOutbox).addMany(
        ThingDone,
        [
          { organizationId: org, data: invalid },
          { organizationId: org, data: { thingId: good, explode: false } },
        ],
        (_error, index) => reported.push(index),
      ),
    );
    expect(reported).toEqual([0]);
    expect(written.map((e) => e.data.thingId)).toEqual([good]);
    await waitFor('the good event handled', async () =>
      (await handledIds()).some((r) => r.thing_id === good) ? true : undefined,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect((await handledIds()).filter((r) => r.thing_id === good)).toHaveLength(1);
  }, 60_000);
});

describe('messaging: NATS down while events are written', () => {
  it('keeps events in the outbox and publishes them once NATS is back', async () => {
    const server = await OwnNatsServer.create();
    const db = await createTestDatabase('natsdown');
    const prefix = testEventsPrefix();
    const app = await startApp(db.url, server.url, prefix, 5);
    const org = randomUUID();
    const things = Array.from({ length: 20 }, () => randomUUID());
    try {
      // NATS has never been up: writes still succeed.
      for (const thingId of things) {
        await callContext.run({ correlationId: 'down', orgScope: orgsScope([org]) }, () =>
          app.get(UnitOfWork).run(() => app.get(EventOutbox).add(ThingDone, org, { thingId, explode: false })),
        );
      }
      const count = () =>
        callContext.run({ correlationId: 'probe', orgScope: ALL_ORGS }, () =>
          app
            .get(UnitOfWork)
            .run(async (m) =>
              Number((await m.query<Array<{ n: string }>>('select count(*) as n from msgtest.handled'))[0].n),
            ),
        );
      expect(await count()).toBe(0);
      await server.start();
      await waitFor('all 20 events handled', async () => ((await count()) === 20 ? true : undefined), 20_000);
      // Down again mid-flight, then back: nothing lost, nothing twice.
      await server.stop();
      const more = Array.from({ length: 5 }, () => randomUUID());
      for (const thingId of more) {
        await callContext.run({ correlationId: 'down2', orgScope: orgsScope([org]) }, () =>
          app.get(UnitOfWork).run(() => app.get(EventOutbox).add(ThingDone, org, { thingId, explode: false })),
        );
      }
      await server.start();
      await waitFor('all 25 events handled', async () => ((await count()) === 25 ? true : undefined), 30_000);
    } finally {
      await app.close();
      await server.dispose();
      await db.drop();
    }
  }, 60_000);
});
