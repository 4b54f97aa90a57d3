import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DraftKind } from '@otklik/contracts';

export const DRAFT_STATUSES = ['SUBMITTED', 'RETURNED', 'APPROVED'] as const;
export type DraftStatus = (typeof DRAFT_STATUSES)[number];

/**
 * A file attached to a draft (cl. 10: photo or video where there is some). Either a file
 * uploaded to workflow's storage (its attachment id; URLs to it are made when the draft is read
 * or published) or one already online (its address).
 */
export type DraftAttachment = { type: 'PHOTO' | 'VIDEO'; contentType?: string } & (
  | { url: string; attachmentId?: undefined; sizeBytes?: undefined }
  | { attachmentId: string; url?: undefined; /** For the platform's size limits. */ sizeBytes: number }
);

/** One version of an answer drafted by the executor (cl. 7); every version is kept. */
@Entity({ name: 'drafts' })
export class DraftEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'case_id' }) caseId: string;
  @Column('uuid', { name: 'organization_id' }) organizationId: string;
  @Column('integer') version: number;
  @Column('text') kind: DraftKind;
  @Column('text') text: string;
  /** What was done about a repeated message (cl. 9): required on repeats. */
  @Column('text', { nullable: true }) measures: string | null;
  @Column('jsonb') attachments: DraftAttachment[];
  @Column('uuid', { name: 'author_user_id' }) authorUserId: string;
  @Column('timestamptz', { name: 'submitted_at' }) submittedAt: Date;
  @Column('text') status: DraftStatus;
  /** The official who approved or returned it, when, and their comment. */
  @Column('text', { name: 'decided_by', nullable: true }) decidedBy: string | null;
  @Column('timestamptz', { name: 'decided_at', nullable: true }) decidedAt: Date | null;
  @Column('text', { name: 'decision_comment', nullable: true }) decisionComment: string | null;
}
