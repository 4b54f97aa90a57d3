import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@otklik/persistence';
import { MessageEntity } from './message.entity';

export type NewMessage = Omit<MessageEntity, 'receivedAt'>;

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
          author, thread_id, attachments, raw, correlation_id, screening)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
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

  /** One query for a batch of ids (rows come in any order; missing or invisible ids are absent). */
  findByIds(ids: readonly string[]): Promise<MessageEntity[]> {
    return this.uow.manager
      .createQueryBuilder(MessageEntity, 'm')
      .where('m.id = any(:ids)', { ids: [...ids] })
      .getMany();
  }
}
