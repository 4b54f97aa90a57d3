import { randomUUID } from 'node:crypto';
import { AddressInfo, createServer, Socket, connect as tcpConnect } from 'node:net';
import type { Viewer } from '@otklik/auth';
import { CORRELATION_HEADER } from '@otklik/contracts';
import { assessCriticality } from '@otklik/criticality';
import { demoOrganization } from '@otklik/demo';
import { DEVELOPMENT_KEYRING, SecretBox } from '@otklik/secrets';
import { createTestDatabase, OwnNatsServer, testEventsPrefix, testNatsUrl, waitFor } from '@otklik/testing';
import { credentialsContext, secretContext } from '../src/sources/source.secrets';
import {
  bootIntake,
  deleteStreams,
  EVERY_ORGANIZATION,
  IntakeEvents,
  IntakeUnderTest,
  ownerQuery,
  postGenericWebhook as postWebhook,
  staffViewer,
} from './intake.harness';

// Medium (STYLE.md §13): the real intake app on a fresh database with the demo seed, the real
// NATS, over real HTTP. Each clause of CONTRACT.md "Generic webhook" is one test.

const KALMANSKY = demoOrganization('kalmansky').id;
const BURANOVSKY = demoOrganization('buranovsky').id;
const MiB = 1024 * 1024;

const message = (overrides: Record<string, unknown> = {}) => ({
  externalId: `post-${randomUUID()}`,
  url: 'https://vk.com/wall-1_123?reply=9',
  platform: 'VK',
  text: 'Третий день нет воды на ул. Ленина в Калманке, когда дадут?',
  postedAt: '2026-11-27T08:15:00+07:00',
  author: { id: 'id42', name: 'Иван Петров', url: 'https://vk.com/id42' },
  threadId: 'post-123',
  attachments: [{ type: 'PHOTO', url: 'https://sun9-1.userapi.com/photo.jpg' }],
  ...overrides,
});

describe('intake: the generic webhook of CONTRACT.md, over HTTP, on the real PostgreSQL and NATS', () => {
  let intake: IntakeUnderTest;

  const storedWith = (externalId: string) =>
    intake.sql<{ id: string; organization_id: string; raw: unknown; correlation_id: string; platform: string }>(
      'select id, organization_id, raw, correlation_id, platform from intake.messages where external_id = $1',
      [externalId],
    );

  beforeAll(async () => {
    intake = await IntakeUnderTest.start('intake');
    // Two sources beside the demo ones: one that requires timestamps, one switched off. Stored
    // as intake stores secrets: sealed, here with the development key the app runs on.
    await intake.insertSource({
      id: 'strict-webhook',
      organizationId: KALMANSKY,
      platform: 'WEBSITE',
      kind: 'GENERIC_WEBHOOK',
      name: 'strict',
      secret: 'strict-secret',
      requireTimestamp: true,
    });
    await intake.insertSource({
      id: 'retired-webhook',
      organizationId: KALMANSKY,
      platform: 'OTHER',
      kind: 'GENERIC_WEBHOOK',
      name: 'retired',
      secret: 'retired-secret',
      enabled: false,
    });
  }, 60_000);

  afterAll(async () => {
    await intake?.stop();
  });

  it('the demo seed put the demo sources of CONTRACT.md in place, their secrets and tokens sealed', async () => {
    const rows = await intake.sql<{
      id: string;
      organization_id: string;
      kind: string;
      secret_ciphertext: string;
      credentials_ciphertext: string | null;
    }>(
      `select id, organization_id, kind, secret_ciphertext, credentials_ciphertext
         from intake.sources where id like 'demo-%' order by id`,
    );
    const box = new SecretBox(DEVELOPMENT_KEYRING);
    const opened = rows.map((r) => ({
      id: r.id,
      organization_id: r.organization_id,
      kind: r.kind,
      secret: box.open(r.secret_ciphertext, secretContext(r.id)),
      credentials: r.credentials_ciphertext
        ? (JSON.parse(box.open(r.credentials_ciphertext, credentialsContext(r.id))) as unknown)
        : {},
    }));
    expect(opened).toEqual([
      {
        id: 'demo-telegram',
        organization_id: KALMANSKY,
        kind: 'TELEGRAM_BOT',
        secret: 'demo-tg-secret',
        credentials: { botToken: '123456:demo-telegram-token' },
      },
      {
        id: 'demo-vk',
        organization_id: KALMANSKY,
        kind: 'VK_CALLBACK',
        secret: 'demo-vk-secret',
        credentials: { accessToken: 'demo-vk-token' },
      },
      {
        id: 'demo-webhook',
        organization_id: KALMANSKY,
        kind: 'GENERIC_WEBHOOK',
        secret: 'demo-secret',
        credentials: {},
      },
    ]);
  });

  it('a valid signed message: 202 { messageId, duplicate: false }, stored, and MessageAccepted on NATS with the sender’s correlation id', async () => {
    const body = message();
    const correlationId = `it-${randomUUID()}`;
    const response = await postWebhook(intake, body, { correlationId });
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ messageId: expect.stringMatching(/^[0-9a-f-]{36}$/), duplicate: false });
    expect(response.headers.get(CORRELATION_HEADER)).toBe(correlationId);
    const messageId = response.body.messageId as string;

    expect(await storedWith(body.externalId)).toEqual([
      { id: messageId, organization_id: KALMANSKY, raw: body, correlation_id: correlationId, platform: 'VK' },
    ]);

    const event = await intake.events.accepted(messageId);
    expect(event.subject).toBe(`${intake.prefix}.${KALMANSKY}.message.accepted.v1`);
    expect(event.correlationHeader).toBe(correlationId);
    expect(event.envelope).toMatchObject({
      type: 'message.accepted',
      version: 1,
      organizationId: KALMANSKY,
      correlationId,
    });
    expect(event.envelope.data).toEqual({
      messageId,
      sourceId: 'demo-webhook',
      platform: 'VK',
      externalId: body.externalId,
      url: body.url,
      text: body.text,
      postedAt: '2026-11-27T01:15:00.000Z',
      receivedAt: expect.any(String),
      author: body.author,
      threadId: 'post-123',
      attachments: body.attachments,
      // Decent criticism: screening (cl. 11) found nothing to exclude.
      screening: { reasons: [] },
      // A complaint: criticality (cl. 1) finds it critical, and workflow opens its case.
      criticality: { critical: true },
    });
  });

  it('only externalId, text and postedAt are required; the platform defaults to the source’s', async () => {
    const body = { externalId: `min-${randomUUID()}`, text: 'Яма на дороге у школы', postedAt: '2026-11-27T02:00:00Z' };
    const response = await postWebhook(intake, body);
    expect(response.status).toBe(202);
    const event = await intake.events.accepted(response.body.messageId as string);
    expect(event.envelope.data).toMatchObject({ platform: 'OTHER', attachments: [] });
    // Without a correlation id from the sender, intake makes one and answers with it.
    expect(event.correlationHeader).toBe(response.headers.get(CORRELATION_HEADER));
  });

  it('the same externalId again: 202 duplicate: true with the stored id; one row and one event', async () => {
    const body = message();
    const first = await postWebhook(intake, body);
    const again = await postWebhook(intake, { ...body, text: 'the sender retried with another text' });
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ messageId: first.body.messageId, duplicate: true });
    expect(await storedWith(body.externalId)).toHaveLength(1);
    // The relay publishes in commit order: once a later message's event is out, a second
    // event of the duplicate would have been too.
    const marker = await postWebhook(intake, message());
    await intake.events.accepted(marker.body.messageId as string);
    expect(intake.events.of(first.body.messageId as string)).toHaveLength(1);
  });

  it('the same message sent five times at once is stored once: one new, four duplicates, one id', async () => {
    const body = message();
    const answers = await Promise.all(Array.from({ length: 5 }, () => postWebhook(intake, body)));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202]);
    expect(answers.filter((a) => a.body.duplicate === false)).toHaveLength(1);
    expect(new Set(answers.map((a) => a.body.messageId)).size).toBe(1);
    expect(await storedWith(body.externalId)).toHaveLength(1);
  });

  it('malformed JSON: 400 "malformed JSON: …" with the problem', async () => {
    const response = await postWebhook(intake, '{"externalId": "x", "text": ');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: expect.stringMatching(/^malformed JSON: /),
      problems: [expect.stringMatching(/^body: /)],
    });
  });

  it('missing fields: 400 listing externalId, text and postedAt', async () => {
    const response = await postWebhook(intake, { url: 'https://vk.com/wall-1_1' });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: 'invalid message',
      problems: ['externalId: is required', 'text: is required', 'postedAt: is required'],
    });
  });

  it('every problem is listed at once, nested ones with their path', async () => {
    const response = await postWebhook(
      intake,
      message({
        postedAt: 'yesterday',
        author: { url: 'vk.com/id42' },
        attachments: [{ type: 'GIF', url: 'https://x.example/a.gif' }],
      }),
    );
    expect(response.status).toBe(400);
    expect(response.body.problems).toEqual([
      'postedAt: must be ISO 8601 with a time zone offset, e.g. 2026-11-27T08:15:00+07:00',
      'author.url: must be an http(s) URL',
      'attachments[0].type: must be one of PHOTO, VIDEO, DOCUMENT, LINK, AUDIO',
    ]);
  });

  it('what PostgreSQL cannot store (U+0000) is a 400 naming the field, not a 500', async () => {
    const response = await postWebhook(intake, message({ text: 'a\u0000b' }));
    expect(response.status).toBe(400);
    expect(response.body.problems).toEqual([expect.stringMatching(/^text: must not contain U\+0000/)]);
  });

  it('a wrong signature: 401, and nothing is stored', async () => {
    const body = message();
    const response = await postWebhook(intake, body, { secret: 'not-the-secret' });
    expect(response.status).toBe(401);
    expect(response.body.error).toMatch(/does not match/);
    expect(await storedWith(body.externalId)).toEqual([]);
  });

  it('a missing signature: 401', async () => {
    const response = await postWebhook(intake, message(), { signature: null });
    expect(response.status).toBe(401);
    expect(response.body.error).toMatch(/missing X-Otklik-Signature/);
  });

  it('an unknown source: 404; a disabled one: 404', async () => {
    const unknown = await postWebhook(intake, message(), { source: 'no-such-source' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: 'no source "no-such-source"' });
    const retired = await postWebhook(intake, message(), { source: 'retired-webhook', secret: 'retired-secret' });
    expect(retired.status).toBe(404);
    expect(retired.body.error).toMatch(/disabled/);
  });

  it('a body of 1 MiB + 1 byte: 413 { error }; exactly 1 MiB is within the limit', async () => {
    const base = JSON.stringify(message({ padding: '' }));
    const exactly = base.replace('"padding":""', `"padding":"${'x'.repeat(MiB - Buffer.byteLength(base))}"`);
    expect(Buffer.byteLength(exactly)).toBe(MiB);
    const within = await postWebhook(intake, exactly);
    expect(within.status).toBe(202);

    const over = exactly.replace('"padding":"', '"padding":"x');
    const tooLarge = await postWebhook(intake, over);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body).toEqual({ error: 'body larger than 1 MiB' });
    expect(tooLarge.headers.get(CORRELATION_HEADER)).toBeTruthy();
  });

  it('an oversized body to an unknown source is still 404 (the source is checked first)', async () => {
    const response = await postWebhook(intake, 'x'.repeat(MiB + 1), { source: 'no-such-source' });
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error: 'no source "no-such-source"' });
  });

  it('whatever is refused under /webhooks answers JSON { error }, with the correlation id', async () => {
    const broken = await fetch(`${intake.url}/webhooks/generic/demo-webhook`, {
      method: 'POST',
      headers: { 'content-encoding': 'gzip', [CORRELATION_HEADER]: 'broken-gzip' },
      body: 'this is not gzip',
    });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toEqual({ error: expect.any(String) });
    expect(broken.headers.get(CORRELATION_HEADER)).toBe('broken-gzip');
    const noRoute = await fetch(`${intake.url}/webhooks/generic/demo-webhook`);
    expect(noRoute.status).toBe(404);
    expect(await noRoute.json()).toEqual({ error: 'the generic webhook takes POST, not GET' });
  });

  it('with X-Otklik-Timestamp the signature covers <timestamp>.<body>: a fresh one is accepted', async () => {
    const response = await postWebhook(intake, message(), { timestamp: Math.floor(Date.now() / 1000) });
    expect(response.status).toBe(202);
  });

  it('a timestamp more than 5 minutes old: 401, refused as a replay', async () => {
    const body = message();
    const response = await postWebhook(intake, body, { timestamp: Math.floor(Date.now() / 1000) - 301 - 5 });
    expect(response.status).toBe(401);
    expect(response.body.error).toMatch(/replay/);
    expect(await storedWith(body.externalId)).toEqual([]);
  });

  it('a source set to require the timestamp refuses a request without it (401) and takes one with it', async () => {
    const without = await postWebhook(intake, message(), { source: 'strict-webhook', secret: 'strict-secret' });
    expect(without.status).toBe(401);
    expect(without.body.error).toMatch(/requires X-Otklik-Timestamp/);
    const withIt = await postWebhook(intake, message(), {
      source: 'strict-webhook',
      secret: 'strict-secret',
      timestamp: Math.floor(Date.now() / 1000),
    });
    expect(withIt.status).toBe(202);
  });

  describe('GraphQL: Message is an entity owned by intake', () => {
    const districtOfficial = staffViewer('official', 'OFFICIAL', KALMANSKY, EVERY_ORGANIZATION);
    const villageOfficial = staffViewer('buranovsky.official', 'OFFICIAL', BURANOVSKY);

    const graphql = (as: Viewer, query: string, variables: Record<string, unknown>) =>
      intake.graphql(query, variables, as);
    const ENTITIES = `query ($representations: [_Any!]!) {
      _entities(representations: $representations) {
        ... on Message { id platform url text postedAt receivedAt threadId author { id name url } attachments { type url } }
      }
    }`;
    const refs = (...ids: string[]) => ({ representations: ids.map((id) => ({ __typename: 'Message', id })) });

    let a: string;
    let b: string;
    beforeAll(async () => {
      a = (await postWebhook(intake, message({ text: 'first' }))).body.messageId as string;
      b = (
        await postWebhook(
          intake,
          message({ text: 'second', author: undefined, url: undefined, attachments: undefined }),
        )
      ).body.messageId as string;
    });

    it('_entities for two messages in one request returns both, in the order asked', async () => {
      const forward = await graphql(districtOfficial, ENTITIES, refs(a, b));
      expect(forward.errors).toBeUndefined();
      expect(forward.data?._entities).toEqual([
        {
          id: a,
          platform: 'VK',
          url: 'https://vk.com/wall-1_123?reply=9',
          text: 'first',
          postedAt: '2026-11-27T01:15:00.000Z',
          receivedAt: expect.any(String),
          threadId: 'post-123',
          author: { id: 'id42', name: 'Иван Петров', url: 'https://vk.com/id42' },
          attachments: [{ type: 'PHOTO', url: 'https://sun9-1.userapi.com/photo.jpg' }],
        },
        expect.objectContaining({ id: b, text: 'second', url: null, author: null, attachments: [] }),
      ]);
      const backward = await graphql(districtOfficial, ENTITIES, refs(b, a));
      expect((backward.data?._entities as Array<{ id: string }>).map((m) => m.id)).toEqual([b, a]);
    });

    it('a message that does not exist resolves to null beside those that do', async () => {
      const result = await graphql(districtOfficial, ENTITIES, refs(a, randomUUID(), 'not-a-uuid'));
      expect(result.errors).toBeUndefined();
      expect((result.data?._entities as Array<{ id: string } | null>).map((m) => m?.id ?? null)).toEqual([
        a,
        null,
        null,
      ]);
    });

    it('a viewer of another organisation gets null: row-level security hides the district’s messages', async () => {
      const result = await graphql(villageOfficial, ENTITIES, refs(a, b));
      expect(result.errors).toBeUndefined();
      expect(result.data?._entities).toEqual([null, null]);
    });

    it('message(id) answers the same, to any viewer who may see it', async () => {
      const query = 'query ($id: ID!) { message(id: $id) { id text } }';
      expect((await graphql(districtOfficial, query, { id: a })).data).toEqual({ message: { id: a, text: 'first' } });
      expect((await graphql(villageOfficial, query, { id: a })).data).toEqual({ message: null });
    });

    it('screening (cl. 11): a message is screened when it arrives, and its verdict shows with its evidence', async () => {
      const rude = (await postWebhook(intake, message({ text: 'Вы там все идиоты, я тебя убью' }))).body
        .messageId as string;
      const query = 'query ($id: ID!) { message(id: $id) { screening { excluded reasons evidence } } }';
      expect((await graphql(districtOfficial, query, { id: rude })).data).toEqual({
        message: { screening: { excluded: true, reasons: ['THREAT', 'INSULT'], evidence: ['идиоты', 'тебя убью'] } },
      });
      const stored = await intake.sql<{ screening: unknown }>('select screening from intake.messages where id = $1', [
        rude,
      ]);
      expect(stored[0].screening).toMatchObject({ excluded: true });
      // Sharp but decent criticism is what the regulation wants answered: nothing to exclude.
      expect((await graphql(districtOfficial, query, { id: a })).data).toEqual({
        message: { screening: { excluded: false, reasons: [], evidence: [] } },
      });
    });

    it('criticality (cl. 1): a message is assessed when it arrives; the verdict is stored, announced and shown with its signals', async () => {
      const thanks = (await postWebhook(intake, message({ text: 'Спасибо большое за праздник, молодцы!' }))).body
        .messageId as string;
      const query =
        'query ($id: ID!) { message(id: $id) { criticality { critical score signals { kind evidence } } } }';
      const praise = {
        critical: false,
        score: -6,
        signals: [
          { kind: 'PRAISE', evidence: 'Спасибо' },
          { kind: 'PRAISE', evidence: 'молодцы' },
        ],
      };
      expect((await graphql(districtOfficial, query, { id: thanks })).data).toEqual({
        message: { criticality: praise },
      });
      const stored = await intake.sql<{ criticality: unknown }>(
        'select criticality from intake.messages where id = $1',
        [thanks],
      );
      expect(stored[0].criticality).toEqual(praise);
      expect((await intake.events.accepted(thanks)).envelope.data.criticality).toEqual({ critical: false });
      // A message stored before criticality existed is assessed as it is read.
      await intake.sql('update intake.messages set criticality = null where id = $1', [thanks]);
      expect((await graphql(districtOfficial, query, { id: thanks })).data).toEqual({
        message: { criticality: praise },
      });
    });

    describe('registerMessage (cl. 2): an official registers a message seen anywhere, with its link and a screenshot', () => {
      const REGISTER = `mutation ($input: RegisterMessageInput!) {
        registerMessage(input: $input) { id platform url text author { name url } attachments { type url } screening { excluded } }
      }`;
      const input = (overrides: Record<string, unknown> = {}) => ({
        organizationId: KALMANSKY,
        platform: 'OTHER',
        text: 'На сайте района пишут: во дворе дома 5 третий день не вывозят мусор',
        url: `https://kalmanka.example/forum/${randomUUID()}`,
        authorName: 'Гость форума',
        screenshotUrl: 'https://files.example/screenshot.png',
        ...overrides,
      });

      it('is stored, screened and announced through the organisation’s MANUAL source; the same link again is the same message', async () => {
        const given = input();
        const first = await graphql(districtOfficial, REGISTER, { input: given });
        expect(first.errors).toBeUndefined();
        const message = (first.data as { registerMessage: Record<string, unknown> }).registerMessage;
        expect(message).toMatchObject({
          platform: 'OTHER',
          url: given.url,
          text: given.text,
          author: { name: 'Гость форума', url: null },
          attachments: [{ type: 'PHOTO', url: 'https://files.example/screenshot.png' }],
          screening: { excluded: false },
        });
        const again = await graphql(districtOfficial, REGISTER, { input: given });
        expect((again.data as { registerMessage: { id: string } }).registerMessage.id).toBe(message.id);
        const rows = await intake.sql<{ source_id: string; kind: string; raw: { registeredBy: string } }>(
          `select m.source_id, s.kind, m.raw from intake.messages m join intake.sources s on s.id = m.source_id where m.id = $1`,
          [message.id],
        );
        expect(rows).toEqual([
          {
            source_id: `manual-${KALMANSKY}`,
            kind: 'MANUAL',
            raw: expect.objectContaining({ registeredBy: 'official' }),
          },
        ]);
        // A MANUAL source takes no webhook.
        expect((await postWebhook(intake, message, { source: `manual-${KALMANSKY}` })).status).toBe(404);
      });

      it('is critical whatever its words say: the official registered it because it needs an answer', async () => {
        const query = `mutation ($input: RegisterMessageInput!) {
          registerMessage(input: $input) { criticality { critical decidedBy } }
        }`;
        const praise = await graphql(districtOfficial, query, {
          input: input({ text: 'Спасибо за новую детскую площадку!' }),
        });
        expect(praise.data).toEqual({
          registerMessage: { criticality: { critical: true, decidedBy: 'registered by official' } },
        });
        // The same words through a platform are not critical: the decision above is the official's.
        expect(assessCriticality('Спасибо за новую детскую площадку!').critical).toBe(false);
      });

      it('refuses what is wrong, naming it; another organisation is NOT_FOUND; a role that may not is FORBIDDEN', async () => {
        const codeOf = async (as: Viewer, overrides: Record<string, unknown>) => {
          const answer = await graphql(as, REGISTER, { input: input(overrides) });
          const error = (answer.errors as Array<{ message: string; extensions: { code: string } }> | undefined)?.[0];
          return error ? `${error.extensions.code}: ${error.message}` : 'OK';
        };
        expect(await codeOf(districtOfficial, { url: 'javascript:alert(1)' })).toBe(
          'BAD_USER_INPUT: url must be an http(s) address',
        );
        expect(await codeOf(districtOfficial, { text: '   ' })).toBe(
          'BAD_USER_INPUT: text is required: the message as its author wrote it',
        );
        expect(await codeOf(districtOfficial, { postedAt: '2099-01-01T00:00:00.000Z' })).toBe(
          'BAD_USER_INPUT: postedAt 2099-01-01T00:00:00.000Z is in the future',
        );
        expect(await codeOf(villageOfficial, {})).toBe(
          `NOT_FOUND: organisation ${KALMANSKY} is not among those you may see`,
        );
        const executor = {
          ...districtOfficial,
          login: 'executor',
          roles: [{ organizationId: KALMANSKY, role: 'EXECUTOR' as const }],
        };
        expect(await codeOf(executor, {})).toMatch(/^FORBIDDEN: /);
      });
    });

    it('screenText answers any viewer what screening finds in a text; an oversized text is BAD_USER_INPUT', async () => {
      const query = 'query ($text: String!) { screenText(text: $text) { excluded reasons evidence } }';
      expect((await graphql(villageOfficial, query, { text: 'Позор, третий месяц без воды!' })).data).toEqual({
        screenText: { excluded: false, reasons: [], evidence: [] },
      });
      expect((await graphql(villageOfficial, query, { text: 'Ну вы и б.л.я.д.и' })).data).toMatchObject({
        screenText: { excluded: true, reasons: expect.arrayContaining(['OBSCENE']) },
      });
      const tooLong = await graphql(villageOfficial, query, { text: 'а'.repeat(20_001) });
      expect(tooLong.errors).toEqual([
        expect.objectContaining({
          message: 'text is 20001 characters; screenText takes at most 20000',
          extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
        }),
      ]);
    });
  });
});

/**
 * A TCP relay between the app and PostgreSQL, so a test can take the database away from one app
 * instance and give it back. (ALTER DATABASE … CONNECTION LIMIT 0 does not bind the superuser
 * the pool logs in as, and ALLOW_CONNECTIONS false is a different error than an outage.)
 */
class DatabaseLink {
  private readonly sockets = new Set<Socket>();
  private mode: 'up' | 'silent' = 'up';
  private readonly server = createServer((client) => this.accept(client));

  private constructor(private readonly target: { host: string; port: number }) {}

  static async open(databaseUrl: string): Promise<DatabaseLink> {
    const parsed = new URL(databaseUrl);
    const link = new DatabaseLink({ host: parsed.hostname, port: Number(parsed.port || 5432) });
    await new Promise<void>((resolve) => link.server.listen(0, '127.0.0.1', resolve));
    return link;
  }

  /** The same database, reached through this link. */
  urlFor(databaseUrl: string): string {
    const parsed = new URL(databaseUrl);
    parsed.hostname = '127.0.0.1';
    parsed.port = String((this.server.address() as AddressInfo).port);
    return parsed.toString();
  }

  /** Cuts every open connection; new ones are accepted and then never answered (a network black hole). */
  goSilent(): void {
    this.mode = 'silent';
    for (const socket of this.sockets) socket.destroy();
  }

  restore(): void {
    this.mode = 'up';
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private accept(client: Socket): void {
    this.track(client);
    if (this.mode === 'silent') return;
    const upstream = tcpConnect(this.target.port, this.target.host);
    this.track(upstream);
    client.pipe(upstream).pipe(client);
    const cut = () => (client.destroy(), upstream.destroy());
    client.on('error', cut).on('close', cut);
    upstream.on('error', cut).on('close', cut);
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }
}

describe('intake: the database out of reach', () => {
  it('answers 503 with Retry-After (within the pool’s connect timeout, not hanging), and accepts again once it is back', async () => {
    const db = await createTestDatabase('intake_dbdown');
    const prefix = testEventsPrefix();
    const link = await DatabaseLink.open(db.url);
    const intake = await bootIntake({ databaseUrl: link.urlFor(db.url), eventsPrefix: prefix });
    try {
      expect((await postWebhook(intake, message())).status).toBe(202);

      link.goSilent();
      const body = message();
      const refused = await postWebhook(intake, body);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(refused.body).toEqual({ error: expect.stringMatching(/cannot be stored right now/) });

      link.restore();
      const retried = await waitFor('a webhook accepted again', async () => {
        const answer = await postWebhook(intake, body);
        return answer.status === 202 ? answer : undefined;
      });
      expect(retried.body.duplicate).toBe(false);
    } finally {
      await intake.app.close();
      await link.close();
      await deleteStreams(testNatsUrl(), prefix);
      await db.drop();
    }
  }, 60_000);
});

describe('intake: NATS down while webhooks arrive', () => {
  it('accepts them (202) and their MessageAccepted events appear once NATS is back', async () => {
    const server = await OwnNatsServer.create();
    const db = await createTestDatabase('intake_natsdown');
    const prefix = testEventsPrefix();
    const intake = await bootIntake({ databaseUrl: db.url, eventsPrefix: prefix, natsUrl: server.url });
    let events: IntakeEvents | undefined;
    try {
      const sent = await Promise.all(
        Array.from({ length: 10 }, async (_, i) => {
          const correlationId = `nats-down-${i}-${randomUUID()}`;
          const answer = await postWebhook(intake, message({ text: `сообщение ${i}` }), { correlationId });
          return { status: answer.status, messageId: answer.body.messageId as string, correlationId };
        }),
      );
      expect(sent.map((s) => s.status)).toEqual(Array(10).fill(202));

      await server.start();
      events = await IntakeEvents.open(server.url, prefix);
      const reader = events;
      await waitFor('the 10 events', () => (reader.received.length >= 10 ? true : undefined), 30_000);
      expect(reader.received.map((e) => e.envelope.data.messageId).sort()).toEqual(sent.map((s) => s.messageId).sort());
      for (const { messageId, correlationId } of sent) {
        expect(reader.of(messageId).map((e) => e.correlationHeader)).toEqual([correlationId]);
      }
    } finally {
      await intake.app.close();
      await events?.close();
      await server.dispose();
      await db.drop();
    }
  }, 60_000);
});

describe('intake: the demo seed', () => {
  it('two replicas starting at once on an empty database seed the demo sources once', async () => {
    const db = await createTestDatabase('intake_seed');
    const prefix = testEventsPrefix();
    const replicas = await Promise.all([
      bootIntake({ databaseUrl: db.url, eventsPrefix: prefix }),
      bootIntake({ databaseUrl: db.url, eventsPrefix: prefix }),
    ]);
    try {
      const sources = await ownerQuery<{ id: string }>(db.url, 'select id from intake.sources order by id');
      expect(sources.map((s) => s.id)).toEqual(['demo-telegram', 'demo-vk', 'demo-webhook']);
    } finally {
      await Promise.all(replicas.map((r) => r.app.close()));
      await deleteStreams(testNatsUrl(), prefix);
      await db.drop();
    }
  }, 60_000);
});
