import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DeadlinePolicySettings } from '@otklik/calendar';

/** One change of an organisation's deadline policy: its own policy before and after, who, when (append-only). */
@Entity({ name: 'deadline_policy_changes' })
export class DeadlinePolicyChangeEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'organization_id' }) organizationId: string;
  /** The organisation's own policy before; null when it used an ancestor's or the defaults. */
  @Column('jsonb', { nullable: true }) previous: DeadlinePolicySettings | null;
  @Column('jsonb') policy: DeadlinePolicySettings;
  @Column('text', { name: 'changed_by' }) changedBy: string;
  @Column('timestamptz', { name: 'changed_at' }) changedAt: Date;
}
