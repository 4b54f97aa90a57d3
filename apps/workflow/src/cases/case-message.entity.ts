import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A later message of the same author that joined a case: a reply to a clarification request (cl. 7). */
@Entity({ name: 'case_messages' })
export class CaseMessageEntity {
  @PrimaryColumn('uuid', { name: 'message_id' }) messageId: string;
  @Column('uuid', { name: 'case_id' }) caseId: string;
  @Column('uuid', { name: 'organization_id' }) organizationId: string;
  @Column('text') text: string;
  @Column('text', { nullable: true }) url: string | null;
  @Column('timestamptz', { name: 'posted_at' }) postedAt: Date;
  @Column('timestamptz', { name: 'joined_at' }) joinedAt: Date;
}
