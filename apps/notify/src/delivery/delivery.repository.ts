import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@otklik/persistence';
import type { OutboundChannel } from '../preferences/preference.rules';
import { DeliveryEntity } from './delivery.entity';

/** A delivery the worker took, with what its notification says. */
export interface ClaimedDelivery {
  id: string;
  notificationId: string;
  organizationId: string;
  userId: string;
  attempts: number;
  dueAt: Date | null;
  kind: string;
  text: string;
  caseId: string | null;
  createdAt: Date;
}

export interface ClaimQuery {
  channel: OutboundChannel;
  /** The morning digest's deliveries (all of a person's due ones together), or the rest. */
  digest: boolean;
  now: Date;
  /** Until when the claim holds: a worker that dies mid-send leaves the row to be taken again then. */
  leaseUntil: Date;
  /** Deliveries, or for the digest, people. */
  limit: number;
}

interface ClaimedRow {
  id: string;
  notification_id: string;
  organization_id: string;
  user_id: string;
  attempts: number;
  due_at: Date | null;
  kind: string;
  text: string;
  case_id: string | null;
  created_at: Date;
}

/** All persistence of the delivery log; runs inside the caller's UnitOfWork (and so its tenant scope). */
@Injectable()
export class DeliveryRepository {
  constructor(private readonly uow: UnitOfWork) {}

  /** Inserts the deliveries not there yet (one per notification and channel); returns how many were. */
  async insertNew(deliveries: DeliveryEntity[]): Promise<number> {
    if (deliveries.length === 0) return 0;
    const result = await this.uow.manager
      .createQueryBuilder()
      .insert()
      .into(DeliveryEntity)
      .values(deliveries)
      .orIgnore()
      .returning(['id'])
      .execute();
    return (result.raw as unknown[]).length;
  }

  /**
   * Takes due deliveries of a channel, each once however many workers ask (SKIP LOCKED): counts
   * the attempt and moves its next attempt to the end of the lease. For the digest, every due
   * delivery of up to `limit` people, so that each person gets one message.
   */
  async claim(query: ClaimQuery): Promise<ClaimedDelivery[]> {
    const due = `channel = $1 and status = 'PENDING' and digest = $2 and next_attempt_at <= $3`;
    const pick = query.digest
      ? `select id from notify.deliveries
          where ${due} and user_id in (select distinct user_id from notify.deliveries where ${due} limit $5)
          for update skip locked`
      : `select id from notify.deliveries where ${due} order by next_attempt_at limit $5 for update skip locked`;
    // TypeORM answers an UPDATE with [rows, count].
    const [rows] = await this.uow.manager.query<[ClaimedRow[], number]>(
      `update notify.deliveries d
          set attempts = d.attempts + 1, next_attempt_at = $4
         from notify.notifications n
        where n.id = d.notification_id and d.id in (${pick})
        returning d.id, d.notification_id, d.organization_id, d.user_id, d.attempts, d.due_at,
                  n.kind, n.text, n.case_id, n.created_at`,
      [query.channel, query.digest, query.now, query.leaseUntil, query.limit],
    );
    return rows.map((r) => ({
      id: r.id,
      notificationId: r.notification_id,
      organizationId: r.organization_id,
      userId: r.user_id,
      attempts: r.attempts,
      dueAt: r.due_at,
      kind: r.kind,
      text: r.text,
      caseId: r.case_id,
      createdAt: r.created_at,
    }));
  }

  async markSent(ids: readonly string[], at: Date): Promise<void> {
    await this.finish(ids, 'SENT', { sentAt: at });
  }

  async markFailed(ids: readonly string[], reason: string): Promise<void> {
    await this.finish(ids, 'FAILED', { lastError: reason });
  }

  async markSkipped(ids: readonly string[], reason: string): Promise<void> {
    await this.finish(ids, 'SKIPPED', { lastError: reason });
  }

  /** Another attempt at `at`; the last one's reason is kept. */
  async markRetry(ids: readonly string[], at: Date, reason: string): Promise<void> {
    await this.uow.manager.query(
      `update notify.deliveries set next_attempt_at = $2, last_error = $3 where id = any($1::uuid[]) and status = 'PENDING'`,
      [[...ids], at, reason],
    );
  }

  /** The deliveries of one of a user's notifications, in the order of CHANNELS' usual listing. */
  ofNotification(userId: string, notificationId: string): Promise<DeliveryEntity[]> {
    return this.uow.manager
      .createQueryBuilder(DeliveryEntity, 'd')
      .where('d.user_id = :userId and d.notification_id = :notificationId', { userId, notificationId })
      .orderBy(`array_position(array['IN_APP','EMAIL','TELEGRAM'], d.channel)`)
      .getMany();
  }

  /** Each user's e-mail address and name as workflow announced them (the newest announcement's). */
  async mailboxesOf(userIds: readonly string[]): Promise<Map<string, { email: string | null; displayName: string }>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.uow.manager.query<Array<{ user_id: string; email: string | null; display_name: string }>>(
      `select distinct on (user_id) user_id, email, display_name
         from notify.recipients
        where user_id = any($1::uuid[])
        order by user_id, (email is null), updated_at desc`,
      [[...userIds]],
    );
    return new Map(rows.map((r) => [r.user_id, { email: r.email, displayName: r.display_name }]));
  }

  private async finish(
    ids: readonly string[],
    status: 'SENT' | 'FAILED' | 'SKIPPED',
    fields: { sentAt?: Date; lastError?: string },
  ): Promise<void> {
    if (ids.length === 0) return;
    await this.uow.manager.query(
      `update notify.deliveries
          set status = $2, next_attempt_at = null, sent_at = coalesce($3, sent_at), last_error = coalesce($4, last_error)
        where id = any($1::uuid[]) and status = 'PENDING'`,
      [[...ids], status, fields.sentAt ?? null, fields.lastError ?? null],
    );
  }
}
