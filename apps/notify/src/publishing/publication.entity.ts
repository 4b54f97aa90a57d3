import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DraftKind, Platform } from '@otklik/contracts';

/**
 * PENDING (due at next_attempt_at) → SENDING (a replica holds it until lease_until) → PUBLISHED,
 * FAILED or MANUAL. A SENDING row whose lease ran out belonged to a replica that stopped mid-call:
 * it is due again, with the same idempotency key.
 */
export const PUBLICATION_STATES = ['PENDING', 'SENDING', 'PUBLISHED', 'FAILED', 'MANUAL'] as const;
export type PublicationState = (typeof PUBLICATION_STATES)[number];

/** The citizen's message the answer goes under, as intake received it. */
export interface PublicationTarget {
  externalId: string;
  threadId?: string;
  url?: string;
  authorId?: string;
}

export interface PublicationAttachment {
  type: 'PHOTO' | 'VIDEO';
  url: string;
  contentType?: string;
  /** workflow's own storage; absent: a link an official gave, fetched from the public internet only. */
  fromStorage?: boolean;
}

/**
 * One approved answer to publish, stored before any call: its id (workflow's publicationId) is
 * the idempotency key every attempt passes to the platform.
 */
@Entity({ schema: 'notify', name: 'publications' })
export class PublicationEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'organization_id' }) organizationId: string;
  /** The case's organisation and those above it, nearest first: whom to tell of a failure. */
  @Column('uuid', { name: 'organization_path', array: true }) organizationPath: string[];
  @Column('uuid', { name: 'case_id' }) caseId: string;
  @Column('uuid', { name: 'draft_id' }) draftId: string;
  @Column('text') kind: DraftKind;
  @Column('uuid', { name: 'message_id' }) messageId: string;
  @Column('text', { name: 'source_id' }) sourceId: string;
  @Column('text') platform: Platform;
  @Column('jsonb') target: PublicationTarget;
  @Column('text') text: string;
  @Column('jsonb') attachments: PublicationAttachment[];
  @Column('text') status: PublicationState;
  /** Calls begun (a claim counts one, whether or not it reached the platform). */
  @Column('integer') attempts: number;
  @Column('timestamptz', { name: 'next_attempt_at' }) nextAttemptAt: Date;
  @Column('timestamptz', { name: 'lease_until', nullable: true }) leaseUntil: Date | null;
  /** Who holds the lease: an outcome is recorded only by the claim that still holds it. */
  @Column('uuid', { name: 'lease_token', nullable: true }) leaseToken: string | null;
  /** The last reason, for the official (Russian). */
  @Column('text', { name: 'last_error', nullable: true }) lastError: string | null;
  /** The platform's own words for a failure, for the log and support. */
  @Column('text', { name: 'platform_error', nullable: true }) platformError: string | null;
  /** The answer's id on the platform, once published. */
  @Column('text', { name: 'external_id', nullable: true }) externalId: string | null;
  @Column('text', { nullable: true }) url: string | null;
  /** The request's correlation id: the attempts' log lines and publication.completed carry it on. */
  @Column('text', { name: 'correlation_id' }) correlationId: string;
  @Column('timestamptz', { name: 'requested_at' }) requestedAt: Date;
  @Column('timestamptz', { name: 'completed_at', nullable: true }) completedAt: Date | null;
}
