import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ExclusionReason, Platform } from '@otklik/contracts';

export interface StoredAuthor {
  id?: string;
  name?: string;
  url?: string;
}

export const ATTACHMENT_TYPES = ['PHOTO', 'VIDEO', 'DOCUMENT', 'LINK', 'AUDIO'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

export interface StoredAttachment {
  type: AttachmentType;
  url: string;
}

/** Screening's verdict when the message arrived (cl. 11; libs/screening). */
export interface StoredScreening {
  excluded: boolean;
  reasons: ExclusionReason[];
  evidence: string[];
}

@Entity({ schema: 'intake', name: 'messages' })
export class MessageEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'organization_id' }) organizationId: string;
  @Column('text', { name: 'source_id' }) sourceId: string;
  @Column('text', { name: 'external_id' }) externalId: string;
  @Column('text') platform: Platform;
  @Column('text', { nullable: true }) url: string | null;
  @Column('text') text: string;
  @Column('timestamptz', { name: 'posted_at' }) postedAt: Date;
  @Column('jsonb', { nullable: true }) author: StoredAuthor | null;
  @Column('text', { name: 'thread_id', nullable: true }) threadId: string | null;
  @Column('jsonb') attachments: StoredAttachment[];
  /** The body as the sender sent it (152-FZ retention will clear it with the rest). */
  @Column('jsonb') raw: unknown;
  @Column('text', { name: 'correlation_id' }) correlationId: string;
  @Column('timestamptz', { name: 'received_at' }) receivedAt: Date;
  /** null for messages stored before screening existed: screened when read. */
  @Column('jsonb', { nullable: true }) screening: StoredScreening | null;
}
