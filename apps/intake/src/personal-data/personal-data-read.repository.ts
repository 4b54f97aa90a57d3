import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@otklik/persistence';
import { PersonalDataReadEntity } from './personal-data-read.entity';
import type { PersonalDataField, ReadsCursor } from './personal-data.rules';

/** The reads of one request, written together. */
export interface NewPersonalDataReads {
  requestId: string;
  correlationId: string;
  viewerUserId: string;
  viewerLogin: string;
  /** Milliseconds, as cursors carry them. */
  at: Date;
  reads: Array<{ id: string; organizationId: string; messageId: string; fields: PersonalDataField[] }>;
}

/** Which reads a coordinator asks for: of one message, or of one author's messages on a platform. */
export type ReadsFilter =
  | { messageId: string; authorId?: undefined; platform?: undefined }
  | { messageId?: undefined; authorId: string; platform: string };

interface ReadRow {
  id: string;
  organization_id: string;
  message_id: string;
  case_id: string | null;
  viewer_user_id: string;
  viewer_login: string;
  at: Date;
  request_id: string;
  correlation_id: string;
  fields: PersonalDataField[];
}

@Injectable()
export class PersonalDataReadRepository {
  constructor(private readonly uow: UnitOfWork) {}

  /**
   * One statement for every message of a request's batch. A row of the same request, message and
   * fields already there is left as it is (ON CONFLICT DO NOTHING): the log is append-only.
   */
  async insertMany(batch: NewPersonalDataReads): Promise<void> {
    await this.uow.manager.query(
      `insert into intake.personal_data_reads
         (id, organization_id, message_id, viewer_user_id, viewer_login, at, request_id, correlation_id, fields)
       select r.id, r.organization_id, r.message_id, $1, $2, $3, $4, $5, r.fields
         from jsonb_to_recordset($6::jsonb) as r(id uuid, organization_id uuid, message_id uuid, fields text[])
       on conflict (request_id, message_id, fields) do nothing`,
      [
        batch.viewerUserId,
        batch.viewerLogin,
        batch.at,
        batch.requestId,
        batch.correlationId,
        JSON.stringify(
          batch.reads.map((r) => ({
            id: r.id,
            organization_id: r.organizationId,
            message_id: r.messageId,
            fields: r.fields,
          })),
        ),
      ],
    );
  }

  /**
   * Up to `limit` reads in these organisations, newest first, after `after`. By author: the
   * messages whose stored author has this id on this platform (the index messages_by_author).
   */
  async list(
    organizationIds: readonly string[],
    filter: ReadsFilter,
    after: ReadsCursor | undefined,
    limit: number,
  ): Promise<PersonalDataReadEntity[]> {
    const params: unknown[] = [[...organizationIds], limit];
    const where = ['r.organization_id = any($1::uuid[])'];
    if (filter.messageId !== undefined) {
      params.push(filter.messageId);
      where.push(`r.message_id = $${params.length}`);
    } else {
      params.push(filter.platform, filter.authorId);
      where.push(
        `r.message_id in (select m.id from intake.messages m
                           where m.platform = $${params.length - 1} and m.author ->> 'id' = $${params.length}
                             and m.organization_id = any($1::uuid[]))`,
      );
    }
    if (after) {
      params.push(after.at, after.id);
      where.push(`(r.at, r.id) < ($${params.length - 1}, $${params.length})`);
    }
    const rows = await this.uow.manager.query<ReadRow[]>(
      `select r.* from intake.personal_data_reads r
        where ${where.join(' and ')}
        order by r.at desc, r.id desc
        limit $2`,
      params,
    );
    return rows.map((r) => ({
      id: r.id,
      organizationId: r.organization_id,
      messageId: r.message_id,
      caseId: r.case_id,
      viewerUserId: r.viewer_user_id,
      viewerLogin: r.viewer_login,
      at: r.at,
      requestId: r.request_id,
      correlationId: r.correlation_id,
      fields: r.fields,
    }));
  }
}
