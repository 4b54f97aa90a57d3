import { randomInt, randomUUID } from 'node:crypto';
import type { Update } from '@grammyjs/types';
import { demoOrganization } from '@otklik/demo';
import { waitFor } from '@otklik/testing';
import type { RetentionRunEntity } from '../src/retention/retention-run.entity';
import { RetentionJob } from '../src/retention/retention.job';
import { RETENTION_DEFAULTS } from '../src/retention/retention.settings';
import { IntakeUnderTest, postGenericWebhook, RunningIntake, staffViewer } from './intake.harness';

// Medium (STYLE.md §13): 152-FZ retention on the real intake app and PostgreSQL — raw platform
// payloads purged after INTAKE_RAW_RETENTION_DAYS (30 by default, as here), platform deliveries
// forgotten after INTAKE_DELIVERY_RETENTION_DAYS (7), by every replica's job at once.

const KALMANSKY = demoOrganization('kalmansky').id;
const DAY_MS = 24 * 60 * 60 * 1000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS);
const OLD = RETENTION_DEFAULTS.rawRetentionDays + 1;
const YOUNG = RETENTION_DEFAULTS.rawRetentionDays - 1;
const OLD_DELIVERY = RETENTION_DEFAULTS.deliveryRetentionDays + 1;
const YOUNG_DELIVERY = RETENTION_DEFAULTS.deliveryRetentionDays - 1;
const OLD_CUTOFF_MS = RETENTION_DEFAULTS.rawRetentionDays * DAY_MS;

describe('152-FZ: raw platform payloads are purged after the retention, on every replica at once', () => {
  let intake: IntakeUnderTest;
  let replica: RunningIntake;
  let job: RetentionJob;
  let replicaJob: RetentionJob;

  type MessageRow = {
    id: string;
    text: string;
    author: unknown;
    attachments: unknown;
    url: string | null;
    raw: unknown;
    received_at: Date;
  };
  const messageRow = async (id: string) =>
    (
      await intake.sql<MessageRow>(
        'select id, text, author, attachments, url, raw, received_at from intake.messages where id = $1',
        [id],
      )
    )[0];
  const receivedDaysAgo = (ids: string[], days: number) =>
    intake.sql('update intake.messages set received_at = $2 where id = any($1::uuid[])', [ids, daysAgo(days)]);
  const runRow = async (id: string) =>
    (await intake.sql<Record<string, unknown>>('select * from intake.retention_runs where id = $1', [id]))[0];

  beforeAll(async () => {
    intake = await IntakeUnderTest.start('intake_retention');
    replica = await intake.replica();
    job = intake.app.get(RetentionJob);
    replicaJob = replica.app.get(RetentionJob);
    // Each replica runs the job once as it starts; let those finish before arranging old rows.
    await waitFor(
      'the start-up run of both replicas',
      async () => {
        const rows = await intake.sql<{ runners: number }>(
          'select count(distinct runner)::int as runners from intake.retention_runs where runner = any($1::uuid[])',
          [[job.id, replicaJob.id]],
        );
        return rows[0].runners === 2 ? true : undefined;
      },
      20_000,
    );
  }, 60_000);

  afterAll(async () => {
    await replica?.app.close();
    await intake?.stop();
  });

  it('the job ran once as each replica started, and said so in intake.retention_runs', async () => {
    const runs = await intake.sql<{ runner: string; error: string | null }>(
      'select runner, error from intake.retention_runs order by started_at',
    );
    expect(runs).toEqual(
      expect.arrayContaining([
        { runner: job.id, error: null },
        { runner: replicaJob.id, error: null },
      ]),
    );
  });

  it('a message older than the retention loses its raw payload; text, author, attachments and id stay; a younger one keeps it', async () => {
    const body = (text: string) => ({
      externalId: `post-${randomUUID()}`,
      url: 'https://vk.com/wall-1_123?reply=9',
      platform: 'VK',
      text,
      postedAt: '2026-11-27T08:15:00+07:00',
      author: { id: 'id42', name: 'Иван Петров', url: 'https://vk.com/id42' },
      attachments: [{ type: 'PHOTO', url: 'https://sun9-1.userapi.com/photo.jpg' }],
    });
    const old = (await postGenericWebhook(intake, body('Нет воды на ул. Ленина'))).body.messageId as string;
    const young = (await postGenericWebhook(intake, body('Яма у дома 5'))).body.messageId as string;
    await receivedDaysAgo([old], OLD);
    await receivedDaysAgo([young], YOUNG);
    const before = await messageRow(old);
    expect(before.raw).toMatchObject({ text: 'Нет воды на ул. Ленина' });

    const run = await job.runOnce();

    expect(run).toMatchObject({ rawPurged: 1, error: null });
    const after = await messageRow(old);
    expect(after).toEqual({ ...before, raw: null });
    expect((await messageRow(young)).raw).toMatchObject({ text: 'Яма у дома 5' });
    // The message is still what its case shows, read by the id the case holds.
    const read = await intake.graphql<{ message: { text: string; author: { name: string } } }>(
      'query ($id: ID!) { message(id: $id) { text author { name } } }',
      { id: old },
      staffViewer('official', 'OFFICIAL', KALMANSKY),
    );
    expect(read.data?.message).toEqual({ text: 'Нет воды на ул. Ленина', author: { name: 'Иван Петров' } });
  });

  it('a platform delivery is forgotten after its retention; a late retry of it is still not stored twice', async () => {
    const updateId = randomInt(1_000, 1_000_000_000);
    const messageId = randomInt(1_000, 1_000_000_000);
    const update = {
      update_id: updateId,
      message: {
        message_id: messageId,
        from: { id: 4242, is_bot: false, first_name: 'Иван', last_name: 'Петров', username: 'ivan_p' },
        chat: { id: 4242, type: 'private', first_name: 'Иван', username: 'ivan_p' },
        date: 1795053600,
        text: 'Когда починят фонарь?',
      },
    } as Update;
    const telegram = () =>
      intake.webhook('telegram/demo-telegram', {
        body: update,
        headers: { 'x-telegram-bot-api-secret-token': 'demo-tg-secret' },
      });
    expect(await telegram()).toMatchObject({ status: 200 });
    const [stored] = await intake.sql<{ id: string }>(
      'select id from intake.messages where source_id = $1 and external_id = $2',
      ['demo-telegram', `4242_${messageId}`],
    );
    const youngDelivery = `young-${randomUUID()}`;
    await intake.sql(
      `insert into intake.deliveries (source_id, delivery_id, organization_id, event_type, outcome, correlation_id, received_at)
       values ('demo-telegram', $1, $2, 'message', '{}', 'c', $3)`,
      [youngDelivery, KALMANSKY, daysAgo(YOUNG_DELIVERY)],
    );
    await intake.sql('update intake.deliveries set received_at = $2 where delivery_id = $1', [
      String(updateId),
      daysAgo(OLD_DELIVERY),
    ]);

    const run = await job.runOnce();

    expect(run).toMatchObject({ deliveriesDeleted: 1, rawPurged: 0, error: null });
    const left = await intake.sql<{ delivery_id: string }>(
      'select delivery_id from intake.deliveries where delivery_id = any($1)',
      [[String(updateId), youngDelivery]],
    );
    expect(left).toEqual([{ delivery_id: youngDelivery }]);
    // Younger than the raw retention: the message keeps its payload, whatever became of the delivery.
    expect((await messageRow(stored.id)).raw).toMatchObject({ update_id: updateId });

    expect(await telegram()).toMatchObject({ status: 200 });
    const copies = await intake.sql('select id from intake.messages where source_id = $1 and external_id = $2', [
      'demo-telegram',
      `4242_${messageId}`,
    ]);
    expect(copies).toHaveLength(1);
    const [again] = await intake.sql<{ outcome: Record<string, unknown> }>(
      'select outcome from intake.deliveries where delivery_id = $1',
      [String(updateId)],
    );
    expect(again.outcome).toMatchObject({ accepted: 0, duplicates: 1 });
  });

  it('runs on two replicas at once purge every old row exactly once between them: no double count, no deadlock', async () => {
    const OLD_MESSAGES = 2_500;
    const OLD_DELIVERIES = 1_200;
    const YOUNG_MESSAGES = 300;
    const batch = randomUUID();
    await intake.sql(
      `insert into intake.messages
         (id, organization_id, source_id, external_id, platform, text, posted_at, author, attachments, raw,
          correlation_id, received_at)
       select gen_random_uuid(), $1, 'demo-webhook', $2 || '-' || n, 'VK', 'Жалоба ' || n, now(),
              jsonb_build_object('id', 'id' || n, 'name', 'Автор ' || n), '[]',
              jsonb_build_object('n', n, 'secret', 'what the platform sent'), 'c',
              case when n <= $3::int then $4::timestamptz else $5::timestamptz end
         from generate_series(1, $3::int + $6::int) n`,
      [KALMANSKY, batch, OLD_MESSAGES, daysAgo(OLD), daysAgo(YOUNG), YOUNG_MESSAGES],
    );
    await intake.sql(
      `insert into intake.deliveries (source_id, delivery_id, organization_id, event_type, outcome, correlation_id, received_at)
       select 'demo-vk', $1 || '-' || n, $2, 'message_new', '{}', 'c', $3 from generate_series(1, $4) n`,
      [batch, KALMANSKY, daysAgo(OLD_DELIVERY), OLD_DELIVERIES],
    );

    // Small batches, so that the two runs take turns many times over the same rows.
    const runs: RetentionRunEntity[] = await Promise.all([
      job.runOnce({ batchSize: 100 }),
      replicaJob.runOnce({ batchSize: 100 }),
      job.runOnce({ batchSize: 70 }),
    ]);

    expect(runs.map((r) => r.error)).toEqual([null, null, null]);
    expect(runs.reduce((sum, r) => sum + r.rawPurged, 0)).toBe(OLD_MESSAGES);
    expect(runs.reduce((sum, r) => sum + r.deliveriesDeleted, 0)).toBe(OLD_DELIVERIES);
    const counts = await intake.sql<{ purged: number; kept: number; deliveries: number }>(
      `select count(*) filter (where raw is null)::int as purged,
              count(*) filter (where raw is not null)::int as kept,
              (select count(*)::int from intake.deliveries where delivery_id like $1 || '-%') as deliveries
         from intake.messages where external_id like $1 || '-%'`,
      [batch],
    );
    expect(counts[0]).toEqual({ purged: OLD_MESSAGES, kept: YOUNG_MESSAGES, deliveries: 0 });
    // The messages themselves are all there, with their text and author.
    const intact = await intake.sql<{ n: number }>(
      `select count(*)::int as n from intake.messages
        where external_id like $1 || '-%' and text like 'Жалоба %' and author ->> 'name' like 'Автор %'`,
      [batch],
    );
    expect(intact[0].n).toBe(OLD_MESSAGES + YOUNG_MESSAGES);

    // Each run is recorded as it counted itself: when, up to when, how many.
    for (const run of runs) {
      expect(await runRow(run.id)).toEqual({
        id: run.id,
        runner: run.runner,
        started_at: run.startedAt,
        finished_at: run.finishedAt,
        raw_before: run.rawBefore,
        deliveries_before: run.deliveriesBefore,
        raw_purged: run.rawPurged,
        deliveries_deleted: run.deliveriesDeleted,
        batches: run.batches,
        error: null,
      });
    }
    expect(runs[0].rawBefore).toEqual(new Date(runs[0].startedAt.getTime() - OLD_CUTOFF_MS));
  });

  it('the record of runs is append-only for the application: it can neither change nor remove a run', async () => {
    const privileges = await intake.sql<{ update: boolean; delete: boolean; insert: boolean }>(
      `select has_table_privilege('otklik_intake', 'intake.retention_runs', 'UPDATE') as update,
              has_table_privilege('otklik_intake', 'intake.retention_runs', 'DELETE') as delete,
              has_table_privilege('otklik_intake', 'intake.retention_runs', 'INSERT') as insert`,
    );
    expect(privileges).toEqual([{ update: false, delete: false, insert: true }]);
  });
});
