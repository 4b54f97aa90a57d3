import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { StoredAttachment } from './message.entity';

/** A version of a message its author has since replaced (1 = as it first arrived). Append-only. */
@Entity({ schema: 'intake', name: 'message_versions' })
export class MessageVersionEntity {
  @PrimaryColumn('uuid', { name: 'message_id' }) messageId: string;
  @PrimaryColumn('integer') version: number;
  @Column('uuid', { name: 'organization_id' }) organizationId: string;
  @Column('text') text: string;
  @Column('jsonb') attachments: StoredAttachment[];
  /** When the next version took its place. */
  @Column('timestamptz', { name: 'replaced_at' }) replacedAt: Date;
}
