import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Role } from '@otklik/contracts';

export const STAFF_ACCESS_ACTIONS = ['SESSIONS_REVOKED', 'SIGNED_OUT', 'ROLE_GRANTED', 'ROLE_WITHDRAWN'] as const;
export type StaffAccessAction = (typeof STAFF_ACCESS_ACTIONS)[number];

/** One organisation's record of a change of someone's access: who, when, what, why (append-only). */
@Entity({ name: 'staff_access_changes' })
export class StaffAccessChangeEntity {
  @PrimaryColumn('uuid') id: string;
  /** Shared by the rows of one change filed under several organisations. */
  @Column('uuid', { name: 'change_id' }) changeId: string;
  @Column('uuid', { name: 'organization_id' }) organizationId: string;
  @Column('uuid', { name: 'user_id' }) userId: string;
  @Column('text') login: string;
  @Column('text') action: StaffAccessAction;
  /** The role granted or withdrawn; null for revocations. */
  @Column('text', { nullable: true }) role: Role | null;
  @Column('text', { nullable: true }) reason: string | null;
  /** Revocations: the person's tokens issued at or before this are refused. */
  @Column('timestamptz', { name: 'tokens_issued_before', nullable: true }) tokensIssuedBefore: Date | null;
  @Column('text', { name: 'changed_by' }) changedBy: string;
  @Column('timestamptz', { name: 'changed_at' }) changedAt: Date;
}
