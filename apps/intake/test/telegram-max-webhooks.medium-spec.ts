import { randomInt } from 'node:crypto';
import type { Chat, Message, Update, User } from '@grammyjs/types';
import { demoOrganization } from '@otklik/demo';
import { errorOf, IntakeUnderTest } from './intake.harness';

// Medium (STYLE.md §13): the real intake app on a fresh database with the demo seed, the real
// NATS, over real HTTP — Telegram's Bot API webhook (the demo bot `demo-telegram`) and MAX's bot
// API webhook, with Updates written as the platforms document them
// (core.telegram.org/bots/api#update, dev.max.ru/docs-api/objects/Update).

const KALMANSKY = demoOrganization('kalmansky').id;
const MAX_SECRET = 'max-webhook_secret';

// Telegram's side: a citizen, the administration's channel and its discussion group.
const citizen: User = { id: 4242, is_bot: false, first_name: 'Иван', last_name: 'Петров', username: 'ivan_p' };
const privateChat: Chat.PrivateChat = { id: 4242, type: 'private', first_name: 'Иван', username: 'ivan_p' };
const channel: Chat.ChannelChat = {
  id: -1001000000001,
  type: 'channel',
  title: 'Администрация',
  username: 'kalmansky_adm',
};
const discussion: Chat.SupergroupChat = { id: -1001000000002, type: 'supergroup', title: 'Обсуждение' };
const DATE = 1795053600; // 2026-11-19T02:00:00Z

describe('platform webhooks: Telegram and MAX on the real PostgreSQL and NATS (cl. 2)', () => {
  let intake: IntakeUnderTest;
  /** Update ids and message ids of their own for each test. */
  const newId = () => randomInt(1_000, 1_000_000_000);

  const stored = (sourceId: string, externalId: string) =>
    intake.sql<{
      id: string;
      organization_id: string;
      platform: string;
      text: string;
      url: string | null;
      thread_id: string | null;
      author: unknown;
      attachments: unknown;
      posted_at: Date;
      edited_at: Date | null;
      deleted_at: Date | null;
      deleted_by: string | null;
    }>(
      `select id, organization_id, platform, text, url, thread_id, author, attachments, posted_at, edited_at,
              deleted_at, deleted_by
         from intake.messages where source_id = $1 and external_id = $2`,
      [sourceId, externalId],
    );
  const versions = (messageId: string) =>
    intake.sql<{ version: number; text: string }>(
      'select version, text from intake.message_versions where message_id = $1 order by version',
      [messageId],
    );
  const deliveries = (sourceId: string, deliveryId: string) =>
    intake.sql<{ event_type: string; outcome: Record<string, unknown> }>(
      'select event_type, outcome from intake.deliveries where source_id = $1 and delivery_id = $2',
      [sourceId, deliveryId],
    );

  beforeAll(async () => {
    intake = await IntakeUnderTest.start('intake_telegram_max');
    // A MAX bot of the district, stored as intake stores sources: its webhook secret sealed.
    await intake.insertSource({
      id: 'max-bot',
      organizationId: KALMANSKY,
      platform: 'MAX',
      kind: 'MAX_BOT',
      name: 'Бот администрации в MAX',
      secret: MAX_SECRET,
    });
  }, 60_000);

  afterAll(async () => {
    await intake?.stop();
  });

  describe('Telegram: /webhooks/telegram/demo-telegram', () => {
    const telegram = (update: Update, secret = 'demo-tg-secret') =>
      intake.webhook('telegram/demo-telegram', {
        body: update,
        headers: { 'x-telegram-bot-api-secret-token': secret },
      });
    const fromCitizen = (messageId: number, fields: Partial<Message> = {}) =>
      ({ message_id: messageId, from: citizen, chat: privateChat, date: DATE, ...fields }) as Message &
        Update.NonChannel;

    it('a message to the bot: 200 once stored, and announced on NATS with message.accepted', async () => {
      const updateId = newId();
      const messageId = newId();
      const message = fromCitizen(messageId, {
        caption: 'Яма на ул. Ленина у дома 5',
        photo: [
          { file_id: 'AgAD-small', file_unique_id: 'a', width: 90, height: 67 },
          { file_id: 'AgAD-large', file_unique_id: 'b', width: 1280, height: 960 },
        ],
      });
      const answer = await telegram({ update_id: updateId, message });
      expect(answer).toMatchObject({ status: 200, text: 'ok' });

      const [row] = await stored('demo-telegram', `4242_${messageId}`);
      expect(row).toMatchObject({
        organization_id: KALMANSKY,
        platform: 'TELEGRAM',
        text: 'Яма на ул. Ленина у дома 5',
        url: null,
        thread_id: '4242',
        author: { id: 'tg4242', name: 'Иван Петров', url: 'https://t.me/ivan_p' },
        attachments: [{ type: 'PHOTO', url: 'tg-file:AgAD-large' }],
        posted_at: new Date('2026-11-19T02:00:00Z'),
      });
      // The bot token opens files; it is in no stored URL.
      expect(JSON.stringify(row)).not.toContain('demo-telegram-token');

      const [accepted] = await intake.events.waitFor(row.id, 'message.accepted');
      expect(accepted.subject).toBe(`${intake.prefix}.${KALMANSKY}.message.accepted.v1`);
      expect(accepted.envelope.data).toMatchObject({
        sourceId: 'demo-telegram',
        platform: 'TELEGRAM',
        externalId: `4242_${messageId}`,
        threadId: '4242',
      });
      expect(await deliveries('demo-telegram', String(updateId))).toEqual([
        { event_type: 'message', outcome: expect.objectContaining({ accepted: 1 }) },
      ]);
    });

    it('a wrong secret token: 401 { error }, and nothing is stored', async () => {
      const updateId = newId();
      const messageId = newId();
      const answer = await telegram(
        { update_id: updateId, message: fromCitizen(messageId, { text: 'Подделка' }) },
        'guess',
      );
      expect(answer.status).toBe(401);
      expect(errorOf(answer)).toBe(
        "X-Telegram-Bot-Api-Secret-Token is not source demo-telegram's webhook secret token",
      );
      expect(await stored('demo-telegram', `4242_${messageId}`)).toEqual([]);
      expect(await deliveries('demo-telegram', String(updateId))).toEqual([]);
    });

    it('the same update_id again (Telegram retries): 200 each time, stored once, announced once', async () => {
      const update: Update = { update_id: newId(), message: fromCitizen(newId(), { text: 'Нет света на Лесной' }) };
      const answers = await Promise.all([telegram(update), telegram(update), telegram(update)]);
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
      const rows = await stored('demo-telegram', `4242_${update.message?.message_id}`);
      expect(rows).toHaveLength(1);
      expect(await deliveries('demo-telegram', String(update.update_id))).toHaveLength(1);
      await intake.events.waitFor(rows[0].id, 'message.accepted');
      // A later message's event arrives after this one's would have: still one for this message.
      const later: Update = { update_id: newId(), message: fromCitizen(newId(), { text: 'И воды нет' }) };
      await telegram(later);
      const [laterRow] = await stored('demo-telegram', `4242_${later.message?.message_id}`);
      await intake.events.waitFor(laterRow.id, 'message.accepted');
      expect(intake.events.of(rows[0].id, 'message.accepted')).toHaveLength(1);
    });

    it('edited_message: the new text replaces the old, which is kept in the history', async () => {
      const messageId = newId();
      await telegram({ update_id: newId(), message: fromCitizen(messageId, { text: 'Нет воды' }) });
      const edited = { ...fromCitizen(messageId, { text: 'Нет воды третий день' }), edit_date: DATE + 120 };
      expect(await telegram({ update_id: newId(), edited_message: edited })).toMatchObject({ status: 200 });

      const [row] = await stored('demo-telegram', `4242_${messageId}`);
      expect(row).toMatchObject({ text: 'Нет воды третий день', edited_at: new Date('2026-11-19T02:02:00Z') });
      expect(await versions(row.id)).toEqual([{ version: 1, text: 'Нет воды' }]);
      const [event] = await intake.events.waitFor(row.id, 'message.edited');
      expect(event.envelope.data).toMatchObject({ text: 'Нет воды третий день', previousVersions: 1 });
    });

    it("a comment in the discussion group is threaded to the channel post; the post's copy is not a message", async () => {
      const postId = newId();
      const copyId = newId();
      const copy = {
        message_id: copyId,
        from: { id: 777000, is_bot: false, first_name: 'Telegram' },
        sender_chat: channel,
        chat: discussion,
        date: DATE - 60,
        is_automatic_forward: true,
        forward_origin: { type: 'channel', chat: channel, message_id: postId, date: DATE - 61 },
        text: 'График вывоза мусора на декабрь',
      } as Message & Update.NonChannel;
      const copyUpdate = newId();
      expect(await telegram({ update_id: copyUpdate, message: copy })).toMatchObject({ status: 200 });
      expect(await stored('demo-telegram', `${discussion.id}_${copyId}`)).toEqual([]);
      expect(await deliveries('demo-telegram', String(copyUpdate))).toEqual([
        {
          event_type: 'message',
          outcome: expect.objectContaining({
            accepted: 0,
            ignored: expect.stringMatching(/copied into its discussion group/),
          }),
        },
      ]);

      const commentId = newId();
      const comment = {
        message_id: commentId,
        message_thread_id: copyId,
        from: citizen,
        chat: discussion,
        date: DATE,
        reply_to_message: copy,
        text: 'А в Шадрино когда вывезут?',
      } as Message & Update.NonChannel;
      expect(await telegram({ update_id: newId(), message: comment })).toMatchObject({ status: 200 });
      const [row] = await stored('demo-telegram', `${discussion.id}_${commentId}`);
      expect(row).toMatchObject({
        text: 'А в Шадрино когда вывезут?',
        thread_id: `${discussion.id}_${copyId}`,
        url: `https://t.me/kalmansky_adm/${postId}?comment=${commentId}`,
      });
      const [accepted] = await intake.events.waitFor(row.id, 'message.accepted');
      expect(accepted.envelope.data).toMatchObject({ threadId: `${discussion.id}_${copyId}` });
    });
  });

  describe('MAX: /webhooks/max/max-bot', () => {
    const max = (update: unknown, secret = MAX_SECRET) =>
      intake.webhook('max/max-bot', { body: update, headers: { 'x-max-bot-api-secret': secret } });
    const sender = { user_id: 5550001, first_name: 'Мария', last_name: 'Иванова', username: 'maria_i', is_bot: false };
    const dialog = { chat_id: 182000182, chat_type: 'dialog', user_id: 229000229 };
    const messageUpdate = (type: string, mid: string, text: string, timestamp: number) => ({
      update_type: type,
      timestamp,
      message: { sender, recipient: dialog, timestamp: 1795053600000, body: { mid, seq: 1, text } },
    });

    it('message_created, message_edited, message_removed: stored, the old text kept, marked deleted', async () => {
      const mid = `mid.${newId().toString(16)}`;
      const created = messageUpdate('message_created', mid, 'Не работает фонарь на Садовой', 1795053600150);
      expect(await max(created)).toMatchObject({ status: 200, text: 'ok' });
      const [row] = await stored('max-bot', mid);
      expect(row).toMatchObject({
        organization_id: KALMANSKY,
        platform: 'MAX',
        text: 'Не работает фонарь на Садовой',
        thread_id: '182000182',
        author: { id: 'max5550001', name: 'Мария Иванова', url: 'https://max.ru/maria_i' },
        posted_at: new Date('2026-11-19T02:00:00Z'),
      });
      await intake.events.waitFor(row.id, 'message.accepted');
      expect(await deliveries('max-bot', `message_created:${mid}:1795053600150`)).toEqual([
        { event_type: 'message_created', outcome: expect.objectContaining({ accepted: 1 }) },
      ]);
      // MAX retries until it gets 200: the same update again is the same delivery.
      expect(await max(created)).toMatchObject({ status: 200 });
      expect(await stored('max-bot', mid)).toHaveLength(1);

      const edited = messageUpdate('message_edited', mid, 'Не работает фонарь на Садовой, 12', 1795053660000);
      expect(await max(edited)).toMatchObject({ status: 200 });
      const [afterEdit] = await stored('max-bot', mid);
      expect(afterEdit).toMatchObject({
        text: 'Не работает фонарь на Садовой, 12',
        edited_at: new Date('2026-11-19T02:01:00Z'),
      });
      expect(await versions(row.id)).toEqual([{ version: 1, text: 'Не работает фонарь на Садовой' }]);

      const removed = {
        update_type: 'message_removed',
        timestamp: 1795053720000,
        message_id: mid,
        chat_id: 182000182,
        user_id: 5550001,
      };
      expect(await max(removed)).toMatchObject({ status: 200 });
      const [afterRemoval] = await stored('max-bot', mid);
      expect(afterRemoval).toMatchObject({
        text: 'Не работает фонарь на Садовой, 12',
        deleted_at: new Date('2026-11-19T02:02:00Z'),
        deleted_by: 'max5550001',
      });
      await intake.events.waitFor(row.id, 'message.deleted');
    });

    it('a wrong secret: 401 { error }, and nothing is stored', async () => {
      const mid = `mid.${newId().toString(16)}`;
      const answer = await max(messageUpdate('message_created', mid, 'Подделка', 1795053600000), 'guessed-secret');
      expect(answer.status).toBe(401);
      expect(errorOf(answer)).toBe("X-Max-Bot-Api-Secret is not source max-bot's webhook secret");
      expect(await stored('max-bot', mid)).toEqual([]);
      expect(await deliveries('max-bot', `message_created:${mid}:1795053600000`)).toEqual([]);
    });
  });
});
