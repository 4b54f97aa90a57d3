import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Role } from '@otklik/contracts';

/** A user's role in one organisation, with the appointing order (cl. 4) where there is one. */
@Entity({ name: 'role_assignments' })
export class RoleAssignmentEntity {
  @PrimaryColumn('uuid', { name: 'user_id' }) userId: string;
  @PrimaryColumn('uuid', { name: 'organization_id' }) organizationId: string;
  @PrimaryColumn('text') role: Role;
  @Column('text', { name: 'order_number', nullable: true }) orderNumber: string | null;
  /** A calendar date (YYYY-MM-DD), as written on the order. */
  @Column('date', { name: 'order_date', nullable: true }) orderDate: string | null;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
}
