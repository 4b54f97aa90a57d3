import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ExclusionReason, Platform } from '@otklik/contracts';
import type { SignalKind } from '@otklik/criticality';

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

/** Criticality's verdict when the message arrived (cl. 1; libs/criticality). */
export interface StoredCriticality {
  critical: boolean;
  score: number;
  signals: Array<{ kind: SignalKind; evidence: string }>;
  /** Why it counts as critical whatever its words say: an official registered it by hand. */
  decidedBy?: string;
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
  /** The body as the sender sent it; null once the retention job purged it (152-FZ, INTAKE_RAW_RETENTION_DAYS). */
  @Column('jsonb', { nullable: true }) raw: unknown;
  @Column('text', { name: 'correlation_id' }) correlationId: string;
  @Column('timestamptz', { name: 'received_at' }) receivedAt: Date;
  /** null for messages stored before screening existed: screened when read. */
  @Column('jsonb', { nullable: true }) screening: StoredScreening | null;
  /** null for messages stored before criticality existed: assessed when read. */
  @Column('jsonb', { nullable: true }) criticality: StoredCriticality | null;
  /** When its author last changed it (the earlier versions are in intake.message_versions). */
  @Column('timestamptz', { name: 'edited_at', nullable: true }) editedAt: Date | null;
  /** When it was deleted on its platform: the message is marked, never erased. */
  @Column('timestamptz', { name: 'deleted_at', nullable: true }) deletedAt: Date | null;
  /** Who deleted it, as the platform names them, when it says. */
  @Column('text', { name: 'deleted_by', nullable: true }) deletedBy: string | null;
}
