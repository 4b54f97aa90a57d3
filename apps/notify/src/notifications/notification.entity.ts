import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An in-app notification of one user. */
@Entity({ schema: 'notify', name: 'notifications' })
export class NotificationEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'organization_id' }) organizationId: string;
  @Column('uuid', { name: 'user_id' }) userId: string;
  @Column('text') kind: string;
  @Column('text') text: string;
  @Column('uuid', { name: 'case_id', nullable: true }) caseId: string | null;
  /** What it reports, e.g. `case.transitioned:<event id>`: a user is told of each source once. */
  @Column('text', { name: 'source_key' }) sourceKey: string;
  @Column({ type: 'timestamptz', name: 'created_at', precision: 3 }) createdAt: Date;
  @Column('timestamptz', { name: 'read_at', nullable: true }) readAt: Date | null;
}
