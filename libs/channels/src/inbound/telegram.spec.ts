import type { Chat, Message, Update, User } from '@grammyjs/types';
import { ConnectorSource, InboundRequest, InboundVerdict } from './connector';
import { telegramConnector } from './telegram';

// Updates written as the Bot API documents them (https://core.telegram.org/bots/api#update) and
// as @grammyjs/types declares them: a citizen, the administration's channel and its discussion group.
const SOURCE: ConnectorSource = {
  id: 'tg-source',
  platform: 'TELEGRAM',
  secrets: ['current-secret', 'previous-secret'],
  settings: {},
  credentials: { botToken: '123456:ABC-DEF' },
};
const NOW = new Date('2026-11-27T02:00:00Z');

const citizen: User = {
  id: 42,
  is_bot: false,
  first_name: 'Иван',
  last_name: 'Петров',
  username: 'ivan_p',
  language_code: 'ru',
};
const privateChat: Chat.PrivateChat = {
  id: 42,
  type: 'private',
  first_name: 'Иван',
  last_name: 'Петров',
  username: 'ivan_p',
};
const channel: Chat.ChannelChat = {
  id: -1001000000001,
  type: 'channel',
  title: 'Администрация Калманского района',
  username: 'kalmansky_adm',
};
const discussion: Chat.SupergroupChat = {
  id: -1001000000002,
  type: 'supergroup',
  title: 'Калманский район: обсуждение',
};
const publicGroup: Chat.SupergroupChat = {
  id: -1001000000003,
  type: 'supergroup',
  title: 'Калманка',
  username: 'kalmanka_chat',
};
/** Telegram's own account that posts the automatic copies of channel posts ("Telegram", id 777000). */
const telegramService: User = { id: 777000, is_bot: false, first_name: 'Telegram' };

const DATE = 1795053600; // 2026-11-19T02:00:00Z

function post(
  update: Update,
  headers: Record<string, string> = { 'x-telegram-bot-api-secret-token': 'current-secret' },
): InboundVerdict {
  const request: InboundRequest = {
    method: 'POST',
    headers,
    query: {},
    body: new TextEncoder().encode(JSON.stringify(update)),
  };
  return telegramConnector.receive(request, SOURCE, NOW);
}

function delivered(verdict: InboundVerdict) {
  if (verdict.kind !== 'DELIVERY') throw new Error(`expected a delivery, got ${JSON.stringify(verdict)}`);
  return verdict;
}

function privateMessage(fields: Partial<Message> = {}): Message & Update.NonChannel {
  return {
    message_id: 7,
    from: citizen,
    chat: privateChat,
    date: DATE,
    text: 'Когда починят дорогу на ул. Ленина?',
    ...fields,
  } as Message & Update.NonChannel;
}

/** The channel post 15, copied into the discussion group as message 300. */
const automaticCopy: Message & Update.NonChannel = {
  message_id: 300,
  from: telegramService,
  sender_chat: channel,
  chat: discussion,
  date: DATE - 60,
  is_automatic_forward: true,
  forward_origin: { type: 'channel', chat: channel, message_id: 15, date: DATE - 61 },
  text: 'График вывоза мусора на декабрь',
};

describe('Telegram Bot API webhook (cl. 2)', () => {
  describe('who may call it', () => {
    it('refuses a request without the secret token with 401', () => {
      const verdict = post({ update_id: 1, message: privateMessage() }, {});
      expect(verdict).toEqual(expect.objectContaining({ kind: 'REFUSE', status: 401 }));
    });

    it('refuses a wrong secret token with 401, naming the header', () => {
      const verdict = post({ update_id: 1, message: privateMessage() }, { 'x-telegram-bot-api-secret-token': 'guess' });
      expect(verdict).toEqual({
        kind: 'REFUSE',
        status: 401,
        reason: expect.stringContaining('X-Telegram-Bot-Api-Secret-Token'),
      });
    });

    it('accepts the previous secret token while a rotation overlaps', () => {
      const verdict = post(
        { update_id: 1, message: privateMessage() },
        { 'x-telegram-bot-api-secret-token': 'previous-secret' },
      );
      expect(verdict.kind).toBe('DELIVERY');
    });

    it('refuses a body that is not an Update with 400', () => {
      const request = (body: string): InboundRequest => ({
        method: 'POST',
        headers: { 'x-telegram-bot-api-secret-token': 'current-secret' },
        query: {},
        body: new TextEncoder().encode(body),
      });
      expect(telegramConnector.receive(request('not json'), SOURCE, NOW)).toEqual(
        expect.objectContaining({ status: 400 }),
      );
      expect(telegramConnector.receive(request('{"message":{}}'), SOURCE, NOW)).toEqual(
        expect.objectContaining({ status: 400, reason: expect.stringContaining('update_id') }),
      );
    });

    it('acknowledges an authentic update it cannot read, recording it as malformed (a refusal would be resent)', () => {
      const verdict = post({ update_id: 5, message: { text: 'no chat' } } as unknown as Update);
      expect(verdict).toEqual(
        expect.objectContaining({
          kind: 'DELIVERY',
          deliveryId: '5',
          events: [],
          ignored: 'message (malformed: message_id, date and chat are required)',
          reply: expect.objectContaining({ status: 200 }),
        }),
      );
      const deletions = { business_connection_id: 'BC', message_ids: [1] };
      expect(delivered(post({ update_id: 6, deleted_business_messages: deletions } as unknown as Update)).ignored).toBe(
        'deleted_business_messages (malformed: business_connection_id and chat are required)',
      );
    });

    it('serves POST only', () => {
      expect(telegramConnector.methods).toEqual(['POST']);
      const verdict = telegramConnector.receive(
        { method: 'GET', headers: {}, query: {}, body: new Uint8Array() },
        SOURCE,
        NOW,
      );
      expect(verdict).toEqual(expect.objectContaining({ kind: 'REFUSE', status: 400 }));
    });
  });

  describe('message: a citizen writes to the bot', () => {
    it('reads the text, the author, the time, and answers 200 whatever it read', () => {
      const verdict = delivered(post({ update_id: 10001, message: privateMessage() }));
      expect(verdict).toEqual({
        kind: 'DELIVERY',
        deliveryId: '10001',
        eventType: 'message',
        events: [
          {
            type: 'MESSAGE',
            message: {
              externalId: '42_7',
              platform: 'TELEGRAM',
              text: 'Когда починят дорогу на ул. Ленина?',
              postedAt: '2026-11-19T02:00:00.000Z',
              author: { id: 'tg42', name: 'Иван Петров', url: 'https://t.me/ivan_p' },
              threadId: '42',
              attachments: [],
            },
          },
        ],
        reply: expect.objectContaining({ status: 200 }),
      });
    });

    it('names an author without a username or last name by the first name only, with no link', () => {
      const from: User = { id: 43, is_bot: false, first_name: 'Мария' };
      const chat: Chat.PrivateChat = { id: 43, type: 'private', first_name: 'Мария' };
      const [event] = delivered(post({ update_id: 2, message: privateMessage({ from, chat }) })).events;
      expect(event).toEqual(
        expect.objectContaining({ message: expect.objectContaining({ author: { id: 'tg43', name: 'Мария' } }) }),
      );
    });

    it('keeps the largest size of a photo and its caption as the text, by file_id and never with the bot token', () => {
      const message = privateMessage({
        text: undefined,
        caption: 'Яма у школы №2',
        photo: [
          { file_id: 'AgAD-small', file_unique_id: 's', width: 90, height: 67, file_size: 1200 },
          { file_id: 'AgAD-large', file_unique_id: 'l', width: 1280, height: 960, file_size: 98000 },
          { file_id: 'AgAD-medium', file_unique_id: 'm', width: 320, height: 240, file_size: 15000 },
        ],
      });
      const [event] = delivered(post({ update_id: 3, message })).events;
      expect(event).toEqual(
        expect.objectContaining({
          message: expect.objectContaining({
            text: 'Яма у школы №2',
            attachments: [{ type: 'PHOTO', url: 'tg-file:AgAD-large' }],
          }),
        }),
      );
      expect(JSON.stringify(event)).not.toContain(SOURCE.credentials.botToken);
    });

    it.each([
      ['document', { document: { file_id: 'BQAD-doc', file_unique_id: 'd', file_name: 'жалоба.pdf' } }, 'DOCUMENT'],
      [
        'video',
        { video: { file_id: 'BAAD-video', file_unique_id: 'v', width: 640, height: 360, duration: 12 } },
        'VIDEO',
      ],
      ['video note', { video_note: { file_id: 'DQAD-note', file_unique_id: 'n', length: 240, duration: 9 } }, 'VIDEO'],
      [
        'voice',
        { voice: { file_id: 'AwAD-voice', file_unique_id: 'o', duration: 31, mime_type: 'audio/ogg' } },
        'AUDIO',
      ],
      ['audio', { audio: { file_id: 'CQAD-audio', file_unique_id: 'a', duration: 180 } }, 'AUDIO'],
    ] as const)('reads a %s without a caption as a message with an empty text and the file', (_, fields, type) => {
      const [event] = delivered(post({ update_id: 4, message: privateMessage({ text: undefined, ...fields }) })).events;
      const fileId = Object.values(fields)[0].file_id;
      expect(event).toEqual(
        expect.objectContaining({
          message: expect.objectContaining({ text: '', attachments: [{ type, url: `tg-file:${fileId}` }] }),
        }),
      );
    });

    it('keeps an animation once, not again as the document Telegram adds for backward compatibility', () => {
      const gif = { file_id: 'CgAD-gif', file_unique_id: 'g', width: 320, height: 240, duration: 3 };
      const message = privateMessage({
        text: undefined,
        caption: 'Вот так течёт',
        animation: gif,
        document: { file_id: 'CgAD-gif', file_unique_id: 'g' },
      });
      const [event] = delivered(post({ update_id: 5, message })).events;
      expect(event).toEqual(
        expect.objectContaining({
          message: expect.objectContaining({ attachments: [{ type: 'VIDEO', url: 'tg-file:CgAD-gif' }] }),
        }),
      );
    });
  });

  describe('edited_message: the author changes a message', () => {
    it('is an edit of the same externalId, posted when first written and edited at edit_date', () => {
      const edited = {
        ...privateMessage({ text: 'Когда починят дорогу на ул. Ленина, д. 5?' }),
        edit_date: DATE + 120,
      };
      const verdict = delivered(post({ update_id: 10002, edited_message: edited }));
      expect(verdict.eventType).toBe('edited_message');
      expect(verdict.events).toEqual([
        {
          type: 'EDIT',
          editedAt: '2026-11-19T02:02:00.000Z',
          message: expect.objectContaining({
            externalId: '42_7',
            text: 'Когда починят дорогу на ул. Ленина, д. 5?',
            postedAt: '2026-11-19T02:00:00.000Z',
          }),
        },
      ]);
    });
  });

  describe('the administration channel and its discussion group', () => {
    it('ignores channel_post and edited_channel_post: the channel is the administration speaking', () => {
      const channelPost = {
        message_id: 15,
        sender_chat: channel,
        chat: channel,
        date: DATE - 61,
        text: 'График вывоза мусора на декабрь',
      };
      for (const update of [
        { update_id: 20, channel_post: channelPost },
        { update_id: 21, edited_channel_post: { ...channelPost, edit_date: DATE } },
      ] satisfies Update[]) {
        const verdict = delivered(post(update));
        expect(verdict.events).toEqual([]);
        expect(verdict.ignored).toMatch(/channel_post: a post of the administration's own channel/);
      }
    });

    it("ignores the channel post's automatic copy in the discussion group", () => {
      const verdict = delivered(post({ update_id: 22, message: automaticCopy }));
      expect(verdict.events).toEqual([]);
      expect(verdict.ignored).toMatch(/copied into its discussion group/);
    });

    it('threads a comment to the channel post it answers, with a link to the comment under the post', () => {
      const comment = {
        message_id: 301,
        message_thread_id: 300,
        from: citizen,
        chat: discussion,
        date: DATE,
        reply_to_message: automaticCopy,
        text: 'А в Шадрино когда вывезут?',
      } as Message & Update.NonChannel;
      const [event] = delivered(post({ update_id: 23, message: comment })).events;
      expect(event).toEqual({
        type: 'MESSAGE',
        message: expect.objectContaining({
          externalId: '-1001000000002_301',
          threadId: '-1001000000002_300',
          url: 'https://t.me/kalmansky_adm/15?comment=301',
          author: { id: 'tg42', name: 'Иван Петров', url: 'https://t.me/ivan_p' },
        }),
      });
    });

    it('keeps a reply to another comment in the same thread as the post', () => {
      const first = {
        message_id: 301,
        message_thread_id: 300,
        from: citizen,
        chat: discussion,
        date: DATE,
        text: 'А в Шадрино?',
      };
      const neighbour: User = { id: 77, is_bot: false, first_name: 'Пётр' };
      const reply = {
        message_id: 305,
        message_thread_id: 300,
        from: neighbour,
        chat: discussion,
        date: DATE + 300,
        reply_to_message: first,
        text: 'И у нас на Садовой не вывозят',
      } as Message & Update.NonChannel;
      const [event] = delivered(post({ update_id: 24, message: reply })).events;
      expect(event).toEqual(
        expect.objectContaining({
          message: expect.objectContaining({ externalId: '-1001000000002_305', threadId: '-1001000000002_300' }),
        }),
      );
    });

    it('ignores what the channel or an anonymous administrator says in the discussion group', () => {
      const channelBot: User = { id: 136817688, is_bot: true, first_name: 'Channel', username: 'Channel_Bot' };
      const groupBot: User = { id: 1087968824, is_bot: true, first_name: 'Group', username: 'GroupAnonymousBot' };
      const asChannel = {
        message_id: 310,
        message_thread_id: 300,
        from: channelBot,
        sender_chat: channel,
        chat: discussion,
        date: DATE,
        text: 'Вывезем в четверг',
      };
      const asAdmin = {
        message_id: 311,
        from: groupBot,
        sender_chat: discussion,
        chat: discussion,
        date: DATE,
        text: 'Просьба не флудить',
      };
      expect(delivered(post({ update_id: 25, message: asChannel })).ignored).toMatch(
        /on behalf of the channel -1001000000001/,
      );
      expect(delivered(post({ update_id: 26, message: asAdmin })).ignored).toMatch(/anonymous administrator/);
    });
  });

  describe('groups', () => {
    it('links a message in a public group and names its thread by the first message', () => {
      const message = {
        message_id: 900,
        from: citizen,
        chat: publicGroup,
        date: DATE,
        text: 'Нет света на Лесной',
      } as Message & Update.NonChannel;
      const [event] = delivered(post({ update_id: 30, message })).events;
      expect(event).toEqual(
        expect.objectContaining({
          message: expect.objectContaining({ url: 'https://t.me/kalmanka_chat/900', threadId: '-1001000000003_900' }),
        }),
      );
    });

    it('puts a message of a forum topic in the topic', () => {
      const message = {
        message_id: 905,
        message_thread_id: 4,
        is_topic_message: true,
        from: citizen,
        chat: { ...publicGroup, is_forum: true },
        date: DATE,
        text: 'Дороги',
      } as Message & Update.NonChannel;
      const [event] = delivered(post({ update_id: 31, message })).events;
      expect(event).toEqual(
        expect.objectContaining({ message: expect.objectContaining({ threadId: '-1001000000003_4' }) }),
      );
    });
  });

  describe('what is not a citizen writing', () => {
    it('ignores a bot', () => {
      const bot: User = { id: 555, is_bot: true, first_name: 'Погода', username: 'weather_bot' };
      const verdict = delivered(post({ update_id: 40, message: { ...privateMessage(), from: bot } }));
      expect(verdict).toEqual(expect.objectContaining({ events: [], ignored: 'message: sent by a bot' }));
    });

    it.each([
      ['a member joined', { new_chat_members: [citizen] }],
      ['a message was pinned', { pinned_message: { message_id: 1, chat: publicGroup, date: 0 } }],
      [
        'a sticker',
        {
          sticker: {
            file_id: 'CAAD',
            file_unique_id: 'st',
            type: 'regular',
            width: 512,
            height: 512,
            is_animated: false,
            is_video: false,
          },
        },
      ],
    ] as const)('ignores a message without text, caption or file: %s', (_, fields) => {
      const message = { message_id: 50, from: citizen, chat: publicGroup, date: DATE, ...fields } as Message &
        Update.NonChannel;
      const verdict = delivered(post({ update_id: 41, message }));
      expect(verdict.events).toEqual([]);
      expect(verdict.ignored).toMatch(/^message: no text, caption or file/);
    });

    it('ignores the /start a citizen sends on opening the bot', () => {
      const message = privateMessage({ text: '/start', entities: [{ type: 'bot_command', offset: 0, length: 6 }] });
      expect(delivered(post({ update_id: 42, message })).ignored).toBe('message: the bot command /start');
    });

    it.each([
      ['callback_query', { callback_query: { id: '1', from: citizen, chat_instance: 'x', data: 'yes' } }],
      [
        'my_chat_member',
        {
          my_chat_member: {
            chat: publicGroup,
            from: citizen,
            date: DATE,
            old_chat_member: { status: 'left', user: citizen },
            new_chat_member: { status: 'member', user: citizen },
          },
        },
      ],
      [
        'message_reaction',
        {
          message_reaction: {
            chat: publicGroup,
            message_id: 900,
            date: DATE,
            old_reaction: [],
            new_reaction: [{ type: 'emoji', emoji: '👍' }],
          },
        },
      ],
      ['constructor', { constructor: {} }],
    ])('acknowledges %s and stores nothing, saying which it was', (type, fields) => {
      const verdict = delivered(post({ update_id: 43, ...fields } as Update));
      expect(verdict).toEqual(
        expect.objectContaining({
          deliveryId: '43',
          eventType: type,
          events: [],
          reply: expect.objectContaining({ status: 200 }),
        }),
      );
      expect(verdict.ignored).toMatch(new RegExp(`^${type}: `));
    });
  });

  describe('a business account connected to the bot', () => {
    const connection = 'BCx-1_a';

    it("reads a customer's message, keeping the connection in its ids", () => {
      const message = { ...privateMessage(), business_connection_id: connection } as Message & Update.Private;
      const [event] = delivered(post({ update_id: 60, business_message: message })).events;
      expect(event).toEqual({
        type: 'MESSAGE',
        message: expect.objectContaining({ externalId: 'business:BCx-1_a:42_7', threadId: 'business:BCx-1_a:42' }),
      });
    });

    it("ignores the account owner's own messages in the customer's chat", () => {
      const owner: User = { id: 9000, is_bot: false, first_name: 'Приёмная' };
      const message = {
        ...privateMessage({ text: 'Здравствуйте!' }),
        from: owner,
        business_connection_id: connection,
      } as Message & Update.Private;
      expect(delivered(post({ update_id: 61, business_message: message })).ignored).toMatch(/business account/);
    });

    it('marks deleted business messages as deleted, one event per message', () => {
      const verdict = delivered(
        post({
          update_id: 62,
          deleted_business_messages: { business_connection_id: connection, chat: privateChat, message_ids: [7, 8] },
        }),
      );
      expect(verdict.events).toEqual([
        { type: 'DELETE', externalId: 'business:BCx-1_a:42_7' },
        { type: 'DELETE', externalId: 'business:BCx-1_a:42_8' },
      ]);
    });
  });
});
