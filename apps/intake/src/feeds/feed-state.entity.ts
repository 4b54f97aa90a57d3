import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Where polling a FEED source stands: when it is due, who holds it, what the site last said.
 * One row per feed, made by the poller for every enabled FEED source it finds without one.
 */
@Entity({ schema: 'intake', name: 'feed_state' })
export class FeedStateEntity {
  @PrimaryColumn('text', { name: 'source_id' }) sourceId: string;
  @Column('uuid', { name: 'organization_id' }) organizationId: string;
  /** The address the validators below belong to: a new address in the settings starts afresh. */
  @Column('text', { nullable: true }) url: string | null;
  @Column('text', { nullable: true }) etag: string | null;
  @Column('text', { name: 'last_modified', nullable: true }) lastModified: string | null;
  @Column('timestamptz', { name: 'next_poll_at' }) nextPollAt: Date;
  /** A poller's claim: until then no other replica takes the feed. */
  @Column('timestamptz', { name: 'lease_until', nullable: true }) leaseUntil: Date | null;
  @Column('uuid', { name: 'lease_owner', nullable: true }) leaseOwner: string | null;
  /** Failures in a row (0 after any answer): the back-off grows with it. */
  @Column('integer') failures: number;
  /** The HTTP status of the last poll (null: no answer at all). */
  @Column('integer', { name: 'last_status', nullable: true }) lastStatus: number | null;
  /** Why the last poll failed, in words (null after a success). */
  @Column('text', { name: 'last_error', nullable: true }) lastError: string | null;
  @Column('timestamptz', { name: 'last_polled_at', nullable: true }) lastPolledAt: Date | null;
  @Column('timestamptz', { name: 'last_success_at', nullable: true }) lastSuccessAt: Date | null;
  /** New messages the last successful poll stored. */
  @Column('integer', { name: 'last_new_items' }) lastNewItems: number;
}
