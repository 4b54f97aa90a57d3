import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Where a case stands: its organisation and those above it, as its last move announced. Deadline
 * events name only the case's organisation; a breach is told to the official and head nearest
 * along this path (a subdivision's case reaches the district's head).
 */
@Entity({ schema: 'notify', name: 'case_paths' })
export class CasePathEntity {
  @PrimaryColumn('uuid', { name: 'case_id' }) caseId: string;
  @Column('uuid', { name: 'organization_id' }) organizationId: string;
  @Column('uuid', { array: true }) path: string[];
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}
