import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Platform } from '@otklik/contracts';
import type { CaseStatus } from './case.status';

/** One critical message's way through the regulation; at most one case per message. */
@Entity({ name: 'cases' })
export class CaseEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'organization_id' }) organizationId: string;
  /** intake's message (federation: Case.message). */
  @Column('uuid', { name: 'message_id' }) messageId: string;
  @Column('text', { name: 'source_id' }) sourceId: string;
  @Column('text') platform: Platform;
  @Column('text') status: CaseStatus;
  /** When intake received the message: the ROUTE deadline starts here. */
  @Column('timestamptz', { name: 'detected_at' }) detectedAt: Date;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
  /** Bumped by every change: transitions update where the version is the one they read. */
  @Column('integer') version: number;
  /** The message as intake received it: what an answer is published under, and how replies and repeats are found. */
  @Column('text', { name: 'external_id', nullable: true }) externalId: string | null;
  @Column('text', { name: 'thread_id', nullable: true }) threadId: string | null;
  @Column('text', { name: 'author_id', nullable: true }) authorId: string | null;
  @Column('text', { name: 'author_name', nullable: true }) authorName: string | null;
  @Column('text', { name: 'message_url', nullable: true }) messageUrl: string | null;
  /** For the inbox's text search (the message itself stays intake's). */
  @Column('text', { name: 'message_text', nullable: true }) messageText: string | null;
  /** Who drafts the answer (cl. 7, 18); for a repeat, pre-set to the earlier case's executor. */
  @Column('uuid', { name: 'executor_user_id', nullable: true }) executorUserId: string | null;
  /** The earlier case a repeated message refers to (cl. 9). */
  @Column('uuid', { name: 'repeat_of_id', nullable: true }) repeatOfId: string | null;
  /** EXCLUDED (cl. 11): the reasons the official confirmed. */
  @Column('text', { name: 'exclusion_reasons', array: true, nullable: true }) exclusionReasons: string[] | null;
  /** EXCLUDED or DISMISSED: who decided, and why. */
  @Column('text', { name: 'decided_by', nullable: true }) decidedBy: string | null;
  @Column('text', { name: 'decision_reason', nullable: true }) decisionReason: string | null;
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt: Date | null;
  /** What screening proposed for the message (cl. 11): [] when clean, null when it was not screened. */
  @Column('text', { name: 'screening_reasons', array: true, nullable: true }) screeningReasons: string[] | null;
}
