import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DeadlineKind, StoredDeadlineState } from './deadline.policy';

@Entity({ name: 'deadlines' })
export class DeadlineEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'case_id' }) caseId: string;
  @Column('uuid', { name: 'organization_id' }) organizationId: string;
  @Column('text') kind: DeadlineKind;
  @Column('timestamptz', { name: 'started_at' }) startedAt: Date;
  @Column('timestamptz', { name: 'due_at' }) dueAt: Date;
  @Column('text') state: StoredDeadlineState;
  /** Who answers for it (cl. 18); none until someone is assigned. */
  @Column('uuid', { name: 'responsible_user_id', nullable: true }) responsibleUserId: string | null;
  @Column('timestamptz', { name: 'met_at', nullable: true }) metAt: Date | null;
  /** From this instant less than the policy's working minutes remain (deadline.at_risk fires). */
  @Column('timestamptz', { name: 'at_risk_at', nullable: true }) atRiskAt: Date | null;
  @Column('timestamptz', { name: 'at_risk_fired_at', nullable: true }) atRiskFiredAt: Date | null;
  @Column('timestamptz', { name: 'breached_fired_at', nullable: true }) breachedFiredAt: Date | null;
}
