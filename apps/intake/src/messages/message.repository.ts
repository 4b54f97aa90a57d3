import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@otklik/persistence';
import { MessageVersionEntity } from './message-version.entity';
import { MessageEntity, StoredAttachment, StoredScreening } from './message.entity';

export type NewMessage = Omit<MessageEntity, 'receivedAt' | 'editedAt' | 'deletedAt' | 'deletedBy'>;

/** What an edit or a deletion needs of the stored message, read under a row lock. */
export type MessageForChange = Pick<
  MessageEntity,
  'id' | 'organizationId' | 'platform' | 'text' | 'attachments' | 'deletedAt'
>;

@Injectable()
export class MessageRepository {
  constructor(private readonly uow: UnitOfWork) {}

  /**
   * Stores the message unless its source already delivered the same external id; returns
   * when it was received, or null for a duplicate. A concurrent duplicate waits on the unique
   * key and then sees the committed row, so exactly one of them is new.
   */
  async insertIfNew(message: NewMessage): Promise<{ receivedAt: Date } | null> {
    const rows = await this.uow.manager.query<Array<{ received_at: Date }>>(
      `insert into intake.messages
         (id, organization_id, source_id, external_id, platform, url, text, posted_at,
          author, thread_id, attachments, raw, correlation_id, screening, criticality)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       on conflict (source_id, external_id) do nothing
       returning received_at`,
      [
        message.id,
        message.organizationId,
        message.sourceId,
        message.externalId,
        message.platform,
        message.url,
        message.text,
        message.postedAt,
        message.author === null ? null : JSON.stringify(message.author),
        message.threadId,
        JSON.stringify(message.attachments),
        JSON.stringify(message.raw),
        message.correlationId,
        message.screening === null ? null : JSON.stringify(message.screening),
        message.criticality === null ? null : JSON.stringify(message.criticality),
      ],
    );
    return rows.length > 0 ? { receivedAt: rows[0].received_at } : null;
  }

  async findIdByExternalId(sourceId: string, externalId: string): Promise<string | null> {
    const found = await this.uow.manager.findOne(MessageEntity, {
      select: { id: true },
      where: { sourceId, externalId },
    });
    return found?.id ?? null;
  }

  /**
   * The message a source delivered under this external id, locked until the transaction ends,
   * so that two changes of one message are applied one after the other.
   */
  findForChange(sourceId: string, externalId: string): Promise<MessageForChange | null> {
    return this.uow.manager
      .createQueryBuilder(MessageEntity, 'm')
      .select(['m.id', 'm.organizationId', 'm.platform', 'm.text', 'm.attachments', 'm.deletedAt'])
      .where('m.sourceId = :sourceId and m.externalId = :externalId', { sourceId, externalId })
      .setLock('pessimistic_write')
      .getOne();
  }

  /** Keeps the version being replaced as the next one of its history; returns how many there are now. */
  async appendVersion(message: MessageForChange, replacedAt: Date): Promise<number> {
    const rows = await this.uow.manager.query<Array<{ version: number }>>(
      `insert into intake.message_versions (message_id, version, organization_id, text, attachments, replaced_at)
       select $1, coalesce(max(version), 0) + 1, $2, $3, $4, $5
         from intake.message_versions where message_id = $1
       returning version`,
      [message.id, message.organizationId, message.text, JSON.stringify(message.attachments), replacedAt],
    );
    return rows[0].version;
  }

  async replaceContent(
    id: string,
    content: { text: string; attachments: StoredAttachment[]; screening: StoredScreening; editedAt: Date },
  ): Promise<void> {
    await this.uow.manager.query(
      'update intake.messages set text = $2, attachments = $3, screening = $4, edited_at = $5 where id = $1',
      [id, content.text, JSON.stringify(content.attachments), JSON.stringify(content.screening), content.editedAt],
    );
  }

  async markDeleted(id: string, deletedAt: Date, deletedBy: string | null): Promise<void> {
    await this.uow.manager.query('update intake.messages set deleted_at = $2, deleted_by = $3 where id = $1', [
      id,
      deletedAt,
      deletedBy,
    ]);
  }

  /** The earlier versions of these messages, oldest first within each. */
  findVersions(messageIds: readonly string[]): Promise<MessageVersionEntity[]> {
    return this.uow.manager
      .createQueryBuilder(MessageVersionEntity, 'v')
      .where('v.messageId = any(:ids)', { ids: [...messageIds] })
      .orderBy('v.messageId')
      .addOrderBy('v.version')
      .getMany();
  }

  /** One query for a batch of ids (rows come in any order; missing or invisible ids are absent). */
  findByIds(ids: readonly string[]): Promise<MessageEntity[]> {
    return this.uow.manager
      .createQueryBuilder(MessageEntity, 'm')
      .where('m.id = any(:ids)', { ids: [...ids] })
      .getMany();
  }
}
