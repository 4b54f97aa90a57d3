import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A note inside the team about a case; never published; append-only. */
@Entity({ name: 'case_comments' })
export class CaseCommentEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ type: 'bigint', insert: false, update: false }) seq: string;
  @Column('uuid', { name: 'case_id' }) caseId: string;
  @Column('uuid', { name: 'organization_id' }) organizationId: string;
  @Column('text', { name: 'author_login' }) authorLogin: string;
  @Column('text') text: string;
  @Column('timestamptz') at: Date;
}
