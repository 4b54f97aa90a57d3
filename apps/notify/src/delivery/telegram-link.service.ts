import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Update } from '@grammyjs/types';
import type { Viewer } from '@otklik/auth';
import { UnitOfWork } from '@otklik/persistence';
import { DELIVERY_CONFIG, DeliveryConfig, StaffBotSettings } from './delivery.config';
import { DeliveryException } from './delivery.exception';
import { TelegramLinkCodeEntity, TelegramLinkEntity } from './telegram-link.entity';
import { TelegramLinkRepository } from './telegram-link.repository';

/** How long a link code may wait to be sent to the bot. */
export const LINK_CODE_TTL_MS = 15 * 60 * 1000;

/** A one-time code and the deep link that sends it to the bot (`/start <code>`). */
export interface LinkCode {
  code: string;
  link: string;
  expiresAt: Date;
}

/** What the bot answers in the chat an update came from. */
export interface BotReply {
  chatId: number;
  text: string;
}

/** `/start`, `/start <code>`, `/start@bot <code>`: a deep link's payload is 1–64 of A-Z a-z 0-9 _ -. */
const START = /^\/start(?:@[A-Za-z0-9_]+)?(?:\s+([A-Za-z0-9_-]{1,64}))?\s*$/;

export const BOT_TEXT = {
  help:
    'Это бот уведомлений Отклика для сотрудников. Чтобы получать уведомления сюда, ' +
    'откройте ссылку «Привязать Telegram» в профиле Отклика.',
  privateOnly: 'Привязать аккаунт Отклика можно только в личном чате с ботом.',
  badCode: 'Код не подошёл: он неверен, уже использован или старше 15 минут. Получите новый в профиле Отклика.',
  linked: 'Готово: уведомления Отклика будут приходить в этот чат. Отвязать его можно в профиле Отклика.',
} as const;

const hashOf = (code: string): string => createHash('sha256').update(code, 'utf8').digest('hex');

/**
 * Linking a user's notifications to their Telegram chat with the staff bot: the user asks for a
 * one-time code (kept hashed, 15 minutes, once), opens the bot's deep link, and the bot's
 * webhook receives `/start <code>` from the chat to link.
 */
@Injectable()
export class TelegramLinkService {
  private readonly logger = new Logger(TelegramLinkService.name);

  constructor(
    @Inject(DELIVERY_CONFIG) private readonly config: DeliveryConfig,
    private readonly uow: UnitOfWork,
    private readonly links: TelegramLinkRepository,
  ) {}

  /** A fresh code for the viewer; the earlier ones stop working. */
  createCode(viewer: Viewer, now = new Date()): Promise<LinkCode> {
    const bot = this.bot();
    const code = randomBytes(12).toString('base64url');
    const expiresAt = new Date(now.getTime() + LINK_CODE_TTL_MS);
    return this.uow.run(async () => {
      await this.links.replaceCode(
        Object.assign(new TelegramLinkCodeEntity(), {
          codeHash: hashOf(code),
          userId: viewer.userId,
          expiresAt,
          usedAt: null,
          createdAt: now,
        }),
      );
      return { code, link: `https://t.me/${bot.username}?start=${code}`, expiresAt };
    });
  }

  linkOf(viewer: Viewer): Promise<TelegramLinkEntity | null> {
    return this.uow.run(() => this.links.linkOf(viewer.userId));
  }

  /** Returns whether the viewer had a chat linked. */
  unlink(viewer: Viewer): Promise<boolean> {
    return this.uow.run(() => this.links.unlink(viewer.userId));
  }

  /**
   * One update from the bot's webhook (already authenticated by its secret token): `/start
   * <code>` in a private chat links that chat; anything else in a chat gets a word on how to.
   * Updates without a message (edits, joins) are ignored.
   */
  async receive(update: Update, now = new Date()): Promise<BotReply | undefined> {
    const message = update?.message;
    if (!message || typeof message.chat?.id !== 'number') return undefined;
    const reply = (text: string): BotReply => ({ chatId: message.chat.id, text });
    const start = typeof message.text === 'string' ? START.exec(message.text.trim()) : null;
    const code = start?.[1];
    if (!code) return reply(BOT_TEXT.help);
    if (message.chat.type !== 'private') return reply(BOT_TEXT.privateOnly);
    const userId = await this.uow.run(async () => {
      const owner = await this.links.spendCode(hashOf(code), now);
      if (owner) await this.links.link(owner, String(message.chat.id), now);
      return owner;
    });
    if (!userId) return reply(BOT_TEXT.badCode);
    this.logger.log({ msg: `Telegram chat linked to user ${userId}`, userId });
    return reply(BOT_TEXT.linked);
  }

  private bot(): StaffBotSettings {
    if (!this.config.telegram) {
      throw new DeliveryException(
        'CONFLICT',
        'the staff Telegram bot is not set up on this server (NOTIFY_TELEGRAM_BOT_TOKEN); ask the administrator',
      );
    }
    return this.config.telegram;
  }
}
