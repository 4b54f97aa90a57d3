import type { Logger } from 'pino';
import type { NatsSecurity } from './nats.settings';

export interface MessagingOptions {
  /** The owning service (intake, workflow, notify): names durable consumers and the outbox's schema. */
  service: string;
  /** The service's PostgreSQL schema, where its outbox and inbox tables live. */
  schema: string;
  /** The application role's login (persistence appLoginUrl), as the pool's: the relay's LISTEN connection. */
  databaseUrl: string;
  natsUrl: string;
  /** Credentials and TLS for NATS (loadNatsSecurity); none unless given. */
  natsSecurity?: NatsSecurity;
  /** First subject token and stream name stem (`otklik`); tests use their own. */
  eventsPrefix: string;
  /** false: build the module without connecting (printing the GraphQL schema). */
  connect: boolean;
  logger: Logger;
  /** Deliveries of one event before it goes to the dead-letter stream. */
  maxDeliveries?: number;
  /** Transactions a consumer runs at once; each holds the events that waited meanwhile (up to 50). */
  consumerConcurrency?: number;
}

export const MESSAGING_OPTIONS = Symbol('MessagingOptions');

export const streamNames = (prefix: string) => ({
  events: `${prefix.toUpperCase()}_EVENTS`,
  deadLetters: `${prefix.toUpperCase()}_DLQ`,
});

export const deadLetterSubject = (prefix: string, consumer: string, subject: string): string =>
  `${prefix}-dlq.${consumer}.${subject}`;
