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
  /** Bumped by every change, for optimistic concurrency of the transitions to come. */
  @Column('integer') version: number;
}
