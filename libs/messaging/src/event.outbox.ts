import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EventEnvelope, eventSubject, EventType, EventValidationError, validateEventPayload } from '@otklik/contracts';
import { callContext, newCorrelationId } from '@otklik/observability';
import { quoteIdent, UnitOfWork } from '@otklik/persistence';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { outboxChannel } from './outbox.tables';

/** Rows one addMany statement writes at the most. */
export const OUTBOX_BATCH = 1000;

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
    const envelope = this.envelopeOf(type, organizationId, data);
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

  /**
   * Many events of one type in the open transaction, up to OUTBOX_BATCH rows per statement and
   * one wake-up for the relay: for work that announces thousands of changes at once (a
   * recompute of deadlines). Each payload is validated; an invalid one throws (nothing of the
   * call is written), unless `onInvalid` is given, which then hears of it and the rest are written.
   */
  async addMany<P extends object>(
    type: EventType<P>,
    events: ReadonlyArray<{ organizationId: string; data: P }>,
    onInvalid?: (error: EventValidationError, index: number) => void,
  ): Promise<Array<EventEnvelope<P>>> {
    const envelopes: Array<EventEnvelope<P>> = [];
    events.forEach(({ organizationId, data }, index) => {
      try {
        envelopes.push(this.envelopeOf(type, organizationId, data));
      } catch (error) {
        if (!onInvalid || !(error instanceof EventValidationError)) throw error;
        onInvalid(error, index);
      }
    });
    for (let start = 0; start < envelopes.length; start += OUTBOX_BATCH) {
      const batch = envelopes.slice(start, start + OUTBOX_BATCH);
      await this.uow.manager.query(
        `with rows as (
           insert into ${this.table} (id, subject, envelope, correlation_id)
           select * from unnest($1::uuid[], $2::text[], $3::jsonb[], $4::text[]) returning id)
         select pg_notify($5, '') from (select 1 from rows limit 1) one`,
        [
          batch.map((e) => e.eventId),
          batch.map((e) => eventSubject(this.options.eventsPrefix, e.organizationId, type)),
          batch.map((e) => JSON.stringify(e)),
          batch.map((e) => e.correlationId),
          this.channel,
        ],
      );
    }
    return envelopes;
  }

  private envelopeOf<P extends object>(type: EventType<P>, organizationId: string, data: P): EventEnvelope<P> {
    const payload = validateEventPayload(type, data);
    return {
      eventId: randomUUID(),
      type: type.name,
      version: type.version,
      organizationId,
      occurredAt: new Date().toISOString(),
      correlationId: callContext.correlationId() ?? newCorrelationId(),
      data: { ...payload },
    };
  }
}
