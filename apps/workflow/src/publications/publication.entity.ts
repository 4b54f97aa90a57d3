import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DraftKind, Platform, PublicationStatus } from '@otklik/contracts';

/** An approved answer on its way to the citizen's message, or recorded as published by hand. */
@Entity({ name: 'publications' })
export class PublicationEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'case_id' }) caseId: string;
  @Column('uuid', { name: 'organization_id' }) organizationId: string;
  /** The approved draft; null for a manual publication recorded without one. */
  @Column('uuid', { name: 'draft_id', nullable: true }) draftId: string | null;
  @Column('text') kind: DraftKind;
  @Column('text') platform: Platform;
  @Column('text') status: PublicationStatus;
  @Column('text', { nullable: true }) url: string | null;
  @Column('text', { nullable: true }) error: string | null;
  @Column('timestamptz', { name: 'requested_at' }) requestedAt: Date;
  /** When it was published, failed, or recorded. */
  @Column('timestamptz', { nullable: true }) at: Date | null;
  /** The login of who recorded a manual publication. */
  @Column('text', { name: 'recorded_by', nullable: true }) recordedBy: string | null;
}
