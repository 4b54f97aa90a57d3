import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Platform } from '@otklik/contracts';

/**
 * A source as intake last announced it (source.changed): what notify publishes through. The
 * credentials stay sealed here as they came (libs/secrets, the event's context) and are opened
 * only for a call; the row is replaced only by a newer version.
 */
@Entity({ schema: 'notify', name: 'publishing_sources' })
export class PublishingSourceEntity {
  @PrimaryColumn('text') id: string;
  @Column('uuid', { name: 'organization_id' }) organizationId: string;
  @Column('text') platform: Platform;
  /** intake's kind: VK_CALLBACK, TELEGRAM_BOT, MANUAL, FEED, … */
  @Column('text') kind: string;
  @Column('text') name: string;
  @Column('boolean') enabled: boolean;
  @Column('jsonb') settings: Record<string, unknown>;
  @Column('text', { name: 'credentials_ciphertext', nullable: true }) credentialsCiphertext: string | null;
  @Column('text', { name: 'credential_names', array: true }) credentialNames: string[];
  /** source.changed's version (bigint, as text): the greater one is the newer. */
  @Column('bigint') version: string;
  @Column('timestamptz', { name: 'changed_at' }) changedAt: Date;
}
