import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { UnitOfWork } from '@otklik/persistence';
import { TelegramLinkCodeEntity, TelegramLinkEntity } from './telegram-link.entity';

/** All persistence of Telegram links and their one-time codes; runs inside the caller's UnitOfWork. */
@Injectable()
export class TelegramLinkRepository {
  constructor(private readonly uow: UnitOfWork) {}

  /** Each linked user's chat id. */
  async chatsOf(userIds: readonly string[]): Promise<Map<string, string>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.uow.manager.find(TelegramLinkEntity, { where: { userId: In([...userIds]) } });
    return new Map(rows.map((r) => [r.userId, String(r.chatId)]));
  }

  linkOf(userId: string): Promise<TelegramLinkEntity | null> {
    return this.uow.manager.findOneBy(TelegramLinkEntity, { userId });
  }

  /** A user's new code replaces their earlier ones; codes expired a day ago go too. */
  async replaceCode(code: TelegramLinkCodeEntity): Promise<void> {
    await this.uow.manager.query(
      `delete from notify.telegram_link_codes where user_id = $1 or expires_at < $2::timestamptz - interval '1 day'`,
      [code.userId, code.createdAt],
    );
    await this.uow.manager.insert(TelegramLinkCodeEntity, code);
  }

  /** Spends a code that is unused and unexpired at `now`; returns its user, or undefined. Once only, whoever asks. */
  async spendCode(codeHash: string, now: Date): Promise<string | undefined> {
    // TypeORM answers an UPDATE with [rows, count].
    const [rows] = await this.uow.manager.query<[Array<{ user_id: string }>, number]>(
      `update notify.telegram_link_codes set used_at = $2
        where code_hash = $1 and used_at is null and expires_at > $2
        returning user_id`,
      [codeHash, now],
    );
    return rows[0]?.user_id;
  }

  /** Links (or re-links) a user's notifications to a chat. */
  async link(userId: string, chatId: string, at: Date): Promise<void> {
    await this.uow.manager.query(
      `insert into notify.telegram_links (user_id, chat_id, linked_at) values ($1, $2, $3)
       on conflict (user_id) do update set chat_id = excluded.chat_id, linked_at = excluded.linked_at`,
      [userId, chatId, at],
    );
  }

  /** Returns whether there was a link. */
  async unlink(userId: string): Promise<boolean> {
    const result = await this.uow.manager.delete(TelegramLinkEntity, { userId });
    return (result.affected ?? 0) > 0;
  }
}
