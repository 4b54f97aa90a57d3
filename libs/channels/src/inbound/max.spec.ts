import { ConnectorSource, InboundRequest, InboundVerdict } from './connector';
import { maxConnector } from './max';

// Updates written as MAX documents them (https://dev.max.ru/docs-api/objects/Update and the
// OpenAPI schema of its bot API: Update, Message, Recipient, MessageBody, LinkedMessage,
// Attachment). Times are Unix milliseconds.
const SOURCE: ConnectorSource = {
  id: 'max-source',
  platform: 'MAX',
  secrets: ['max_secret-1', 'max_secret-0'],
  settings: {},
  credentials: {},
};
const NOW = new Date('2026-11-27T02:00:00Z');
const AT = 1795053600000; // 2026-11-19T02:00:00Z

const citizen = {
  user_id: 5550001,
  first_name: 'Иван',
  last_name: 'Петров',
  username: 'ivan_p',
  is_bot: false,
  last_activity_time: AT - 5000,
  name: 'Иван Петров',
};
const dialog = { chat_id: 182000182, chat_type: 'dialog', user_id: 229000229 };

function createdInDialog(body: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    update_type: 'message_created',
    timestamp: AT + 150,
    message: { sender: citizen, recipient: dialog, timestamp: AT, body, ...extra },
    user_locale: 'ru',
  };
}

function post(
  update: unknown,
  headers: Record<string, string> = { 'x-max-bot-api-secret': 'max_secret-1' },
): InboundVerdict {
  const request: InboundRequest = {
    method: 'POST',
    headers,
    query: {},
    body: new TextEncoder().encode(typeof update === 'string' ? update : JSON.stringify(update)),
  };
  return maxConnector.receive(request, SOURCE, NOW);
}

function delivered(verdict: InboundVerdict) {
  if (verdict.kind !== 'DELIVERY') throw new Error(`expected a delivery, got ${JSON.stringify(verdict)}`);
  return verdict;
}

describe('MAX bot API webhook (cl. 2)', () => {
  describe('who may call it', () => {
    const update = createdInDialog({ mid: 'mid.0001', seq: 1, text: 'Нет воды' });

    it('refuses a request without X-Max-Bot-Api-Secret, or with a wrong one, with 401', () => {
      expect(post(update, {})).toEqual(expect.objectContaining({ kind: 'REFUSE', status: 401 }));
      expect(post(update, { 'x-max-bot-api-secret': 'max_secret-2' })).toEqual({
        kind: 'REFUSE',
        status: 401,
        reason: expect.stringContaining('X-Max-Bot-Api-Secret'),
      });
    });

    it('accepts the previous secret while a rotation overlaps', () => {
      expect(post(update, { 'x-max-bot-api-secret': 'max_secret-0' }).kind).toBe('DELIVERY');
    });

    it('refuses a body that is not a MAX Update with 400', () => {
      expect(post('{"update_type":')).toEqual(expect.objectContaining({ kind: 'REFUSE', status: 400 }));
      expect(post({ message: update.message })).toEqual(
        expect.objectContaining({ status: 400, reason: expect.stringContaining('update_type') }),
      );
    });

    it('acknowledges an authentic update it cannot read, recording it as malformed (a refusal would be resent for hours)', () => {
      expect(post({ update_type: 'message_created', timestamp: AT })).toEqual(
        expect.objectContaining({
          kind: 'DELIVERY',
          events: [],
          ignored: 'message_created (malformed: message is required)',
          reply: expect.objectContaining({ status: 200 }),
        }),
      );
      expect(post({ update_type: 'message_removed', timestamp: AT, chat_id: 1 })).toEqual(
        expect.objectContaining({ events: [], ignored: 'message_removed (malformed: message_id is required)' }),
      );
      const noMid = createdInDialog({ seq: 1, text: 'без mid' });
      expect(delivered(post(noMid)).ignored).toBe(
        'message_created: malformed: body.mid and message.timestamp are required',
      );
    });

    it('serves POST only', () => {
      expect(maxConnector.methods).toEqual(['POST']);
      const verdict = maxConnector.receive(
        { method: 'GET', headers: {}, query: {}, body: new Uint8Array() },
        SOURCE,
        NOW,
      );
      expect(verdict).toEqual(expect.objectContaining({ kind: 'REFUSE', status: 400 }));
    });
  });

  describe('message_created', () => {
    it('reads a citizen writing to the bot, and answers 200', () => {
      const update = createdInDialog({
        mid: 'mid.0000000adf429c01',
        seq: 116327994376978687,
        text: 'Когда починят дорогу?',
      });
      expect(post(update)).toEqual({
        kind: 'DELIVERY',
        deliveryId: `message_created:mid.0000000adf429c01:${AT + 150}`,
        eventType: 'message_created',
        events: [
          {
            type: 'MESSAGE',
            message: {
              externalId: 'mid.0000000adf429c01',
              platform: 'MAX',
              text: 'Когда починят дорогу?',
              postedAt: '2026-11-19T02:00:00.000Z',
              author: { id: 'max5550001', name: 'Иван Петров', url: 'https://max.ru/ivan_p' },
              threadId: '182000182',
              attachments: [],
            },
          },
        ],
        reply: expect.objectContaining({ status: 200 }),
      });
    });

    it('gives the same update retried the same delivery id, and another update another', () => {
      const update = createdInDialog({ mid: 'mid.0002', seq: 2, text: 'Нет света' });
      const first = delivered(post(update)).deliveryId;
      expect(delivered(post(update)).deliveryId).toBe(first);
      expect(delivered(post({ ...update, timestamp: AT + 999 })).deliveryId).not.toBe(first);
    });

    it('keeps the public URL MAX gives for a message in a public chat', () => {
      const chat = { chat_id: -70801090403050, chat_type: 'chat', user_id: null };
      const update = createdInDialog(
        { mid: 'mid.0003', seq: 3, text: 'В Шадрино нет автобуса' },
        { recipient: chat, url: 'https://max.ru/kalmanka/AZ1234' },
      );
      const [event] = delivered(post(update)).events;
      expect(event).toEqual(
        expect.objectContaining({
          message: expect.objectContaining({ url: 'https://max.ru/kalmanka/AZ1234', threadId: '-70801090403050' }),
        }),
      );
    });

    it('keeps the files with their URLs, and neither the tokens nor keyboards or stickers', () => {
      const update = createdInDialog({
        mid: 'mid.0004',
        seq: 4,
        text: 'Фото ямы',
        attachments: [
          { type: 'image', payload: { photo_id: 91, url: 'https://i.oneme.ru/i?r=photo91', token: 'tok-photo' } },
          {
            type: 'video',
            payload: { url: 'https://vd.oneme.ru/v?r=video', token: 'tok-video' },
            width: 640,
            height: 360,
            duration: 10,
          },
          { type: 'audio', payload: { url: 'https://vd.oneme.ru/a?r=voice', token: 'tok-audio' } },
          {
            type: 'file',
            payload: { url: 'https://fd.oneme.ru/f?r=doc', token: 'tok-file' },
            filename: 'жалоба.pdf',
            size: 1024,
          },
          { type: 'share', payload: { url: 'https://kalmansky.ru/news/1' } },
          { type: 'sticker', payload: { url: 'https://i.oneme.ru/sticker', code: 'st' } },
          { type: 'inline_keyboard', payload: { buttons: [] } },
        ],
      });
      const [event] = delivered(post(update)).events;
      expect(event).toEqual(
        expect.objectContaining({
          message: expect.objectContaining({
            attachments: [
              { type: 'PHOTO', url: 'https://i.oneme.ru/i?r=photo91' },
              { type: 'VIDEO', url: 'https://vd.oneme.ru/v?r=video' },
              { type: 'AUDIO', url: 'https://vd.oneme.ru/a?r=voice' },
              { type: 'DOCUMENT', url: 'https://fd.oneme.ru/f?r=doc' },
              { type: 'LINK', url: 'https://kalmansky.ru/news/1' },
            ],
          }),
        }),
      );
      expect(JSON.stringify(event)).not.toContain('tok-');
    });

    it('reads a photo without text as a message with an empty text', () => {
      const update = createdInDialog({
        mid: 'mid.0005',
        seq: 5,
        text: null,
        attachments: [{ type: 'image', payload: { photo_id: 92, url: 'https://i.oneme.ru/i?r=p92', token: 't' } }],
      });
      const [event] = delivered(post(update)).events;
      expect(event).toEqual(expect.objectContaining({ message: expect.objectContaining({ text: '' }) }));
    });

    it('reads a bare forward (no body of its own) by what it forwards', () => {
      const update = createdInDialog(null as unknown as Record<string, unknown>, {
        link: {
          type: 'forward',
          sender: { user_id: 398000398, first_name: 'Тод', last_name: 'В', is_bot: false, last_activity_time: AT },
          chat_id: -695000695,
          message: { mid: 'mid.forwarded', seq: 9, text: 'Объявление: отключение воды 20 ноября' },
        },
      });
      const [event] = delivered(post(update)).events;
      expect(event).toEqual({
        type: 'MESSAGE',
        message: expect.objectContaining({
          externalId: `forward:182000182:mid.forwarded:${AT}`,
          text: 'Объявление: отключение воды 20 ноября',
          author: expect.objectContaining({ id: 'max5550001' }),
        }),
      });
    });

    it('reads its own text, not the message it replies to', () => {
      const update = createdInDialog(
        { mid: 'mid.0006', seq: 6, text: 'Уточняю: дом 5' },
        { link: { type: 'reply', message: { mid: 'mid.answer', seq: 1, text: 'Уточните адрес' } } },
      );
      const [event] = delivered(post(update)).events;
      expect(event).toEqual(expect.objectContaining({ message: expect.objectContaining({ text: 'Уточняю: дом 5' }) }));
    });
  });

  describe('message_edited and message_removed', () => {
    it('reads an edit of the same mid, edited when the update happened', () => {
      const update = {
        update_type: 'message_edited',
        timestamp: AT + 60000,
        message: {
          sender: citizen,
          recipient: dialog,
          timestamp: AT,
          body: { mid: 'mid.0001', seq: 1, text: 'Нет воды с утра' },
        },
      };
      const verdict = delivered(post(update));
      expect(verdict.deliveryId).toBe(`message_edited:mid.0001:${AT + 60000}`);
      expect(verdict.events).toEqual([
        {
          type: 'EDIT',
          editedAt: '2026-11-19T02:01:00.000Z',
          message: expect.objectContaining({
            externalId: 'mid.0001',
            text: 'Нет воды с утра',
            postedAt: '2026-11-19T02:00:00.000Z',
          }),
        },
      ]);
    });

    it('marks a removed message deleted, by whom and when', () => {
      const update = {
        update_type: 'message_removed',
        timestamp: AT + 120000,
        message_id: 'mid.0001',
        chat_id: 182000182,
        user_id: 5550001,
      };
      const verdict = delivered(post(update));
      expect(verdict).toEqual(
        expect.objectContaining({
          deliveryId: `message_removed:mid.0001:${AT + 120000}`,
          events: [
            { type: 'DELETE', externalId: 'mid.0001', deletedAt: '2026-11-19T02:02:00.000Z', deletedBy: 'max5550001' },
          ],
        }),
      );
    });
  });

  describe('comments under the administration channel posts', () => {
    const comment = (updateType: string, text: string) => ({
      update_type: updateType,
      timestamp: AT + 300,
      message: {
        sender: citizen,
        recipient: { chat_type: 'channel', chat_id: -70801090403050, post_id: 'mid.post15' },
        timestamp: AT,
        body: { mid: 'mid.comment1', seq: 7, text },
      },
    });

    it('threads a comment to its post', () => {
      const [event] = delivered(post(comment('comment_created', 'А в Шадрино когда?'))).events;
      expect(event).toEqual({
        type: 'MESSAGE',
        message: expect.objectContaining({
          externalId: 'mid.comment1',
          threadId: 'mid.post15',
          text: 'А в Шадрино когда?',
        }),
      });
    });

    it('reads an edited comment as an edit and a removed one as a deletion', () => {
      expect(delivered(post(comment('comment_edited', 'А в Шадрино?'))).events).toEqual([
        expect.objectContaining({ type: 'EDIT', message: expect.objectContaining({ externalId: 'mid.comment1' }) }),
      ]);
      const removed = {
        update_type: 'comment_removed',
        timestamp: AT + 400,
        message_id: 'mid.comment1',
        chat_id: -70801090403050,
        user_id: 1,
        post_id: 'mid.post15',
      };
      expect(delivered(post(removed)).events).toEqual([
        { type: 'DELETE', externalId: 'mid.comment1', deletedAt: '2026-11-19T02:00:00.400Z', deletedBy: 'max1' },
      ]);
    });

    it('ignores a comment posted on behalf of the channel (no sender)', () => {
      const update = comment('comment_created', 'Вывезем в четверг');
      const asChannel: Partial<typeof update.message> = { ...update.message };
      delete asChannel.sender;
      expect(delivered(post({ ...update, message: asChannel })).ignored).toBe(
        'comment_created: posted on behalf of the channel',
      );
    });
  });

  describe('what is not a citizen writing', () => {
    it("ignores the channel's own posts", () => {
      const update = {
        update_type: 'message_created',
        timestamp: AT,
        message: {
          recipient: { chat_id: -70801090403050, chat_type: 'channel' },
          timestamp: AT,
          body: { mid: 'mid.post15', seq: 1, text: 'График' },
        },
      };
      expect(delivered(post(update))).toEqual(
        expect.objectContaining({ events: [], ignored: "message_created: a post of the administration's own channel" }),
      );
    });

    it('ignores bots, empty messages and /start', () => {
      const bot = { ...citizen, user_id: 1, is_bot: true };
      expect(delivered(post(createdInDialog({ mid: 'mid.b', seq: 1, text: 'Погода' }, { sender: bot }))).ignored).toBe(
        'message_created: sent by a bot',
      );
      expect(delivered(post(createdInDialog({ mid: 'mid.e', seq: 1, text: '  ' }))).ignored).toBe(
        'message_created: no text and no file',
      );
      expect(delivered(post(createdInDialog({ mid: 'mid.s', seq: 1, text: '/start' }))).ignored).toBe(
        'message_created: the bot command /start',
      );
    });

    it.each([
      ['bot_started', { chat_id: 182000182, user: citizen, payload: null, user_locale: 'ru' }, /opened the dialog/],
      [
        'message_callback',
        { callback: { timestamp: AT, callback_id: 'cb.1', payload: 'yes', user: citizen }, message: null },
        /button/,
      ],
      ['user_added', { chat_id: -70801090403050, user: citizen, inviter_id: null, is_channel: false }, /joined/],
      ['some_future_type', {}, /not a message a citizen writes/],
      ['constructor', {}, /^constructor: not a message a citizen writes$/],
    ] as const)('acknowledges %s and stores nothing, saying why', (type, fields, why) => {
      const verdict = delivered(post({ update_type: type, timestamp: AT, ...fields }));
      expect(verdict).toEqual(
        expect.objectContaining({ eventType: type, events: [], reply: expect.objectContaining({ status: 200 }) }),
      );
      expect(verdict.ignored).toMatch(why);
      expect(verdict.deliveryId).not.toBe('');
    });
  });
});
