import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A choice a user made for one kind of notification on one channel; without one, the default holds. */
@Entity({ schema: 'notify', name: 'notification_preferences' })
export class PreferenceEntity {
  @PrimaryColumn('uuid', { name: 'user_id' }) userId: string;
  @PrimaryColumn('text') kind: string;
  @PrimaryColumn('text') channel: string;
  @Column('boolean') enabled: boolean;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}
