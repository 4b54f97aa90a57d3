import { Injectable } from '@nestjs/common';
import type { MessageAcceptedV1 } from '@otklik/contracts';
import { UnitOfWork } from '@otklik/persistence';
import type { UncasedCursor } from './uncased-message.rules';

/** A message kept without a case (workflow.uncased_messages), as the service reads it. */
export interface UncasedMessageRow {
  messageId: string;
  organizationId: string;
  sourceId: string;
  platform: string;
  receivedAt: Date;
  text: string;
  /** message.accepted as received. */
  message: MessageAcceptedV1;
  keptAt: Date;
  caseId: string | null;
  openedBy: string | null;
  openedAt: Date | null;
  openReason: string | null;
}

interface Row {
  message_id: string;
  organization_id: string;
  source_id: string;
  platform: string;
  received_at: Date;
  message_text: string;
  message: MessageAcceptedV1;
  kept_at: Date;
  case_id: string | null;
  opened_by: string | null;
  opened_at: Date | null;
  open_reason: string | null;
}

const COLUMNS = `message_id, organization_id, source_id, platform, received_at, message_text, message, kept_at,
  case_id, opened_by, opened_at, open_reason`;

const fromRow = (r: Row): UncasedMessageRow => ({
  messageId: r.message_id,
  organizationId: r.organization_id,
  sourceId: r.source_id,
  platform: r.platform,
  receivedAt: r.received_at,
  text: r.message_text,
  message: r.message,
  keptAt: r.kept_at,
  caseId: r.case_id,
  openedBy: r.opened_by,
  openedAt: r.opened_at,
  openReason: r.open_reason,
});

/**
 * Messages kept without a case. Plain SQL: the table has no entity, nothing else reads it. No
 * method filters by the caller's organisations beyond what it is given: row-level security does.
 */
@Injectable()
export class UncasedMessageRepository {
  constructor(private readonly uow: UnitOfWork) {}

  /** Keeps the message unless it is kept already (a redelivered event); true when inserted. */
  async insertIfNew(organizationId: string, message: MessageAcceptedV1, keptAt: Date): Promise<boolean> {
    const rows = await this.uow.manager.query<unknown[]>(
      `insert into workflow.uncased_messages
         (message_id, organization_id, source_id, platform, received_at, message_text, message, kept_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8)
       on conflict (message_id) do nothing
       returning message_id`,
      [
        message.messageId,
        organizationId,
        message.sourceId,
        message.platform,
        new Date(message.receivedAt),
        message.text,
        JSON.stringify(message),
        keptAt,
      ],
    );
    return rows.length > 0;
  }

  /** The kept message, locked until the transaction ends (two openings of one message queue up), or null. */
  async lockById(messageId: string): Promise<UncasedMessageRow | null> {
    const rows = await this.uow.manager.query<Row[]>(
      `select ${COLUMNS} from workflow.uncased_messages where message_id = $1 for update`,
      [messageId],
    );
    return rows.length > 0 ? fromRow(rows[0]) : null;
  }

  async markOpened(messageId: string, opened: { caseId: string; by: string; at: Date; reason: string }): Promise<void> {
    await this.uow.manager.query(
      `update workflow.uncased_messages set case_id = $2, opened_by = $3, opened_at = $4, open_reason = $5
        where message_id = $1`,
      [messageId, opened.caseId, opened.by, opened.at, opened.reason],
    );
  }

  /** Up to `limit` messages still without a case in these organisations, newest first, after `after`. */
  async findWaiting(
    organizationIds: readonly string[],
    after: UncasedCursor | undefined,
    limit: number,
  ): Promise<UncasedMessageRow[]> {
    const params: unknown[] = [[...organizationIds], limit];
    let position = '';
    if (after) {
      params.push(after.at, after.id);
      position = 'and (received_at, message_id) < ($3, $4)';
    }
    const rows = await this.uow.manager.query<Row[]>(
      `select ${COLUMNS} from workflow.uncased_messages
        where case_id is null and organization_id = any($1::uuid[]) ${position}
        order by received_at desc, message_id desc
        limit $2`,
      params,
    );
    return rows.map(fromRow);
  }

  async countWaiting(organizationIds: readonly string[]): Promise<number> {
    const rows = await this.uow.manager.query<Array<{ count: number }>>(
      `select count(*)::int as count from workflow.uncased_messages
        where case_id is null and organization_id = any($1::uuid[])`,
      [[...organizationIds]],
    );
    return rows[0].count;
  }
}
