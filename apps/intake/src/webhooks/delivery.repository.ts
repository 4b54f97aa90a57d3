import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@otklik/persistence';
import type { DeliveryOutcome } from './delivery.entity';

export interface NewDelivery {
  sourceId: string;
  deliveryId: string;
  organizationId: string;
  eventType: string;
  correlationId: string;
}

@Injectable()
export class DeliveryRepository {
  constructor(private readonly uow: UnitOfWork) {}

  /**
   * Records the delivery unless its source had it already; false for a repeat. A concurrent
   * repeat waits on the key until the first commits (then it is a repeat) or rolls back (then
   * it is new), so exactly one of them stores the messages.
   */
  async insertIfNew(delivery: NewDelivery): Promise<boolean> {
    const rows = await this.uow.manager.query<unknown[]>(
      `insert into intake.deliveries (source_id, delivery_id, organization_id, event_type, outcome, correlation_id)
       values ($1, $2, $3, $4, '{}', $5)
       on conflict (source_id, delivery_id) do nothing
       returning delivery_id`,
      [delivery.sourceId, delivery.deliveryId, delivery.organizationId, delivery.eventType, delivery.correlationId],
    );
    return rows.length > 0;
  }

  async recordOutcome(sourceId: string, deliveryId: string, outcome: DeliveryOutcome): Promise<void> {
    await this.uow.manager.query(
      'update intake.deliveries set outcome = $3 where source_id = $1 and delivery_id = $2',
      [sourceId, deliveryId, JSON.stringify(outcome)],
    );
  }
}
