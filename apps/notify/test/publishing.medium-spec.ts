import { randomBytes, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import pino from 'pino';
import {
  PublicationCompleted,
  PublicationCompletedV1,
  PublicationRequested,
  PublicationRequestedV1,
  SourceChanged,
  SourceChangedV1,
  sourceCredentialsContext,
} from '@otklik/contracts';
import { demoOrganization } from '@otklik/demo';
import { parseKeyring, SecretBox } from '@otklik/secrets';
import { loadServiceConfig, runService } from '@otklik/service-kit';
import {
  FakeTelegramApi,
  FakeVkApi,
  startFakeTelegramApi,
  startFakeVkApi,
  testNatsUrl,
  testServerUrl,
  waitFor,
} from '@otklik/testing';
import { AppModule } from '../src/app.module';
import { demoUser, NotifyUnderTest } from './notify.harness';

// Medium test: the real notify app (PostgreSQL as the app role under row-level security,
// JetStream) publishing approved answers through local servers that speak VK's and Telegram's
// APIs, pointed at by VK_API_URL and TELEGRAM_API_URL; a second replica on the same database.

const KALMANSKY = demoOrganization('kalmansky').id;
const HOUSING = demoOrganization('kalmansky.housing').id;
const official = demoUser('official');

const VK_TOKEN = 'vk-community-token';
const REVOKED_TOKEN = 'vk-revoked-token';
const TG_TOKEN = '123456:test-telegram-token';

interface PublicationRow {
  id: string;
  status: string;
  attempts: number;
  last_error: string | null;
  platform_error: string | null;
  external_id: string | null;
  url: string | null;
  lease_token: string | null;
}

describe('publishing approved answers: once, where the citizen wrote, the outcome reported (Step 5)', () => {
  let notify: NotifyUnderTest;
  let replica: INestApplication;
  let vk: FakeVkApi;
  let telegram: FakeTelegramApi;
  const keys = `test:${randomBytes(32).toString('base64')}`;
  const box = new SecretBox(parseKeyring(keys));
  const saved: Record<string, string | undefined> = {};
  let version = 1;

  /** intake's source.changed for a source of kalmansky, its credentials sealed as intake seals them. */
  const announceSource = async (
    sourceId: string,
    source: Partial<SourceChangedV1> & { credentials?: Record<string, string> },
  ) => {
    const { credentials, ...rest } = source;
    const { seq } = await notify.publish(SourceChanged, KALMANSKY, {
      sourceId,
      organizationId: KALMANSKY,
      platform: 'VK',
      kind: 'VK_CALLBACK',
      name: `Источник ${sourceId}`,
      enabled: true,
      settings: { groupId: 1 },
      ...(credentials
        ? {
            credentialsCiphertext: box.seal(JSON.stringify(credentials), sourceCredentialsContext(sourceId)),
          }
        : {}),
      credentialNames: Object.keys(credentials ?? {}),
      version: version++,
      changedAt: new Date().toISOString(),
      ...rest,
    });
    await notify.handledUpTo('source-changed', seq);
  };

  /** workflow's publication.requested of an answer to a VK comment (`wall-1_<post>_r<comment>`), housing's case. */
  const request = (data: Partial<PublicationRequestedV1> = {}): PublicationRequestedV1 => ({
    publicationId: randomUUID(),
    caseId: randomUUID(),
    draftId: randomUUID(),
    kind: 'FINAL',
    messageId: randomUUID(),
    sourceId: 'src-vk',
    platform: 'VK',
    externalId: 'wall-1_5_r7',
    threadId: 'wall-1_5',
    url: 'https://vk.com/wall-1_5?reply=7',
    authorId: '42',
    text: 'Воду дали в 14:00. Спасибо, что сообщили.',
    attachments: [],
    organizationPath: [HOUSING, KALMANSKY],
    ...data,
  });

  const rowOf = async (id: string): Promise<PublicationRow | undefined> =>
    (await notify.sql<PublicationRow>('select * from notify.publications where id = $1', [id]))[0];

  const until = (id: string, status: string, timeoutMs = 15_000): Promise<PublicationRow> =>
    waitFor(
      `publication ${id} to be ${status}`,
      async () => {
        const row = await rowOf(id);
        return row?.status === status ? row : undefined;
      },
      timeoutMs,
    );

  const completions = async (publicationId: string): Promise<PublicationCompletedV1[]> =>
    (await notify.events(PublicationCompleted, HOUSING))
      .map((e) => e.data)
      .filter((d) => d.publicationId === publicationId);

  const commentsWithGuid = (guid: string) => vk.comments.filter((c) => c.guid === guid);
  const callsWithGuid = (guid: string) => vk.callsOf('wall.createComment').filter((c) => c.params.guid === guid);

  beforeAll(async () => {
    vk = await startFakeVkApi({ groupId: 1, communityTokens: [VK_TOKEN, REVOKED_TOKEN] });
    telegram = await startFakeTelegramApi({
      token: TG_TOKEN,
      chats: [{ id: -100500, type: 'supergroup', username: 'kalmansky_chat', title: 'Калманский район' }],
    });
    // The settings are read from the environment as the app starts (PublishingModule).
    for (const name of ['VK_API_URL', 'TELEGRAM_API_URL', 'OTKLIK_SECRET_KEYS']) saved[name] = process.env[name];
    process.env.VK_API_URL = vk.url;
    process.env.TELEGRAM_API_URL = telegram.url;
    process.env.OTKLIK_SECRET_KEYS = keys;

    notify = await NotifyUnderTest.start('notify_publishing');
    // A second replica on the same database and events prefix: the same durable consumers, its own worker.
    const [{ name }] = await notify.sql<{ name: string }>('select current_database() as name');
    const url = new URL(testServerUrl());
    url.pathname = `/${name}`;
    const config = loadServiceConfig('notify', {
      DATABASE_URL: url.toString(),
      NATS_URL: testNatsUrl(),
      EVENTS_PREFIX: notify.prefix,
      NOTIFY_PORT: '0',
    });
    const logger = pino({ level: process.env.TEST_LOG === '1' ? 'debug' : 'silent' });
    replica = (await runService(AppModule.forConfig(config, logger), { config, logger })) as INestApplication;
    expect((replica.getHttpServer() as Server).listening).toBe(true);

    const { seq } = await notify.appoint(official, KALMANSKY, 'OFFICIAL');
    await notify.handledUpTo('staff-projection', seq);
    await announceSource('src-vk', { credentials: { accessToken: VK_TOKEN } });
    await announceSource('src-vk-revoked', { credentials: { accessToken: REVOKED_TOKEN } });
    await announceSource('src-tg', {
      platform: 'TELEGRAM',
      kind: 'TELEGRAM_BOT',
      settings: {},
      credentials: { botToken: TG_TOKEN },
    });
    vk.revoke(REVOKED_TOKEN);
  });

  afterAll(async () => {
    await replica?.close();
    await notify?.stop();
    await vk?.close();
    await telegram?.close();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('source.changed: the credentials arrive sealed and stay sealed; an older version never overwrites a newer one', async () => {
    await announceSource('src-order', { enabled: true, version: 1000, credentials: { accessToken: 'new' } });
    await announceSource('src-order', { enabled: false, version: 999, credentials: { accessToken: 'old' } });
    const [row] = await notify.sql<{ enabled: boolean; version: string; credentials_ciphertext: string }>(
      "select enabled, version, credentials_ciphertext from notify.publishing_sources where id = 'src-order'",
    );
    expect(row).toMatchObject({ enabled: true, version: '1000' });
    expect(row.credentials_ciphertext).not.toContain('new');
    expect(box.open(row.credentials_ciphertext, sourceCredentialsContext('src-order'))).toBe('{"accessToken":"new"}');
  });

  it('a VK answer goes under the citizen’s comment once, though the request came twice and two replicas work', async () => {
    const requests = Array.from({ length: 6 }, (_, i) => request({ externalId: `wall-1_5_r${10 + i}` }));
    for (const r of requests) {
      await notify.publish(PublicationRequested, HOUSING, r);
      // Redelivered under a new event id (past JetStream's de-duplication and the inbox): the same publication.
      await notify.publish(PublicationRequested, HOUSING, r);
    }
    for (const r of requests) {
      const row = await until(r.publicationId, 'PUBLISHED');
      const [comment] = commentsWithGuid(r.publicationId);
      expect(callsWithGuid(r.publicationId)).toHaveLength(1);
      expect(commentsWithGuid(r.publicationId)).toHaveLength(1);
      expect(comment).toMatchObject({
        ownerId: -1,
        parentId: 5,
        replyTo: Number(r.externalId.split('_r')[1]),
        fromGroup: '1',
        message: r.text,
      });
      expect(row).toMatchObject({ attempts: 1, external_id: `wall-1_5_r${comment.id}`, lease_token: null });
      expect(row.url).toContain(`wall-1_5?reply=${comment.id}`);
      const reported = await waitFor('the outcome reported', async () => {
        const found = await completions(r.publicationId);
        return found.length > 0 ? found : undefined;
      });
      expect(reported).toEqual([
        expect.objectContaining({ caseId: r.caseId, status: 'PUBLISHED', url: row.url, attempts: 1 }),
      ]);
    }
    const stored = await notify.sql<{ n: string }>(
      'select count(*) as n from notify.publications where id = any($1::uuid[])',
      [requests.map((r) => r.publicationId)],
    );
    expect(Number(stored[0].n)).toBe(requests.length);
    // The calls were paced through the source's slot, shared by both replicas.
    expect(await notify.sql("select 1 from notify.publishing_pace where key = 'source:src-vk'")).toHaveLength(1);
  });

  it('VK error 6 (too many requests) then success: PUBLISHED after a retry with the same guid', async () => {
    vk.failNext('wall.createComment', 6);
    const r = request({ externalId: 'wall-1_5_r30' });
    await notify.publish(PublicationRequested, HOUSING, r);
    const row = await until(r.publicationId, 'PUBLISHED', 20_000);
    expect(row.attempts).toBe(2);
    expect(callsWithGuid(r.publicationId).map((c) => c.error?.error_code ?? 'ok')).toEqual([6, 'ok']);
    expect(commentsWithGuid(r.publicationId)).toHaveLength(1);
  });

  it('a revoked token: FAILED at once with the reason in words, and the officials are told', async () => {
    const r = request({ sourceId: 'src-vk-revoked', externalId: 'wall-1_5_r40' });
    await notify.publish(PublicationRequested, HOUSING, r);
    const row = await until(r.publicationId, 'FAILED');
    expect(row.attempts).toBe(1);
    expect(row.last_error).toMatch(/Ключ доступа сообщества ВКонтакте отозван или неверен/);
    expect(row.platform_error).toContain('5');
    const [reported] = await waitFor('the failure reported', async () => {
      const found = await completions(r.publicationId);
      return found.length > 0 ? found : undefined;
    });
    expect(reported).toMatchObject({ status: 'FAILED', error: row.last_error, organizationPath: [HOUSING, KALMANSKY] });
    // Nobody holds OFFICIAL in housing: the nearest officials up the path, the district's, are told.
    const [told] = await waitFor('the official’s notification', async () => {
      const found = await notify.sql<{ user_id: string; kind: string; text: string; organization_id: string }>(
        'select user_id, kind, text, organization_id from notify.notifications where case_id = $1',
        [r.caseId],
      );
      return found.length > 0 ? found : undefined;
    });
    expect(told).toMatchObject({ user_id: official.id, kind: 'PUBLICATION_FAILED', organization_id: KALMANSKY });
    expect(told.text).toBe(
      `Ответ по обращению не опубликован: ${row.last_error}. Повторите публикацию или опубликуйте ответ вручную и укажите ссылку`,
    );
  });

  it('a replica that stopped mid-call (its lease ran out): retried with the same guid, and VK posts nothing twice', async () => {
    const r = request({ externalId: 'wall-1_5_r50' });
    // The stopped replica's call reached VK: the comment stands, but nothing was recorded.
    const first = await fetch(`${vk.url}/wall.createComment`, {
      method: 'POST',
      body: new URLSearchParams({
        access_token: VK_TOKEN,
        v: '5.199',
        owner_id: '-1',
        post_id: '5',
        from_group: '1',
        reply_to_comment: '50',
        message: r.text,
        guid: r.publicationId,
      }),
    });
    const posted = ((await first.json()) as { response: { comment_id: number } }).response.comment_id;
    await notify.sql(
      `insert into notify.publications (id, organization_id, organization_path, case_id, draft_id, kind, message_id,
         source_id, platform, target, text, attachments, status, attempts, next_attempt_at, lease_until, lease_token,
         correlation_id, requested_at)
       values ($1, $2, $3, $4, $5, 'FINAL', $6, 'src-vk', 'VK', $7, $8, '[]', 'SENDING', 1,
         now() - interval '3 minutes', now() - interval '1 minute', $9, 'test-crash', now() - interval '3 minutes')`,
      [
        r.publicationId,
        HOUSING,
        [HOUSING, KALMANSKY],
        r.caseId,
        r.draftId,
        r.messageId,
        JSON.stringify({ externalId: r.externalId }),
        r.text,
        randomUUID(),
      ],
    );
    const row = await until(r.publicationId, 'PUBLISHED');
    expect(row).toMatchObject({ attempts: 2, external_id: `wall-1_5_r${posted}` });
    expect(callsWithGuid(r.publicationId)).toHaveLength(2);
    expect(commentsWithGuid(r.publicationId)).toHaveLength(1);
  });

  it('a Telegram answer is a reply to the citizen’s message in its chat, with the message’s public link', async () => {
    const r = request({ sourceId: 'src-tg', platform: 'TELEGRAM', externalId: '-100500_77', threadId: undefined });
    await notify.publish(PublicationRequested, HOUSING, r);
    const row = await until(r.publicationId, 'PUBLISHED');
    const calls = telegram.callsOf('sendMessage');
    expect(calls).toHaveLength(1);
    expect(calls[0].params).toMatchObject({
      chat_id: '-100500',
      text: r.text,
      reply_parameters: expect.objectContaining({ message_id: 77 }),
    });
    const [sent] = telegram.sent;
    expect(row).toMatchObject({ external_id: expect.stringContaining(String(sent.message_id)) });
    expect(row.url).toBe(`https://t.me/kalmansky_chat/${sent.message_id}`);
  });

  it('where there is no API (a website, an unknown source, a source without a key): MANUAL at once, nothing called', async () => {
    await announceSource('src-vk-nokey', {});
    const cases = [
      request({ sourceId: 'site', platform: 'WEBSITE', externalId: 'page-1' }),
      request({ sourceId: 'src-unknown', externalId: 'wall-1_5_r60' }),
      request({ sourceId: 'src-vk-nokey', externalId: 'wall-1_5_r61' }),
    ];
    const callsBefore = vk.calls.length;
    for (const r of cases) await notify.publish(PublicationRequested, HOUSING, r);
    const reasons: string[] = [];
    for (const r of cases) {
      const row = await until(r.publicationId, 'MANUAL');
      expect(row.attempts).toBe(0);
      const [reported] = await waitFor('the MANUAL outcome reported', async () => {
        const found = await completions(r.publicationId);
        return found.length > 0 ? found : undefined;
      });
      expect(reported).toMatchObject({ status: 'MANUAL', error: row.last_error, attempts: 0 });
      reasons.push(row.last_error ?? '');
    }
    expect(reasons[0]).toMatch(/нет API для ответов/);
    expect(reasons[1]).toMatch(/не знает источник «src-unknown»/);
    expect(reasons[2]).toMatch(/не задан ключ доступа/);
    expect(vk.calls.length).toBe(callsBefore);
  });
});
