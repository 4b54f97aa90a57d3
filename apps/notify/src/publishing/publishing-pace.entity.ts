import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * When a source (or, for Telegram, one chat of a bot) may next be called: every replica reserves
 * its slot here in the claim's transaction, so the platforms' published rates hold across replicas.
 */
@Entity({ schema: 'notify', name: 'publishing_pace' })
export class PublishingPaceEntity {
  /** `source:<id>` or `chat:<source id>:<chat id>`. */
  @PrimaryColumn('text') key: string;
  @Column('uuid', { name: 'organization_id' }) organizationId: string;
  @Column('timestamptz', { name: 'next_allowed_at' }) nextAllowedAt: Date;
}
