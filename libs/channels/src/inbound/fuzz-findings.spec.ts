import { ConnectorSource, InboundConnector, InboundVerdict } from './connector';
import { isoAt, ownAt } from './json-fields';
import { maxConnector } from './max';
import { okConnector } from './ok';
import { telegramConnector } from './telegram';
import { vkConnector } from './vk';

// What the webhook fuzz (apps/intake/test/webhooks.fuzz.medium-spec.ts) found the connectors
// doing with genuine (secret-bearing) bodies of an odd shape: throwing, or reading a value the
// event contracts refuse — each a 500 at the webhook. A connector reads any JSON without throwing.

const source = (platform: ConnectorSource['platform'], settings: Record<string, unknown> = {}): ConnectorSource => ({
  id: 'src',
  platform,
  secrets: ['secret'],
  settings,
  credentials: {},
});
const NOW = new Date('2026-11-27T02:00:00Z');

function receive(
  connector: InboundConnector,
  body: unknown,
  options: { source: ConnectorSource; headers?: Record<string, string>; query?: Record<string, string> },
): InboundVerdict {
  return connector.receive(
    {
      method: 'POST',
      headers: options.headers ?? {},
      query: options.query ?? {},
      body: new TextEncoder().encode(JSON.stringify(body)),
    },
    options.source,
    NOW,
  );
}

const messagesOf = (verdict: InboundVerdict) =>
  verdict.kind === 'DELIVERY' ? verdict.events.flatMap((e) => (e.type === 'DELETE' ? [] : [e.message])) : [];

describe('connectors read any platform JSON without throwing (webhook fuzz findings)', () => {
  describe('times outside the years 0–9999 read as no time', () => {
    it('isoAt: Unix seconds or milliseconds past Date’s range, or giving a year of six digits, are none', () => {
      expect(isoAt(1795742100)).toBe('2026-11-27T01:15:00.000Z');
      for (const value of [8.64e15 + 1, -8.64e12 - 1, 1e300, 1e15, '+275760-09-13T00:00:00.000Z']) {
        expect(isoAt(value)).toBeUndefined();
      }
    });

    it('VK: a comment dated past Date’s range is dated when it arrived', () => {
      const vk = source('VK', { groupId: 1 });
      for (const date of [8_640_000_000_000_000, 1e12]) {
        const verdict = receive(
          vkConnector,
          {
            type: 'wall_reply_new',
            group_id: 1,
            secret: 'secret',
            object: { id: 1, from_id: 42, date, text: 'Нет воды', post_id: 7, owner_id: -1 },
          },
          { source: vk },
        );
        expect(messagesOf(verdict).map((m) => m.postedAt)).toEqual([NOW.toISOString()]);
      }
    });

    it('Telegram: a message dated past Date’s range is recorded as unreadable; an edit_date past it is left out', () => {
      const telegram = source('TELEGRAM');
      const headers = { 'x-telegram-bot-api-secret-token': 'secret' };
      const message = { message_id: 1, chat: { id: 5, type: 'private' }, from: { id: 5, is_bot: false }, text: 'Яма' };
      const odd = receive(
        telegramConnector,
        { update_id: 1, message: { ...message, date: 9_000_000_000_000 } },
        { source: telegram, headers },
      );
      expect(odd).toMatchObject({ kind: 'DELIVERY', events: [], ignored: expect.stringMatching(/is not a time/) });
      const edited = receive(
        telegramConnector,
        { update_id: 2, edited_message: { ...message, date: 1795742100, edit_date: -8_640_000_000_001 } },
        { source: telegram, headers },
      );
      expect(edited).toMatchObject({ kind: 'DELIVERY', events: [{ type: 'EDIT' }] });
      expect(edited.kind === 'DELIVERY' && edited.events[0]).not.toHaveProperty('editedAt');
    });

    it('MAX: a message whose timestamp gives no time is recorded as unreadable', () => {
      const verdict = receive(
        maxConnector,
        {
          update_type: 'message_created',
          timestamp: 1500000000000,
          message: {
            sender: { user_id: 1 },
            recipient: { chat_id: 1 },
            body: { mid: 'mid.1', text: 'Нет света' },
            timestamp: -8_640_000_000_001,
          },
        },
        { source: source('MAX'), headers: { 'x-max-bot-api-secret': 'secret' } },
      );
      expect(verdict).toMatchObject({ kind: 'DELIVERY', events: [], ignored: expect.stringMatching(/malformed/) });
    });
  });

  describe('names from the JSON never reach Object.prototype', () => {
    it('ownAt: only the record’s own keys', () => {
      const table: Record<string, string> = { image: 'PHOTO' };
      expect(ownAt(table, 'image')).toBe('PHOTO');
      for (const key of ['constructor', 'toString', '__proto__', 'hasOwnProperty', undefined]) {
        expect(ownAt(table, key)).toBeUndefined();
      }
    });

    it('VK: an event of type "constructor" is recorded as ignored', () => {
      const verdict = receive(
        vkConnector,
        { type: 'constructor', group_id: 1, secret: 'secret', object: { id: 1 } },
        { source: source('VK', { groupId: 1 }) },
      );
      expect(verdict).toMatchObject({ kind: 'DELIVERY', events: [], ignored: 'constructor' });
    });

    it('MAX and OK: an attachment of type "constructor" is left out, the message kept', () => {
      const attachment = { type: 'constructor', payload: { url: 'https://example.org/a.jpg' } };
      const max = receive(
        maxConnector,
        {
          update_type: 'message_created',
          timestamp: 1795742100000,
          message: {
            sender: { user_id: 1 },
            recipient: { chat_id: 1 },
            body: { mid: 'mid.2', text: 'Нет света', attachments: [attachment] },
            timestamp: 1795742100000,
          },
        },
        { source: source('MAX'), headers: { 'x-max-bot-api-secret': 'secret' } },
      );
      expect(messagesOf(max)).toEqual([expect.objectContaining({ text: 'Нет света', attachments: [] })]);
      const ok = receive(
        okConnector,
        { message: { mid: 'mid:1', text: 'Мусор', attachments: [attachment] }, timestamp: 1795742100000 },
        { source: source('OK'), query: { secret: 'secret' } },
      );
      expect(messagesOf(ok)).toEqual([expect.objectContaining({ text: 'Мусор', attachments: [] })]);
    });
  });

  describe('Telegram: nested objects of another shape read as absent', () => {
    const headers = { 'x-telegram-bot-api-secret-token': 'secret' };
    const message = {
      message_id: 3,
      date: 1795742100,
      chat: { id: -100, type: 'supergroup' },
      from: { id: 5, is_bot: false },
      text: 'Комментарий',
    };

    it('a reply to a channel post whose forward_origin lacks its chat', () => {
      const verdict = receive(
        telegramConnector,
        {
          update_id: 3,
          message: {
            ...message,
            reply_to_message: { message_id: 2, is_automatic_forward: true, forward_origin: { type: 'channel' } },
          },
        },
        { source: source('TELEGRAM'), headers },
      );
      expect(messagesOf(verdict)).toEqual([expect.objectContaining({ text: 'Комментарий', threadId: '-100_2' })]);
    });

    it('photo sizes among which some are not objects', () => {
      const verdict = receive(
        telegramConnector,
        {
          update_id: 4,
          message: {
            ...message,
            photo: [{ file_id: 'small', width: 1, height: 1 }, null, 7, { file_id: 'big', width: 9, height: 9 }],
          },
        },
        { source: source('TELEGRAM'), headers },
      );
      expect(messagesOf(verdict)[0].attachments).toEqual([{ type: 'PHOTO', url: 'tg-file:big' }]);
    });
  });
});
