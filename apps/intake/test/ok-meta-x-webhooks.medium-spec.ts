import { createHmac, randomInt } from 'node:crypto';
import { demoOrganization } from '@otklik/demo';
import { errorOf, IntakeUnderTest, SourceRow } from './intake.harness';

// Medium (STYLE.md §13): the real intake app on a fresh database, over real HTTP — the OK, Meta
// (Facebook Page and Instagram comments) and X (Account Activity) webhooks, with bodies shaped as
// the platforms document them, real HMAC signatures, and sources written straight into the
// database the way intake stores them (secrets sealed).

const KALMANSKY = demoOrganization('kalmansky').id;

const OK_SECRET = 'ok-url-secret';
const META_APP_SECRET = 'meta-app-secret';
const META_VERIFY_TOKEN = 'meta-verify-token';
const X_CONSUMER_SECRET = 'x-consumer-secret';
const PAGE_ID = '1067280970047460';
const IG_ACCOUNT_ID = '17841405822304914';
const X_ACCOUNT = '2244994945';

const hexSignature = (secret: string, body: string) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
const base64Signature = (secret: string, data: string) =>
  `sha256=${createHmac('sha256', secret).update(data).digest('base64')}`;

describe('OK, Meta and X webhooks on the real PostgreSQL (cl. 2)', () => {
  let intake: IntakeUnderTest;

  const stored = (sourceId: string, externalId: string) =>
    intake.sql<{
      organization_id: string;
      platform: string;
      text: string;
      url: string | null;
      thread_id: string | null;
      author: unknown;
      edited_at: Date | null;
      deleted_at: Date | null;
      deleted_by: string | null;
    }>(
      `select organization_id, platform, text, url, thread_id, author, edited_at, deleted_at, deleted_by
         from intake.messages where source_id = $1 and external_id = $2`,
      [sourceId, externalId],
    );
  const countOf = async (table: 'messages' | 'deliveries', sourceId: string) =>
    Number(
      (await intake.sql<{ count: string }>(`select count(*) from intake.${table} where source_id = $1`, [sourceId]))[0]
        .count,
    );

  beforeAll(async () => {
    intake = await IntakeUnderTest.start('intake_ok_meta_x');
    const on = { restrictedPlatformAllowed: true };
    const meta = { organizationId: KALMANSKY, platform: 'FACEBOOK', kind: 'META_WEBHOOK', secret: META_APP_SECRET };
    const x = { organizationId: KALMANSKY, platform: 'TWITTER', kind: 'X_ACTIVITY', secret: X_CONSUMER_SECRET };
    const sources: SourceRow[] = [
      { id: 'ok-group', organizationId: KALMANSKY, platform: 'OK', kind: 'OK_BOT', secret: OK_SECRET, settings: {} },
      { id: 'meta-app', ...meta, settings: on, credentials: { verifyToken: META_VERIFY_TOKEN } },
      { id: 'meta-off', ...meta, settings: {}, credentials: { verifyToken: META_VERIFY_TOKEN } },
      { id: 'x-account', ...x, settings: on },
      { id: 'x-off', ...x, settings: {} },
    ];
    for (const source of sources) await intake.insertSource(source);
  }, 60_000);

  afterAll(async () => {
    await intake?.stop();
  });

  describe('Odnoklassniki: /webhooks/ok/{sourceId}?secret=', () => {
    const okMessage = (mid: string, text: string) => ({
      webhookType: 'MESSAGE_CREATED',
      sender: { user_id: 'user:123456789012', name: 'Анна Петрова' },
      recipient: { chat_id: 'chat:C3ecb9d02a600' },
      message: { text, seq: 98211023614189660, mid },
      timestamp: 1498581292941,
    });
    const ok = (body: unknown, secret = OK_SECRET) =>
      intake.webhook(`ok/ok-group?secret=${encodeURIComponent(secret)}`, { body });

    it('a chat message is stored once, however often OK resends it', async () => {
      const mid = `mid:C3ecb9d02a600.${randomInt(1, 2 ** 40).toString(16)}`;
      const body = okMessage(mid, 'Во дворе на Садовой третий день не вывозят мусор');
      const answers = await Promise.all([ok(body), ok(body)]);
      expect(answers.map((a) => [a.status, a.text])).toEqual([
        [200, 'ok'],
        [200, 'ok'],
      ]);
      expect(await stored('ok-group', mid)).toEqual([
        {
          organization_id: KALMANSKY,
          platform: 'OK',
          text: 'Во дворе на Садовой третий день не вывозят мусор',
          url: null,
          thread_id: 'chat:C3ecb9d02a600',
          author: { id: '123456789012', name: 'Анна Петрова', url: 'https://ok.ru/profile/123456789012' },
          edited_at: null,
          deleted_at: null,
          deleted_by: null,
        },
      ]);
      const deliveries = await intake.sql(
        "select event_type from intake.deliveries where source_id = 'ok-group' and delivery_id = $1",
        [mid],
      );
      expect(deliveries).toEqual([{ event_type: 'MESSAGE_CREATED' }]);
    });

    it('a wrong ?secret= is refused with 401 and nothing is stored', async () => {
      const before = await countOf('deliveries', 'ok-group');
      const answer = await ok(okMessage('mid:C1.forged', 'forged'), 'guessed');
      expect(answer.status).toBe(401);
      expect(errorOf(answer)).toBe("the URL's ?secret= is not source ok-group's secret");
      expect(await stored('ok-group', 'mid:C1.forged')).toEqual([]);
      expect(await countOf('deliveries', 'ok-group')).toBe(before);
    });
  });

  describe('Meta: /webhooks/meta/{sourceId}', () => {
    const meta = (body: unknown, source = 'meta-app', secret = META_APP_SECRET) => {
      const raw = JSON.stringify(body);
      return intake.webhook(`meta/${source}`, {
        body: raw,
        headers: { 'x-hub-signature-256': hexSignature(secret, raw) },
      });
    };
    const verify = (source: string, token: string) =>
      intake.webhook(`meta/${source}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${token}`, {
        method: 'GET',
      });
    const feedComment = (verb: string, commentId: string, message?: string) => ({
      field: 'feed',
      value: {
        from: { id: '44444444', name: 'Mr. Bean' },
        post_id: `${PAGE_ID}_444444444`,
        comment_id: commentId,
        created_time: 1648232263,
        item: 'comment',
        parent_id: `${PAGE_ID}_444444444`,
        verb,
        ...(message === undefined ? {} : { message }),
      },
    });

    it('the verification handshake: hub.challenge echoed as text for the right verify token, 403 for another', async () => {
      expect(await verify('meta-app', META_VERIFY_TOKEN)).toEqual({
        status: 200,
        contentType: expect.stringMatching(/^text\/plain/),
        text: '1158201444',
      });
      const wrong = await verify('meta-app', 'guessed');
      expect(wrong.status).toBe(403);
      expect(wrong.text).not.toContain('1158201444');
    });

    it('signed Page and Instagram notifications: every comment stored, then the edit and the removal', async () => {
      const fbComment = `444444444_${randomInt(1, 2 ** 40)}`;
      const fbReply = `444444444_${randomInt(1, 2 ** 40)}`;
      const igComment = String(randomInt(1, 2 ** 40));
      // Meta batches: one POST, two entries, three changes (one of them the Page's own answer).
      const batch = {
        object: 'page',
        entry: [
          { id: PAGE_ID, time: 1648232270, changes: [feedComment('add', fbComment, 'Когда починят фонарь?')] },
          {
            id: PAGE_ID,
            time: 1648232280,
            changes: [
              feedComment('add', fbReply, 'И у нас во дворе тоже'),
              {
                field: 'feed',
                value: { ...feedComment('add', '444444444_1', 'Спасибо, передали').value, from: { id: PAGE_ID } },
              },
            ],
          },
        ],
      };
      const instagram = {
        object: 'instagram',
        entry: [
          {
            id: IG_ACCOUNT_ID,
            time: 1648232300,
            changes: [
              {
                field: 'comments',
                value: {
                  from: { id: '232323232', username: 'test' },
                  media: { id: '123123123', media_product_type: 'FEED' },
                  id: igComment,
                  text: 'Яма на дороге у школы',
                },
              },
            ],
          },
        ],
      };
      expect(await meta(batch)).toEqual({
        status: 200,
        contentType: expect.stringMatching(/^text\/plain/),
        text: 'EVENT_RECEIVED',
      });
      expect(await meta(instagram)).toMatchObject({ status: 200, text: 'EVENT_RECEIVED' });

      expect(await stored('meta-app', fbComment)).toEqual([
        expect.objectContaining({
          platform: 'FACEBOOK',
          text: 'Когда починят фонарь?',
          thread_id: `${PAGE_ID}_444444444`,
          url: `https://www.facebook.com/${PAGE_ID}/posts/444444444?comment_id=${fbComment.split('_')[1]}`,
          author: { id: '44444444', name: 'Mr. Bean' },
        }),
      ]);
      expect(await stored('meta-app', fbReply)).toEqual([expect.objectContaining({ text: 'И у нас во дворе тоже' })]);
      expect(await stored('meta-app', '444444444_1')).toEqual([]);
      expect(await stored('meta-app', igComment)).toEqual([
        expect.objectContaining({
          platform: 'INSTAGRAM',
          text: 'Яма на дороге у школы',
          thread_id: '123123123',
          author: { id: '232323232', name: 'test', url: 'https://www.instagram.com/test/' },
        }),
      ]);

      const edit = {
        object: 'page',
        entry: [
          {
            id: PAGE_ID,
            time: 1648232400,
            changes: [feedComment('edited', fbComment, 'Когда починят фонарь у дома 5?')],
          },
        ],
      };
      expect(await meta(edit)).toMatchObject({ status: 200 });
      const remove = {
        object: 'page',
        entry: [{ id: PAGE_ID, time: 1648232500, changes: [feedComment('remove', fbComment)] }],
      };
      expect(await meta(remove)).toMatchObject({ status: 200 });
      expect(await stored('meta-app', fbComment)).toEqual([
        expect.objectContaining({
          text: 'Когда починят фонарь у дома 5?',
          edited_at: new Date(1648232400_000),
          deleted_at: new Date(1648232500_000),
        }),
      ]);
    });

    it('a wrong X-Hub-Signature-256 is refused with 401 and nothing is stored', async () => {
      const commentId = `444444444_${randomInt(1, 2 ** 40)}`;
      const body = {
        object: 'page',
        entry: [{ id: PAGE_ID, time: 1, changes: [feedComment('add', commentId, 'forged')] }],
      };
      const answer = await meta(body, 'meta-app', 'not-the-app-secret');
      expect(answer.status).toBe(401);
      expect(errorOf(answer)).toBe("X-Hub-Signature-256 is not the body's HMAC with source meta-app's app secret");
      expect(await stored('meta-app', commentId)).toEqual([]);
    });

    it('restricted in Russia: a source not turned on refuses the handshake and signed deliveries with 403', async () => {
      const handshake = await verify('meta-off', META_VERIFY_TOKEN);
      expect(handshake.status).toBe(403);
      expect(errorOf(handshake)).toMatch(/^Facebook and Instagram \(Meta\): restricted in Russia since 2022/);
      const commentId = `444444444_${randomInt(1, 2 ** 40)}`;
      const body = { object: 'page', entry: [{ id: PAGE_ID, time: 1, changes: [feedComment('add', commentId, 'x')] }] };
      expect((await meta(body, 'meta-off')).status).toBe(403);
      expect(await countOf('deliveries', 'meta-off')).toBe(0);
    });
  });

  describe('X: /webhooks/x/{sourceId}', () => {
    const x = (body: unknown, source = 'x-account', secret = X_CONSUMER_SECRET) => {
      const raw = JSON.stringify(body);
      return intake.webhook(`x/${source}`, {
        body: raw,
        headers: { 'x-twitter-webhooks-signature': base64Signature(secret, raw) },
      });
    };
    const reply = (id: string) => ({
      created_at: 'Wed Oct 10 20:19:24 +0000 2018',
      id_str: id,
      text: '@TwitterDev на остановке на Ленина месяц нет навеса',
      in_reply_to_status_id_str: '1050118000000000000',
      user: { id_str: '6253282', name: 'Twitter API', screen_name: 'TwitterAPI' },
    });

    it('the challenge-response check: response_token is the base64 HMAC of crc_token, as JSON', async () => {
      const answer = await intake.webhook('x/x-account?crc_token=KjYyNTc1NDE2NTQ4', { method: 'GET' });
      expect(answer).toMatchObject({ status: 200, contentType: expect.stringMatching(/^application\/json/) });
      expect(JSON.parse(answer.text)).toEqual({
        response_token: base64Signature(X_CONSUMER_SECRET, 'KjYyNTc1NDE2NTQ4'),
      });
    });

    it('a signed reply is stored with its link and thread; its deletion marks it', async () => {
      const id = String(randomInt(1, 2 ** 47));
      expect(await x({ for_user_id: X_ACCOUNT, tweet_create_events: [reply(id)] })).toMatchObject({ status: 200 });
      expect(await stored('x-account', id)).toEqual([
        expect.objectContaining({
          platform: 'TWITTER',
          text: '@TwitterDev на остановке на Ленина месяц нет навеса',
          url: `https://x.com/TwitterAPI/status/${id}`,
          thread_id: '1050118000000000000',
          deleted_at: null,
        }),
      ]);
      const deletion = {
        for_user_id: X_ACCOUNT,
        tweet_delete_events: [{ status: { id, user_id: '6253282' }, timestamp_ms: '1539202800000' }],
      };
      expect(await x(deletion)).toMatchObject({ status: 200 });
      expect(await stored('x-account', id)).toEqual([
        expect.objectContaining({ deleted_at: new Date(1539202800000), deleted_by: '6253282' }),
      ]);
    });

    it('a wrong x-twitter-webhooks-signature is refused with 401 and nothing is stored', async () => {
      const id = String(randomInt(1, 2 ** 47));
      const answer = await x({ for_user_id: X_ACCOUNT, tweet_create_events: [reply(id)] }, 'x-account', 'not-ours');
      expect(answer.status).toBe(401);
      expect(await stored('x-account', id)).toEqual([]);
    });

    it('restricted in Russia: a source not turned on refuses the CRC and signed deliveries with 403', async () => {
      const crc = await intake.webhook('x/x-off?crc_token=abc', { method: 'GET' });
      expect(crc.status).toBe(403);
      expect(errorOf(crc)).toMatch(/^X \(Twitter\): restricted in Russia since 2022/);
      expect(crc.text).not.toContain('response_token');
      const signed = await x({ for_user_id: X_ACCOUNT, tweet_create_events: [reply('1')] }, 'x-off');
      expect(signed.status).toBe(403);
      expect(await countOf('messages', 'x-off')).toBe(0);
    });
  });
});
