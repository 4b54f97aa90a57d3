import { Inject, Injectable } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { AckPolicy, ConsumerMessages, DeliverPolicy, JetStreamApiError, JsMsg } from '@nats-io/jetstream';
import { headers, nanos } from '@nats-io/nats-core';
import {
  CORRELATION_HEADER,
  EventEnvelope,
  eventFilter,
  EventValidationError,
  parseEnvelope,
  validateEventPayload,
} from '@otklik/contracts';
import { ALL_ORGS, callContext, OrgScope, orgsScope } from '@otklik/observability';
import { quoteIdent, UnitOfWork } from '@otklik/persistence';
import { EVENT_HANDLER, EventHandler, EventHandlerMetadata } from './event-handler.decorator';
import { deadLetterSubject, MESSAGING_OPTIONS, MessagingOptions, streamNames } from './messaging.options';
import { NatsClient } from './nats.client';

export const DLQ_HEADERS = {
  reason: 'Otklik-Dlq-Reason',
  consumer: 'Otklik-Dlq-Consumer',
  subject: 'Otklik-Dlq-Subject',
  deliveries: 'Otklik-Dlq-Deliveries',
} as const;

/** Events a worker takes into one transaction at most. */
const MAX_BATCH = 50;

interface Delivery {
  message: JsMsg;
  envelope: EventEnvelope<object>;
  payload: object;
  correlationId: string;
}

interface Registered {
  handler: EventHandler<object>;
  meta: EventHandlerMetadata;
  durable: string;
}

/**
 * Runs every @HandlesEvent provider of the service on its own durable pull consumer. An event is
 * acked only after the handler's transaction (with its inbox row) commits; a redelivered event
 * whose inbox row exists is acked without running the handler again. An event that fails
 * `maxDeliveries` times, or cannot be parsed at all, goes to the dead-letter stream with its reason.
 */
@Injectable()
export class ConsumerHost {
  private readonly running: ConsumerMessages[] = [];
  private readonly loops: Promise<void>[] = [];
  private stopped = false;
  private purgeTimer?: NodeJS.Timeout;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    private readonly nats: NatsClient,
    private readonly uow: UnitOfWork,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  start(): void {
    for (const registered of this.discover()) this.loops.push(this.runConsumer(registered));
    this.purgeTimer = setInterval(() => void this.purgeInbox(), 60 * 60 * 1000).unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.purgeTimer);
    for (const messages of this.running) messages.stop();
    await Promise.all(this.loops);
  }

  private discover(): Registered[] {
    return this.discovery.getProviders().flatMap((wrapper) => {
      const type = wrapper.metatype as unknown;
      if (!wrapper.instance || typeof type !== 'function') return [];
      const meta = this.reflector.get<EventHandlerMetadata | undefined>(EVENT_HANDLER, type as () => unknown);
      if (!meta) return [];
      const durable = `${this.options.service}_${meta.options.durable}`.replace(/[^A-Za-z0-9_-]/g, '_');
      return [{ handler: wrapper.instance as EventHandler<object>, meta, durable }];
    });
  }

  private async runConsumer(registered: Registered): Promise<void> {
    const log = this.options.logger.child({ consumer: registered.durable });
    const stream = streamNames(this.options.eventsPrefix).events;
    while (!this.stopped) {
      try {
        await this.nats.ready;
        await this.ensureConsumer(stream, registered);
        const consumer = await this.nats.jetstream.consumers.get(stream, registered.durable);
        const messages = await consumer.consume({ max_messages: 256, expires: 5000 });
        this.running.push(messages);
        log.info({ filter: eventFilter(this.options.eventsPrefix, registered.meta.type) }, 'consuming');
        await this.feedWorkers(registered, messages);
      } catch (error) {
        if (!this.stopped) log.warn({ err: (error as Error).message }, 'consumer interrupted; restarting');
      }
      if (!this.stopped) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  /**
   * Up to `consumerConcurrency` workers; each takes everything waiting (up to MAX_BATCH) as one
   * batch. Under light load a batch is one event and nothing waits; under load the events that
   * queued while the workers were busy share one transaction.
   */
  private async feedWorkers(registered: Registered, messages: AsyncIterable<JsMsg>): Promise<void> {
    const waiting: JsMsg[] = [];
    const workers = this.options.consumerConcurrency ?? 4;
    let busy = 0;
    const dispatch = () => {
      while (busy < workers && waiting.length > 0) {
        const batch = waiting.splice(0, MAX_BATCH);
        busy++;
        void this.processBatch(registered, batch).finally(() => {
          busy--;
          dispatch();
        });
      }
    };
    for await (const message of messages) {
      waiting.push(message);
      dispatch();
    }
  }

  private async ensureConsumer(stream: string, registered: Registered): Promise<void> {
    const config = {
      durable_name: registered.durable,
      filter_subject: eventFilter(this.options.eventsPrefix, registered.meta.type),
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(30_000),
      max_ack_pending: 1000,
    };
    try {
      await this.nats.manager.consumers.add(stream, config);
    } catch (error) {
      // Created by another replica with the same config: fine. Anything else is real.
      if (!(error instanceof JetStreamApiError) || !/already exists|already in use/i.test(error.message)) throw error;
    }
  }

  /** The event of a delivery, or null when it cannot be understood (then it is dead-lettered). */
  private async parse(registered: Registered, message: JsMsg): Promise<Delivery | null> {
    const { type } = registered.meta;
    try {
      const envelope = parseEnvelope(message.json());
      if (envelope.type !== type.name || envelope.version !== type.version) {
        throw new EventValidationError(type.name, [
          `expected ${type.name} v${type.version}, got ${envelope.type} v${envelope.version}`,
        ]);
      }
      const payload = validateEventPayload(type, envelope.data);
      const correlationId = message.headers?.get(CORRELATION_HEADER) || envelope.correlationId;
      return { message, envelope, payload, correlationId };
    } catch (error) {
      // A message that cannot be understood will not improve with retries.
      await this.deadLetter(registered, message, `unreadable event: ${(error as Error).message}`);
      return null;
    }
  }

  private scopeOf(registered: Registered, delivery: Delivery): OrgScope {
    return registered.meta.options.scope === 'all-organizations'
      ? ALL_ORGS
      : orgsScope([delivery.envelope.organizationId]);
  }

  /**
   * Handles a batch of deliveries; never throws. Events of one organisation share one
   * transaction (one inbox insert, one commit); if that transaction fails, each of its events
   * is tried again alone, so one bad event costs the others nothing but a retry.
   */
  async processBatch(registered: Registered, messages: JsMsg[]): Promise<void> {
    const deliveries = (await Promise.all(messages.map((m) => this.parse(registered, m)))).filter(
      (d): d is Delivery => d !== null,
    );
    const groups = new Map<string, Delivery[]>();
    for (const delivery of deliveries) {
      const key = registered.meta.options.scope === 'all-organizations' ? '*' : delivery.envelope.organizationId;
      groups.set(key, [...(groups.get(key) ?? []), delivery]);
    }
    await Promise.all(
      [...groups.values()].map(async (group) => {
        if (group.length === 1) return this.processOne(registered, group[0]);
        try {
          await this.handleTogether(registered, group);
          for (const delivery of group) delivery.message.ack();
        } catch (error) {
          this.options.logger.debug(
            { consumer: registered.durable, events: group.length, err: (error as Error).message },
            'batch failed; handling its events one by one',
          );
          for (const delivery of group) await this.processOne(registered, delivery);
        }
      }),
    );
  }

  /** One transaction for events of one scope: the inbox rows of all, then each new event's handler. */
  private handleTogether(registered: Registered, group: Delivery[]): Promise<void> {
    const scope = this.scopeOf(registered, group[0]);
    const actor = registered.durable;
    return callContext.run({ correlationId: group[0].correlationId, orgScope: scope, actor }, () =>
      this.uow.run(async (manager) => {
        const rows = await manager.query<Array<{ event_id: string }>>(
          `insert into ${quoteIdent(this.options.schema)}.inbox (consumer, event_id)
           select $1, unnest($2::uuid[]) on conflict do nothing returning event_id`,
          [registered.durable, group.map((d) => d.envelope.eventId)],
        );
        const fresh = new Set(rows.map((r) => r.event_id));
        for (const delivery of group) {
          // delete: the same event twice in one batch runs once.
          if (!fresh.delete(delivery.envelope.eventId)) continue;
          await callContext.run({ correlationId: delivery.correlationId, orgScope: scope, actor }, () =>
            registered.handler.handle(delivery.payload, delivery.envelope),
          );
        }
      }),
    );
  }

  /** Handles one delivery in its own transaction, with retries and dead letters; never throws. */
  private async processOne(registered: Registered, delivery: Delivery): Promise<void> {
    const { message, envelope, payload, correlationId } = delivery;
    try {
      await callContext.run(
        { correlationId, orgScope: this.scopeOf(registered, delivery), actor: registered.durable },
        () =>
          this.uow.run(async (manager) => {
            const fresh = await manager.query<unknown[]>(
              `insert into ${quoteIdent(this.options.schema)}.inbox (consumer, event_id) values ($1, $2)
               on conflict do nothing returning event_id`,
              [registered.durable, envelope.eventId],
            );
            if (fresh.length === 0) return; // handled before: redelivery after a lost ack
            await registered.handler.handle(payload, envelope);
          }),
      );
      message.ack();
    } catch (error) {
      const deliveries = message.info.deliveryCount;
      const maxDeliveries = this.options.maxDeliveries ?? 5;
      if (deliveries >= maxDeliveries) {
        await this.deadLetter(registered, message, `failed ${deliveries} times: ${(error as Error).message}`);
      } else {
        this.options.logger.warn(
          {
            consumer: registered.durable,
            subject: message.subject,
            eventId: envelope.eventId,
            correlationId,
            deliveries,
            err: (error as Error).message,
          },
          'event failed; will retry',
        );
        message.nak(Math.min(500 * 2 ** deliveries, 30_000));
      }
    }
  }

  private async deadLetter(registered: Registered, message: JsMsg, reason: string): Promise<void> {
    const log = this.options.logger.child({ consumer: registered.durable, subject: message.subject });
    const h = headers();
    h.set(DLQ_HEADERS.reason, reason.slice(0, 2000).replace(/[\r\n]+/g, ' '));
    h.set(DLQ_HEADERS.consumer, registered.durable);
    h.set(DLQ_HEADERS.subject, message.subject);
    h.set(DLQ_HEADERS.deliveries, String(message.info.deliveryCount));
    const correlationId = message.headers?.get(CORRELATION_HEADER);
    if (correlationId) h.set(CORRELATION_HEADER, correlationId);
    try {
      await this.nats.jetstream.publish(
        deadLetterSubject(this.options.eventsPrefix, registered.durable, message.subject),
        message.data,
        { headers: h, msgID: `dlq-${registered.durable}-${message.info.streamSequence}` },
      );
      log.error({ reason, streamSequence: message.info.streamSequence }, 'event sent to the dead-letter stream');
      message.term(reason.slice(0, 200));
    } catch (error) {
      log.error({ reason, err: (error as Error).message }, 'could not dead-letter the event; it will be redelivered');
      message.nak(5000);
    }
  }

  private async purgeInbox(): Promise<void> {
    try {
      await callContext.run({ correlationId: 'inbox-purge', orgScope: ALL_ORGS }, () =>
        this.uow.run((manager) =>
          manager.query(
            `delete from ${quoteIdent(this.options.schema)}.inbox where processed_at < now() - interval '8 days'`,
          ),
        ),
      );
    } catch (error) {
      this.options.logger.warn({ err: (error as Error).message }, 'inbox purge failed');
    }
  }
}
