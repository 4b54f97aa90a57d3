import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Platform } from '@otklik/contracts';

/**
 * One author's data erased at their request (152-FZ): who did it, when, why, on what request,
 * which messages and how much of each store. It names the messages, never the author. Append-only.
 */
@Entity({ schema: 'intake', name: 'erasure_requests' })
export class ErasureRequestEntity {
  @PrimaryColumn('uuid') id: string;
  /** The organisation of the coordinator who carried it out. */
  @Column('uuid', { name: 'organization_id' }) organizationId: string;
  @Column('text') platform: Platform;
  @Column('text', { name: 'requested_by' }) requestedBy: string;
  @Column('text', { name: 'requested_by_user_id' }) requestedByUserId: string;
  @Column('timestamptz', { name: 'requested_at' }) requestedAt: Date;
  @Column('text') reason: string;
  /** The request's own number or reference (an incoming letter's, an e-mail's). */
  @Column('text', { name: 'request_reference' }) requestReference: string;
  @Column('uuid', { name: 'message_ids', array: true }) messageIds: string[];
  @Column('integer') messages: number;
  @Column('integer') versions: number;
  @Column('integer', { name: 'raw_payloads' }) rawPayloads: number;
}
