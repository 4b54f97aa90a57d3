import { SetMetadata } from '@nestjs/common';
import type { EventEnvelope, EventType } from '@otklik/contracts';

export interface EventHandlerOptions {
  /** The durable consumer's name within the service, e.g. `open-case`. */
  durable: string;
  /**
   * Whose rows the handler may touch: the organisation named by the event (default), or every
   * organisation, for handlers that must look across tenants (say so where you choose it).
   */
  scope?: 'event-organization' | 'all-organizations';
}

export interface EventHandler<P extends object> {
  /** Runs inside one transaction with the inbox record; throw to have the event redelivered. */
  handle(payload: P, envelope: EventEnvelope<P>): Promise<void>;
}

export const EVENT_HANDLER = Symbol('otklik:event-handler');

export interface EventHandlerMetadata {
  type: EventType<object>;
  options: EventHandlerOptions;
}

/** Marks a provider as the handler of one event type, fed by its own durable JetStream consumer. */
export const HandlesEvent = <P extends object>(type: EventType<P>, options: EventHandlerOptions): ClassDecorator =>
  SetMetadata(EVENT_HANDLER, { type, options } satisfies EventHandlerMetadata);
