import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The private chat with the staff bot where a user's notifications go. */
@Entity({ schema: 'notify', name: 'telegram_links' })
export class TelegramLinkEntity {
  @PrimaryColumn('uuid', { name: 'user_id' }) userId: string;
  /** Telegram's chat id (up to 52 bits: a bigint, read back as a string). */
  @Column('bigint', { name: 'chat_id' }) chatId: string;
  @Column('timestamptz', { name: 'linked_at' }) linkedAt: Date;
}

/** A one-time code that links the chat it is sent from to the user who asked for it; only its hash is kept. */
@Entity({ schema: 'notify', name: 'telegram_link_codes' })
export class TelegramLinkCodeEntity {
  /** SHA-256 of the code, hex. */
  @PrimaryColumn('text', { name: 'code_hash' }) codeHash: string;
  @Column('uuid', { name: 'user_id' }) userId: string;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt: Date;
  @Column('timestamptz', { name: 'used_at', nullable: true }) usedAt: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
}
