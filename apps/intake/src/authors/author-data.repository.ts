import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@otklik/persistence';
import { MessageVersionEntity } from '../messages/message-version.entity';
import { MessageEntity } from '../messages/message.entity';
import type { AuthorKey } from './author-data.rules';
import { ErasureRequestEntity } from './erasure-request.entity';

/** A row of an import's report that stored one of the messages. */
export interface ImportRowOfMessage {
  importId: string;
  fileName: string;
  importedAt: Date;
  row: number;
  messageId: string;
}

/** What replaces one message's identifying fields: a random author marker and external id, unlinkable. */
export interface MessageErasure {
  id: string;
  authorMarker: string;
  externalId: string;
}

@Injectable()
export class AuthorDataRepository {
  constructor(private readonly uow: UnitOfWork) {}

  /**
   * The author's messages in these organisations, oldest first (index messages_by_author).
   * `lock`: held until the transaction ends, so an edit arriving meanwhile waits for the erasure
   * and then no longer finds the message by its old external id.
   */
  findMessages(author: AuthorKey, organizationIds: readonly string[], lock: boolean): Promise<MessageEntity[]> {
    const query = this.uow.manager
      .createQueryBuilder(MessageEntity, 'm')
      .where('m.platform = :platform', { platform: author.platform })
      .andWhere(`(m.author ->> 'id') = :authorId`, { authorId: author.authorId })
      .andWhere('m.organizationId = any(:organizationIds)', { organizationIds: [...organizationIds] })
      .orderBy('m.receivedAt')
      .addOrderBy('m.id');
    return (lock ? query.setLock('pessimistic_write') : query).getMany();
  }

  findVersions(messageIds: readonly string[]): Promise<MessageVersionEntity[]> {
    return this.uow.manager
      .createQueryBuilder(MessageVersionEntity, 'v')
      .where('v.messageId = any(:ids)', { ids: [...messageIds] })
      .orderBy('v.messageId')
      .addOrderBy('v.version')
      .getMany();
  }

  /** The rows of imported files that stored these messages. */
  async importRowsOf(messageIds: readonly string[]): Promise<ImportRowOfMessage[]> {
    const rows = await this.uow.manager.query<
      Array<{ id: string; file_name: string; imported_at: Date; row: number; message_id: string }>
    >(
      `select i.id, i.file_name, i.imported_at, r."row", r."messageId" as message_id
         from intake.message_imports i
        cross join lateral jsonb_to_recordset(i.report) as r("row" integer, "messageId" text)
        where r."messageId" = any($1::text[])
        order by i.imported_at, i.id, r."row"`,
      [messageIds],
    );
    return rows.map((r) => ({
      importId: r.id,
      fileName: r.file_name,
      importedAt: r.imported_at,
      row: r.row,
      messageId: r.message_id,
    }));
  }

  /**
   * Replaces everything of these messages that tells of their author or what they wrote: the
   * text, author, addresses, attachments, the body as received, who deleted it, and
   * the spans of text that screening and criticality kept as evidence (their verdicts stay).
   */
  async eraseMessages(erasures: readonly MessageErasure[], erasedText: string): Promise<number> {
    // In a CTE: TypeORM answers a bare UPDATE with [rows, count] rather than the rows.
    const [{ n }] = await this.uow.manager.query<Array<{ n: number }>>(
      `with erased as (
         update intake.messages m set
            text = $4,
            author = jsonb_build_object('id', e.author_marker),
            url = null,
            external_id = e.external_id,
            thread_id = null,
            attachments = '[]'::jsonb,
            raw = null,
            deleted_by = null,
            screening = case when m.screening is null then null
                             else jsonb_set(m.screening, '{evidence}', '[]'::jsonb) end,
            criticality = case when m.criticality is null then null
                               else jsonb_set(m.criticality, '{signals}', coalesce(
                                 (select jsonb_agg(jsonb_build_object('kind', s -> 'kind', 'evidence', ''))
                                    from jsonb_array_elements(m.criticality -> 'signals') s), '[]'::jsonb)) end
           from unnest($1::uuid[], $2::text[], $3::text[]) as e(id, author_marker, external_id)
          where m.id = e.id
          returning m.id)
       select count(*)::int as n from erased`,
      [erasures.map((e) => e.id), erasures.map((e) => e.authorMarker), erasures.map((e) => e.externalId), erasedText],
    );
    return n;
  }

  /**
   * The replaced versions of these messages: texts and attachments go, the dates stay. The table's
   * trigger lets nothing else through: versions are never rewritten, only erased.
   */
  async eraseVersions(messageIds: readonly string[], erasedText: string): Promise<number> {
    // In a CTE: TypeORM answers a bare UPDATE with [rows, count] rather than the rows.
    const [{ n }] = await this.uow.manager.query<Array<{ n: number }>>(
      `with erased as (
         update intake.message_versions set text = $2, attachments = '[]'::jsonb
          where message_id = any($1::uuid[])
          returning message_id)
       select count(*)::int as n from erased`,
      [messageIds, erasedText],
    );
    return n;
  }

  async insertErasure(record: ErasureRequestEntity): Promise<void> {
    await this.uow.manager.insert(ErasureRequestEntity, record);
  }
}
