import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { UnitOfWork } from '@otklik/persistence';
import { PreferenceEntity } from './preference.entity';

/** All persistence of preferences; runs inside the caller's UnitOfWork. */
@Injectable()
export class PreferenceRepository {
  constructor(private readonly uow: UnitOfWork) {}

  /** The choices these users made (only what differs from nothing: defaults are not stored). */
  choicesOf(userIds: readonly string[]): Promise<PreferenceEntity[]> {
    if (userIds.length === 0) return Promise.resolve([]);
    return this.uow.manager.find(PreferenceEntity, { where: { userId: In([...userIds]) } });
  }

  async save(choice: PreferenceEntity): Promise<void> {
    await this.uow.manager.query(
      `insert into notify.notification_preferences (user_id, kind, channel, enabled, updated_at)
       values ($1, $2, $3, $4, $5)
       on conflict (user_id, kind, channel) do update set enabled = excluded.enabled, updated_at = excluded.updated_at`,
      [choice.userId, choice.kind, choice.channel, choice.enabled, choice.updatedAt],
    );
  }
}
