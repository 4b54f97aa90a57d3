import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@otklik/persistence';
import { RetentionRunEntity } from './retention-run.entity';

/**
 * The retention job's statements. Each takes at most `limit` rows with FOR UPDATE SKIP LOCKED: a
 * row another replica (or an edit of the message) holds is left to it, so replicas share the work
 * without waiting on each other or deadlocking, and a row is purged and counted once.
 */
@Injectable()
export class RetentionRepository {
  constructor(private readonly uow: UnitOfWork) {}

  /**
   * Clears the raw payload of up to `limit` messages received before `before`; returns how many.
   * The message itself — text, author, attachments, its case's link by id — stays.
   */
  async purgeRaw(before: Date, limit: number): Promise<number> {
    const [, purged] = await this.uow.manager.query<[unknown[], number]>(
      `with due as (
         select id from intake.messages
          where raw is not null and received_at < $1
          order by received_at
          limit $2
          for update skip locked)
       update intake.messages m set raw = null from due where m.id = due.id`,
      [before, limit],
    );
    return purged;
  }

  /** Forgets up to `limit` platform deliveries received before `before`; returns how many. */
  async deleteDeliveries(before: Date, limit: number): Promise<number> {
    const [, deleted] = await this.uow.manager.query<[unknown[], number]>(
      `with due as (
         select source_id, delivery_id from intake.deliveries
          where received_at < $1
          order by received_at
          limit $2
          for update skip locked)
       delete from intake.deliveries d using due
        where d.source_id = due.source_id and d.delivery_id = due.delivery_id`,
      [before, limit],
    );
    return deleted;
  }

  async recordRun(run: RetentionRunEntity): Promise<void> {
    await this.uow.manager.insert(RetentionRunEntity, run);
  }
}
