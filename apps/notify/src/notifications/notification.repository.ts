import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { UnitOfWork } from '@otklik/persistence';
import type { FeedPosition } from './notification.cursor';
import { NotificationEntity } from './notification.entity';

export interface FeedQuery {
  userId: string;
  unreadOnly: boolean;
  /** Rows strictly older than this position (the previous page's end). */
  after?: FeedPosition;
  limit: number;
}

/** All persistence of notifications; runs inside the caller's UnitOfWork (and so its tenant scope). */
@Injectable()
export class NotificationRepository {
  constructor(private readonly uow: UnitOfWork) {}

  /** Inserts the notifications that do not exist yet (same user, case and kind); returns the ids inserted. */
  async insertNew(notifications: NotificationEntity[]): Promise<Set<string>> {
    if (notifications.length === 0) return new Set();
    const result = await this.uow.manager
      .createQueryBuilder()
      .insert()
      .into(NotificationEntity)
      .values(notifications)
      .orIgnore()
      .returning(['id'])
      .execute();
    return new Set((result.raw as Array<{ id: string }>).map((row) => row.id));
  }

  /** A user's notifications, newest first. */
  feed(query: FeedQuery): Promise<NotificationEntity[]> {
    const builder = this.feedFilter(query.userId, query.unreadOnly)
      .orderBy('n.createdAt', 'DESC')
      .addOrderBy('n.id', 'DESC')
      .limit(query.limit);
    if (query.after) {
      builder.andWhere('(n.created_at, n.id) < (cast(:afterAt as timestamptz), cast(:afterId as uuid))', {
        afterAt: query.after.createdAt.toISOString(),
        afterId: query.after.id,
      });
    }
    return builder.getMany();
  }

  count(userId: string, unreadOnly: boolean): Promise<number> {
    return this.feedFilter(userId, unreadOnly).getCount();
  }

  findOwn(userId: string, ids: readonly string[]): Promise<NotificationEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.uow.manager.find(NotificationEntity, { where: { userId, id: In([...ids]) } });
  }

  /** Marks the user's unread notifications among `ids` (all of them when `ids` is omitted) read now; returns how many. */
  async markRead(userId: string, ids?: readonly string[]): Promise<number> {
    const builder = this.uow.manager
      .createQueryBuilder()
      .update(NotificationEntity)
      .set({ readAt: () => 'now()' })
      .where('user_id = :userId', { userId })
      .andWhere('read_at is null');
    if (ids) builder.andWhere('id = any(cast(:ids as uuid[]))', { ids: [...ids] });
    const result = await builder.execute();
    return result.affected ?? 0;
  }

  private feedFilter(userId: string, unreadOnly: boolean) {
    const builder = this.uow.manager
      .createQueryBuilder(NotificationEntity, 'n')
      .where('n.user_id = :userId', { userId });
    if (unreadOnly) builder.andWhere('n.read_at is null');
    return builder;
  }
}
