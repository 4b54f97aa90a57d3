import { connect, NatsConnection, Status } from '@nats-io/transport-node';
import { EventEnvelope, eventFilter, NotificationCreated, parseEnvelope } from '@otklik/contracts';
import { NatsSecurity, OPEN_NATS, redactNatsUrl } from '@otklik/messaging';
import type { Logger } from '@otklik/observability';
import type { EventSource } from './subscription.bridge';

export interface NatsEventFeedOptions {
  servers: readonly string[];
  /** Credentials and TLS (GatewayConfig.natsSecurity); none unless given. */
  security?: NatsSecurity;
  /** EVENTS_PREFIX: the first token of every event subject. */
  prefix: string;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Pause between attempts while NATS cannot be reached at all. */
  retryMs?: number;
}

/** Subjects the gateway pushes to subscribers: every case event and new notifications, of every organisation. */
export const feedSubjects = (prefix: string): string[] => [
  `${prefix}.*.case.>`,
  eventFilter(prefix, NotificationCreated),
];

/**
 * The gateway's live feed: plain core-NATS subscriptions (not a JetStream consumer), because
 * every replica must see every event and a missed event only means a stale screen. Connects
 * in the background and reconnects forever; `connected` drives /health.
 */
export class NatsEventFeed implements EventSource {
  private readonly listeners = new Set<(event: EventEnvelope) => void>();
  private connection?: NatsConnection;
  private isConnected = false;
  private stopped = false;
  private cancelWait?: () => void;
  private running?: Promise<void>;

  constructor(private readonly options: NatsEventFeedOptions) {}

  get connected(): boolean {
    return this.isConnected;
  }

  listen(listener: (event: EventEnvelope) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts connecting; resolves at once (see `ready` for the first connection). */
  start(): void {
    this.running ??= this.run().catch((error: unknown) =>
      this.options.logger.error({ err: error }, 'NATS feed stopped on an error'),
    );
  }

  /** Resolves once connected and subscribed (for tests and orderly starts). */
  async ready(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.isConnected) {
      if (Date.now() > deadline)
        throw new Error(
          `NATS not reachable at ${this.options.servers.map(redactNatsUrl).join(', ')} after ${timeoutMs} ms`,
        );
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelWait?.();
    const connection = this.connection;
    this.connection = undefined;
    this.isConnected = false;
    if (connection && !connection.isClosed()) await connection.drain().catch(() => connection.close());
    await this.running;
  }

  private async run(): Promise<void> {
    const { logger } = this.options;
    // As logged: a password written into NATS_URL is not.
    const servers = this.options.servers.map(redactNatsUrl);
    let attempts = 0;
    let connection: NatsConnection | undefined;
    while (!this.stopped && !connection) {
      try {
        connection = await connect({
          servers: [...this.options.servers],
          ...(this.options.security ?? OPEN_NATS).connectOptions(),
          name: 'otklik-gateway',
          maxReconnectAttempts: -1,
          reconnectTimeWait: 1000,
        });
      } catch (error) {
        if (attempts++ % 30 === 0) logger.warn({ err: error, servers }, 'NATS not reachable yet; retrying');
        await this.wait(this.options.retryMs ?? 1000);
      }
    }
    if (!connection) return;
    if (this.stopped) {
      await connection.close();
      return;
    }
    this.connection = connection;
    for (const subject of feedSubjects(this.options.prefix)) {
      connection.subscribe(subject, {
        callback: (error, msg) =>
          error
            ? logger.error({ err: error, subject }, 'NATS subscription error')
            : this.receive(msg.subject, msg.string()),
      });
    }
    await connection.flush();
    this.isConnected = true;
    logger.info({ servers, subjects: feedSubjects(this.options.prefix) }, 'listening to events for subscriptions');
    void this.watch(connection);
  }

  /** Follows disconnects and reconnects (the status iterator does not end when the connection closes, so it is not awaited). */
  private async watch(connection: NatsConnection): Promise<void> {
    for await (const status of connection.status()) {
      this.onStatus(status);
      if (connection.isClosed()) return;
    }
  }

  private onStatus(status: Status): void {
    if (status.type === 'disconnect') {
      this.isConnected = false;
      this.options.logger.warn({ server: status.server }, 'NATS disconnected; reconnecting');
    } else if (status.type === 'reconnect') {
      this.isConnected = true;
      this.options.logger.info({ server: status.server }, 'NATS reconnected');
    } else if (status.type === 'close') {
      this.isConnected = false;
    }
  }

  private receive(subject: string, body: string): void {
    let event: EventEnvelope;
    try {
      event = parseEnvelope(JSON.parse(body));
    } catch (error) {
      this.options.logger.warn({ err: error, subject }, 'ignored a malformed event');
      return;
    }
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.options.logger.error({ err: error, subject, eventId: event.eventId }, 'event listener failed');
      }
    }
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.cancelWait = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
