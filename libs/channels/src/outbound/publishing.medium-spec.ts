import {
  serveFiles,
  startFakeMaxApi,
  startFakeOkApi,
  startFakeTelegramApi,
  startFakeVkApi,
  StaticFiles,
} from '@otklik/testing';
import {
  createMaxPublisher,
  createOkPublisher,
  createTelegramPublisher,
  createVkPublisher,
  OutboundAnswer,
  OutboundSource,
  publishers,
  vkRandomId,
} from './index';

// REQUIREMENTS cl. 1 ("размещение ответов … их авторам"): each publisher against a local server
// that speaks its platform's API, over real HTTP. The answers' files come from a local file server,
// as they come from Otklik's attachment storage.

const JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
const MP4 = Buffer.from('000000186674797069736f6d0000020069736f6d69736f32', 'hex');
let storage: StaticFiles;

beforeAll(async () => {
  storage = await serveFiles({
    'answer.jpg': { bytes: JPEG, contentType: 'image/jpeg' },
    'second.jpg': { bytes: JPEG, contentType: 'image/jpeg' },
    'clip.mp4': { bytes: MP4, contentType: 'video/mp4' },
  });
});
afterAll(() => storage.close());

const TEXT = 'Здравствуйте! Яму на ул. Ленина заделают до пятницы.';
let keys = 0;

function answerTo(target: OutboundAnswer['target'], extra: Partial<OutboundAnswer> = {}): OutboundAnswer {
  keys += 1;
  return {
    idempotencyKey: `3b1f0c2e-0000-4000-8000-${String(keys).padStart(12, '0')}`,
    target,
    text: TEXT,
    attachments: [],
    ...extra,
  };
}

const photo = (name = 'answer.jpg') => ({ type: 'PHOTO' as const, url: storage.urlOf(name), fromStorage: true });

describe('VK', () => {
  const GROUP = 1;
  const source: OutboundSource = {
    id: 'demo-vk',
    platform: 'VK',
    settings: { groupId: GROUP },
    credentials: { accessToken: 'community-key' },
  };
  const withAdmin: OutboundSource = {
    ...source,
    credentials: { accessToken: 'community-key', adminAccessToken: 'admin-key' },
  };
  let vk: Awaited<ReturnType<typeof startFakeVkApi>>;

  beforeEach(async () => {
    vk = await startFakeVkApi({ groupId: GROUP, communityTokens: ['community-key'], adminTokens: ['admin-key'] });
  });
  afterEach(() => vk.close());

  it('replies under the citizen comment, from the community, with the key as guid', async () => {
    const answer = answerTo({ externalId: 'wall-1_123_r9', threadId: 'wall-1_123' });

    const outcome = await createVkPublisher(vk.url).publish(answer, source);

    expect(outcome).toEqual({
      outcome: 'PUBLISHED',
      externalId: 'wall-1_123_r1000',
      url: 'https://vk.com/wall-1_123?reply=1000&thread=9',
    });
    expect(vk.comments).toEqual([
      expect.objectContaining({
        method: 'wall.createComment',
        ownerId: -1,
        parentId: 123,
        replyTo: 9,
        fromGroup: '1',
        message: TEXT,
        guid: answer.idempotencyKey,
      }),
    ]);
    expect(vk.calls[0]).toMatchObject({ key: 'community-key', params: { v: '5.199' } });
  });

  it('an attempt repeated after a lost answer posts nothing new: VK keeps the comment of the first (guid)', async () => {
    const answer = answerTo({ externalId: 'wall-1_123_r9' });
    const publisher = createVkPublisher(vk.url);

    const first = await publisher.publish(answer, source);
    const again = await publisher.publish(answer, source);

    expect(again).toEqual(first);
    expect(vk.comments).toHaveLength(1);
  });

  it('a suggested post is answered with a comment under it', async () => {
    const outcome = await createVkPublisher(vk.url).publish(answerTo({ externalId: 'wall-1_150' }), source);

    expect(outcome).toEqual({
      outcome: 'PUBLISHED',
      externalId: 'wall-1_150_r1000',
      url: 'https://vk.com/wall-1_150?reply=1000',
    });
    expect(vk.comments[0].replyTo).toBeUndefined();
  });

  it('error 6 (too many requests) is RETRY; the next attempt publishes once', async () => {
    vk.failNext('wall.createComment', 6);
    const answer = answerTo({ externalId: 'wall-1_123_r9' });
    const publisher = createVkPublisher(vk.url);

    await expect(publisher.publish(answer, source)).resolves.toMatchObject({ outcome: 'RETRY' });
    await expect(publisher.publish(answer, source)).resolves.toMatchObject({ outcome: 'PUBLISHED' });
    expect(vk.comments).toHaveLength(1);
  });

  it('a revoked community key is FAILED at once, saying to renew it', async () => {
    vk.revoke('community-key');

    await expect(createVkPublisher(vk.url).publish(answerTo({ externalId: 'wall-1_123_r9' }), source)).resolves.toEqual(
      {
        outcome: 'FAILED',
        reason: 'Ключ доступа сообщества ВКонтакте отозван или неверен — обновите его в настройках источника',
        platformError: 'wall.createComment: error 5: User authorization failed: invalid access_token (4).',
      },
    );
    expect(vk.comments).toEqual([]);
  });

  it('comments closed under the post (212) is FAILED', async () => {
    vk.failNext('wall.createComment', 212);

    await expect(
      createVkPublisher(vk.url).publish(answerTo({ externalId: 'wall-1_123_r9' }), source),
    ).resolves.toMatchObject({
      outcome: 'FAILED',
      reason: 'Сообщество не может комментировать эту запись: комментарии закрыты',
    });
  });

  it('a photo goes through the wall upload server with the admin key, then under the comment', async () => {
    const answer = answerTo({ externalId: 'wall-1_123_r9' }, { attachments: [photo()] });

    const outcome = await createVkPublisher(vk.url).publish(answer, withAdmin);

    expect(outcome).toMatchObject({ outcome: 'PUBLISHED' });
    expect(vk.calls.map((c) => [c.method, c.key])).toEqual([
      ['photos.getWallUploadServer', 'admin-key'],
      ['photos.saveWallPhoto', 'admin-key'],
      ['wall.createComment', 'community-key'],
    ]);
    expect(vk.uploads).toEqual([
      { server: 'wall', field: 'photo', fileName: 'photo-1.jpg', contentType: 'image/jpeg', size: JPEG.length },
    ]);
    expect(vk.calls[1].params).toMatchObject({ group_id: '1' });
    expect(vk.comments[0].attachments).toEqual([expect.stringMatching(/^photo-1_\d+$/)]);
  });

  it('a video goes through video.save and its upload server', async () => {
    const answer = answerTo(
      { externalId: 'wall-1_123_r9' },
      { attachments: [{ type: 'VIDEO', url: storage.urlOf('clip.mp4'), fromStorage: true }] },
    );

    await expect(createVkPublisher(vk.url).publish(answer, withAdmin)).resolves.toMatchObject({
      outcome: 'PUBLISHED',
    });
    expect(vk.uploads).toEqual([expect.objectContaining({ server: 'video', field: 'video_file', size: MP4.length })]);
    expect(vk.comments[0].attachments).toEqual([expect.stringMatching(/^video-1_\d+$/)]);
  });

  it('a reply under a photo goes with the admin key as the community (photos.createComment)', async () => {
    const outcome = await createVkPublisher(vk.url).publish(answerTo({ externalId: 'photo-1_456_c7' }), withAdmin);

    expect(outcome).toEqual({
      outcome: 'PUBLISHED',
      externalId: 'photo-1_456_c1000',
      url: 'https://vk.com/photo-1_456',
    });
    expect(vk.calls[0]).toMatchObject({
      method: 'photos.createComment',
      key: 'admin-key',
      params: { owner_id: '-1', photo_id: '456', reply_to_comment: '7', from_group: '1' },
    });
  });

  it('an attachment gone from storage is FAILED before anything is posted', async () => {
    const answer = answerTo({ externalId: 'wall-1_123_r9' }, { attachments: [photo('expired.jpg')] });

    await expect(createVkPublisher(vk.url).publish(answer, withAdmin)).resolves.toMatchObject({
      outcome: 'FAILED',
      reason: expect.stringContaining('больше не доступно'),
    });
    expect(vk.calls).toEqual([]);
  });

  it('a linked file (not from storage) that leads inside the network is FAILED (SSRF) and never fetched', async () => {
    const fetched = storage.requests.length;
    const linked = { type: 'PHOTO' as const, url: storage.urlOf('answer.jpg') };
    const answer = answerTo({ externalId: 'wall-1_123_r9' }, { attachments: [linked] });

    await expect(createVkPublisher(vk.url).publish(answer, withAdmin)).resolves.toEqual({
      outcome: 'FAILED',
      reason: expect.stringContaining('ссылка ведёт во внутреннюю сеть (127.0.0.1 is a loopback address)'),
      platformError: 'attachment 1 refused: 127.0.0.1 is a loopback address',
    });
    expect(storage.requests).toHaveLength(fetched);
    expect(vk.calls).toEqual([]);
  });

  describe('a private message', () => {
    it('is answered with messages.send replying to it, random_id from the key; a repeat sends nothing new', async () => {
      const answer = answerTo({ externalId: 'msg-1234567_55', threadId: 'msg-1234567' });
      const publisher = createVkPublisher(vk.url);

      const first = await publisher.publish(answer, source);
      const again = await publisher.publish(answer, source);

      expect(first).toEqual({
        outcome: 'PUBLISHED',
        externalId: 'msg-1234567_m1000',
        url: 'https://vk.com/gim1?sel=1234567',
      });
      expect(again).toEqual(first);
      expect(vk.messages).toEqual([
        {
          peerId: 1234567,
          id: 1000,
          randomId: vkRandomId(answer.idempotencyKey),
          message: TEXT,
          attachments: [],
          forward: { peer_id: 1234567, conversation_message_ids: [55], is_reply: 1 },
        },
      ]);
    });

    it("its photo goes through the messages' upload server with the community key", async () => {
      const answer = answerTo({ externalId: 'msg-1234567_55' }, { attachments: [photo()] });

      await expect(createVkPublisher(vk.url).publish(answer, source)).resolves.toMatchObject({
        outcome: 'PUBLISHED',
      });
      expect(vk.calls.map((c) => c.method)).toEqual([
        'photos.getMessagesUploadServer',
        'photos.saveMessagesPhoto',
        'messages.send',
      ]);
      expect(vk.messages[0].attachments).toEqual([expect.stringMatching(/^photo-1_\d+_msgkey$/)]);
    });

    it('the citizen not allowing messages from the community (901) is FAILED', async () => {
      vk.failNext('messages.send', 901);

      await expect(
        createVkPublisher(vk.url).publish(answerTo({ externalId: 'msg-1234567_55' }), source),
      ).resolves.toMatchObject({
        outcome: 'FAILED',
        reason: 'Автор не разрешил сообществу присылать ему сообщения',
      });
    });
  });

  it('VK not answering at all is RETRY', async () => {
    const url = vk.url;
    await vk.close();

    await expect(
      createVkPublisher(url).publish(answerTo({ externalId: 'wall-1_123_r9' }), source),
    ).resolves.toMatchObject({ outcome: 'RETRY', reason: expect.stringContaining('ВКонтакте не ответил') });
    vk = await startFakeVkApi();
  });
});

describe('Telegram', () => {
  const TOKEN = '123456:demo-telegram-token';
  const GROUP = { id: -1001234567890, type: 'supergroup' as const, username: 'kalmansky_chat' };
  const PRIVATE = { id: 7654321, type: 'private' as const };
  const source: OutboundSource = {
    id: 'demo-telegram',
    platform: 'TELEGRAM',
    settings: {},
    credentials: { botToken: TOKEN },
  };
  let telegram: Awaited<ReturnType<typeof startFakeTelegramApi>>;

  beforeEach(async () => {
    telegram = await startFakeTelegramApi({ token: TOKEN, chats: [GROUP, PRIVATE] });
  });
  afterEach(() => telegram.close());

  it('replies to the citizen message in a public group, with its t.me address', async () => {
    const outcome = await createTelegramPublisher(telegram.url).publish(
      answerTo({ externalId: `${GROUP.id}_42` }),
      source,
    );

    expect(outcome).toEqual({
      outcome: 'PUBLISHED',
      externalId: `${GROUP.id}_101`,
      url: 'https://t.me/kalmansky_chat/101',
    });
    expect(telegram.calls).toEqual([
      {
        method: 'sendMessage',
        params: {
          chat_id: String(GROUP.id),
          text: TEXT,
          reply_parameters: { message_id: 42, allow_sending_without_reply: false },
        },
        files: [],
      },
    ]);
  });

  it('a private chat has no public address', async () => {
    const outcome = await createTelegramPublisher(telegram.url).publish(
      answerTo({ externalId: `${PRIVATE.id}_5` }),
      source,
    );

    expect(outcome).toEqual({ outcome: 'PUBLISHED', externalId: `${PRIVATE.id}_101` });
  });

  it('one photo with a text that fits 1,024 characters is one message, the text its caption', async () => {
    const answer = answerTo({ externalId: `${GROUP.id}_42` }, { attachments: [photo()] });

    await expect(createTelegramPublisher(telegram.url).publish(answer, source)).resolves.toMatchObject({
      outcome: 'PUBLISHED',
    });
    expect(telegram.calls).toHaveLength(1);
    expect(telegram.calls[0]).toMatchObject({
      method: 'sendPhoto',
      params: { caption: TEXT, reply_parameters: { message_id: 42 } },
      files: [expect.objectContaining({ field: 'photo', contentType: 'image/jpeg', size: JPEG.length })],
    });
  });

  it('two photos and a longer text: the album first, then the text, both replying; the text is the answer', async () => {
    const long = `${'Подробный ответ. '.repeat(70)}`.trim();
    const answer = answerTo(
      { externalId: `${GROUP.id}_42` },
      { text: long, attachments: [photo(), photo('second.jpg')] },
    );

    const outcome = await createTelegramPublisher(telegram.url).publish(answer, source);

    expect(telegram.calls.map((c) => c.method)).toEqual(['sendMediaGroup', 'sendMessage']);
    expect(telegram.calls[0].params.media).toEqual([
      { type: 'photo', media: 'attach://file0' },
      { type: 'photo', media: 'attach://file1' },
    ]);
    expect(telegram.sent.map((m) => m.reply_to_message?.message_id)).toEqual([42, 42, 42]);
    expect(outcome).toEqual({
      outcome: 'PUBLISHED',
      externalId: `${GROUP.id}_103`,
      url: 'https://t.me/kalmansky_chat/103',
    });
  });

  describe('an answer in several messages, the first already out', () => {
    const long = 'Подробный ответ. '.repeat(70).trim();

    it("waits out Telegram's flood control for the rest instead of sending the first part again", async () => {
      telegram.failNext('sendMessage', {
        error_code: 429,
        description: 'Too Many Requests: retry after 1',
        parameters: { retry_after: 1 },
      });
      const answer = answerTo({ externalId: `${GROUP.id}_42` }, { text: long, attachments: [photo()] });

      await expect(createTelegramPublisher(telegram.url).publish(answer, source)).resolves.toMatchObject({
        outcome: 'PUBLISHED',
      });
      expect(telegram.calls.map((c) => [c.method, c.error?.error_code])).toEqual([
        ['sendPhoto', undefined],
        ['sendMessage', 429],
        ['sendMessage', undefined],
      ]);
      expect(telegram.sent).toHaveLength(2);
    });

    it('is FAILED saying what went out when the rest cannot be sent, so a retry does not repeat the photo', async () => {
      telegram.failNext('sendMessage', { error_code: 502, description: 'Bad Gateway' });
      const answer = answerTo({ externalId: `${GROUP.id}_42` }, { text: long, attachments: [photo()] });

      await expect(createTelegramPublisher(telegram.url).publish(answer, source)).resolves.toMatchObject({
        outcome: 'FAILED',
        reason: expect.stringContaining('только часть ответа'),
      });
      expect(telegram.sent).toHaveLength(1);
    });
  });

  it('429 with retry_after is RETRY after that long; the next attempt publishes', async () => {
    telegram.failNext('sendMessage', {
      error_code: 429,
      description: 'Too Many Requests: retry after 1',
      parameters: { retry_after: 1 },
    });
    const answer = answerTo({ externalId: `${GROUP.id}_42` });
    const publisher = createTelegramPublisher(telegram.url);

    await expect(publisher.publish(answer, source)).resolves.toMatchObject({ outcome: 'RETRY', retryAfterMs: 1000 });
    await expect(publisher.publish(answer, source)).resolves.toMatchObject({ outcome: 'PUBLISHED' });
    expect(telegram.sent).toHaveLength(1);
  });

  it('a revoked token is FAILED at once', async () => {
    telegram.revokeToken();

    await expect(
      createTelegramPublisher(telegram.url).publish(answerTo({ externalId: `${GROUP.id}_42` }), source),
    ).resolves.toEqual({
      outcome: 'FAILED',
      reason: 'Токен бота Telegram отозван или неверен — обновите его в настройках источника',
      platformError: 'sendMessage: 401 Unauthorized',
    });
  });

  it('a citizen message deleted meanwhile is FAILED, not answered into nothing', async () => {
    telegram.deleteMessage(GROUP.id, 42);

    await expect(
      createTelegramPublisher(telegram.url).publish(answerTo({ externalId: `${GROUP.id}_42` }), source),
    ).resolves.toMatchObject({
      outcome: 'FAILED',
      reason: 'Сообщение автора в Telegram удалено — ответить на него нельзя',
    });
    expect(telegram.sent).toEqual([]);
  });

  it('a bot the citizen blocked (403) is FAILED', async () => {
    telegram.failNext('sendMessage', { error_code: 403, description: 'Forbidden: bot was blocked by the user' });

    await expect(
      createTelegramPublisher(telegram.url).publish(answerTo({ externalId: `${PRIVATE.id}_5` }), source),
    ).resolves.toMatchObject({ outcome: 'FAILED', reason: 'Автор заблокировал бота в Telegram — ответ не доставить' });
  });
});

describe('MAX', () => {
  const source: OutboundSource = {
    id: 'max',
    platform: 'MAX',
    settings: {},
    credentials: { accessToken: 'max-token' },
  };
  let max: Awaited<ReturnType<typeof startFakeMaxApi>>;

  beforeEach(async () => {
    max = await startFakeMaxApi({ token: 'max-token' });
  });
  afterEach(() => max.close());

  it('replies in the chat with a reply link to the citizen message, the token in Authorization', async () => {
    const outcome = await createMaxPublisher(max.url).publish(
      answerTo({ externalId: 'mid.abc.1', threadId: '-72000123' }),
      source,
    );

    expect(outcome).toEqual({ outcome: 'PUBLISHED', externalId: expect.stringMatching(/^mid\./) });
    expect(max.messages).toEqual([
      {
        chatId: -72000123,
        mid: expect.any(String),
        text: TEXT,
        link: { type: 'reply', mid: 'mid.abc.1' },
        attachments: [],
      },
    ]);
    expect(max.calls[0].query).toEqual({ chat_id: '-72000123' });
  });

  it('a photo is uploaded first and attached by its token', async () => {
    const answer = answerTo({ externalId: 'mid.abc.1', threadId: '-72000123' }, { attachments: [photo()] });

    await expect(createMaxPublisher(max.url).publish(answer, source)).resolves.toMatchObject({ outcome: 'PUBLISHED' });
    expect(max.uploads).toEqual([{ type: 'image', fileName: 'photo-1.jpg', size: JPEG.length }]);
    expect(max.messages[0].attachments).toEqual([{ type: 'image', payload: { photos: expect.any(Object) } }]);
  });

  it('429 is RETRY and a revoked token FAILED', async () => {
    max.failNext('/messages', { status: 429, code: 'too.many.requests', message: 'Too many requests' });
    const publisher = createMaxPublisher(max.url);
    const answer = answerTo({ externalId: 'mid.abc.1', threadId: '-72000123' });

    await expect(publisher.publish(answer, source)).resolves.toMatchObject({ outcome: 'RETRY' });
    max.revokeToken();
    await expect(publisher.publish(answer, source)).resolves.toMatchObject({
      outcome: 'FAILED',
      reason: 'Токен бота MAX отозван или неверен — обновите его в настройках источника',
    });
    expect(max.messages).toEqual([]);
  });
});

describe('OK', () => {
  const source: OutboundSource = { id: 'ok', platform: 'OK', settings: {}, credentials: { accessToken: 'tkn-ok' } };
  const target = { externalId: 'mid:C3ecb9d02a600.1', threadId: 'chat:C3ecb9d02a600' };
  let ok: Awaited<ReturnType<typeof startFakeOkApi>>;

  beforeEach(async () => {
    ok = await startFakeOkApi({ token: 'tkn-ok' });
  });
  afterEach(() => ok.close());

  it('replies in the group chat to the citizen message', async () => {
    const outcome = await createOkPublisher(ok.url).publish(answerTo(target), source);

    expect(outcome).toEqual({ outcome: 'PUBLISHED', externalId: expect.stringMatching(/^mid:/) });
    expect(ok.messages).toEqual([
      {
        chatId: 'chat:C3ecb9d02a600',
        messageId: expect.any(String),
        text: TEXT,
        replyTo: target.externalId,
        attachments: [],
      },
    ]);
  });

  it('a photo is uploaded to the URL OK gives and attached by its token', async () => {
    await expect(
      createOkPublisher(ok.url).publish(answerTo(target, { attachments: [photo()] }), source),
    ).resolves.toMatchObject({ outcome: 'PUBLISHED' });
    expect(ok.uploads).toEqual([{ type: 'IMAGE', contentType: 'image/jpeg', size: JPEG.length }]);
    expect(ok.messages[0].attachments).toEqual([{ type: 'IMAGE', payload: { token: expect.any(String) } }]);
  });

  it('flood control is RETRY; an expired key FAILED', async () => {
    ok.failNext('/graph/me/messages', { error_code: 8, error_msg: 'FLOOD_BLOCKED' });
    const publisher = createOkPublisher(ok.url);

    await expect(publisher.publish(answerTo(target), source)).resolves.toMatchObject({ outcome: 'RETRY' });
    ok.revokeToken();
    await expect(publisher.publish(answerTo(target), source)).resolves.toMatchObject({
      outcome: 'FAILED',
      reason: expect.stringContaining('истёк'),
    });
    expect(ok.messages).toEqual([]);
  });
});

describe('the registry', () => {
  it('has a publisher for each platform with an API, each calling its configured URL', async () => {
    const vk = await startFakeVkApi();
    try {
      const registry = publishers({
        vk: vk.url,
        telegram: 'http://tg.invalid',
        max: 'http://max.invalid',
        ok: 'http://ok.invalid',
      });

      expect([...registry.keys()].sort()).toEqual(['MAX', 'OK', 'TELEGRAM', 'VK']);
      await expect(
        registry.get('VK')?.publish(answerTo({ externalId: 'wall-1_1_r2' }), {
          id: 's',
          platform: 'VK',
          settings: { groupId: 1 },
          credentials: { accessToken: 'any' },
        }),
      ).resolves.toMatchObject({ outcome: 'PUBLISHED' });
      expect(vk.comments).toHaveLength(1);
    } finally {
      await vk.close();
    }
  });
});
