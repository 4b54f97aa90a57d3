import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EventEnvelope, eventSubject, EventType, validateEventPayload } from '@otklik/contracts';
import { callContext, newCorrelationId } from '@otklik/observability';
import { quoteIdent, UnitOfWork } from '@otklik/persistence';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { outboxChannel } from './outbox.tables';

/**
 * The only way a service publishes: the event is validated and written to the outbox inside
 * the caller's open transaction, so it is published if and only if the domain change commits.
 */
@Injectable()
export class EventOutbox {
  private readonly table: string;
  private readonly channel: string;

  constructor(
    private readonly uow: UnitOfWork,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {
    this.table = `${quoteIdent(options.schema)}.outbox`;
    this.channel = outboxChannel(options.schema);
  }

  async add<P extends object>(type: EventType<P>, organizationId: string, data: P): Promise<EventEnvelope<P>> {
    const payload = validateEventPayload(type, data);
    const envelope: EventEnvelope<P> = {
      eventId: randomUUID(),
      type: type.name,
      version: type.version,
      organizationId,
      occurredAt: new Date().toISOString(),
      correlationId: callContext.correlationId() ?? newCorrelationId(),
      data: { ...payload },
    };
    // One round trip: the row, and a notification (delivered at commit only) that wakes the
    // relay at once instead of at its next poll.
    await this.uow.manager.query(
      `with row as (insert into ${this.table} (id, subject, envelope, correlation_id) values ($1, $2, $3, $4) returning id)
       select pg_notify($5, '') from row`,
      [
        envelope.eventId,
        eventSubject(this.options.eventsPrefix, organizationId, type),
        JSON.stringify(envelope),
        envelope.correlationId,
        this.channel,
      ],
    );
    return envelope;
  }
}
