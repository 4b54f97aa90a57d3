import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Two cases about the same matter, linked by staff; read both ways. */
@Entity({ name: 'case_links' })
export class CaseLinkEntity {
  @PrimaryColumn('uuid', { name: 'case_id' }) caseId: string;
  @PrimaryColumn('uuid', { name: 'related_case_id' }) relatedCaseId: string;
  @Column('uuid', { name: 'organization_id' }) organizationId: string;
  @Column('text', { name: 'created_by' }) createdBy: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
}
