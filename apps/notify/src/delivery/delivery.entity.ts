import { Column, Entity, PrimaryColumn } from 'typeorm';

export const DELIVERY_STATUSES = ['PENDING', 'SENT', 'FAILED', 'SKIPPED'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One notification on one channel (the delivery log): written with the notification, in its
 * transaction, and worked off by the delivery worker. One row per notification and channel, so
 * an event delivered twice sends nothing twice.
 */
@Entity({ schema: 'notify', name: 'deliveries' })
export class DeliveryEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'notification_id' }) notificationId: string;
  /** The notification's organisation (row-level security). */
  @Column('uuid', { name: 'organization_id' }) organizationId: string;
  @Column('uuid', { name: 'user_id' }) userId: string;
  @Column('text') channel: string;
  @Column('text') status: DeliveryStatus;
  /** Held outside working hours for the recipient's next morning digest. */
  @Column('boolean') digest: boolean;
  /** The deadline the notification is about, if any: "due today" in the digest, the time left in a message. */
  @Column('timestamptz', { name: 'due_at', nullable: true }) dueAt: Date | null;
  @Column('integer') attempts: number;
  /** While PENDING: when the worker may take it (again); a claimed row's lease runs to it. */
  @Column('timestamptz', { name: 'next_attempt_at', nullable: true }) nextAttemptAt: Date | null;
  /** Why the last attempt failed, or why it was skipped, in words a user understands. */
  @Column('text', { name: 'last_error', nullable: true }) lastError: string | null;
  @Column('timestamptz', { name: 'sent_at', nullable: true }) sentAt: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
}
