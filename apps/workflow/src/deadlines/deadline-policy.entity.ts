import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DeadlinePolicySettings } from '@otklik/calendar';

/** An organisation's own deadline policy; its sub-organisations without one of their own use it too. */
@Entity({ name: 'deadline_policies' })
export class DeadlinePolicyEntity {
  @PrimaryColumn('uuid', { name: 'organization_id' }) organizationId: string;
  /** The complete policy in its flat form (libs/calendar's deadlinePolicySettings), validated before it is stored. */
  @Column('jsonb') policy: DeadlinePolicySettings;
  @Column('text', { name: 'updated_by' }) updatedBy: string;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}
