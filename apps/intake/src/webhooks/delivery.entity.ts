import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What one platform delivery did: counted for the log, and the deletions of messages never seen. */
export interface DeliveryOutcome {
  accepted: number;
  duplicates: number;
  edited: number;
  unchanged: number;
  deleted: number;
  /** External ids of deleted messages intake never received (recorded here only). */
  unknownDeleted: string[];
  /** The event type the connector left unread (`group_join`, …), when it did. */
  ignored?: string;
}

/** A platform's delivery to a source, once (the platform's own id of it: VK's event_id, …). */
@Entity({ schema: 'intake', name: 'deliveries' })
export class DeliveryEntity {
  @PrimaryColumn('text', { name: 'source_id' }) sourceId: string;
  @PrimaryColumn('text', { name: 'delivery_id' }) deliveryId: string;
  @Column('uuid', { name: 'organization_id' }) organizationId: string;
  @Column('text', { name: 'event_type' }) eventType: string;
  @Column('jsonb') outcome: DeliveryOutcome;
  @Column('text', { name: 'correlation_id' }) correlationId: string;
  @Column('timestamptz', { name: 'received_at' }) receivedAt: Date;
}
