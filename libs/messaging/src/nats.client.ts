import { connect, NatsConnection } from '@nats-io/transport-node';
import { jetstream, JetStreamClient, jetstreamManager, JetStreamManager } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import { NatsSecurity, OPEN_NATS, redactNatsUrl } from './nats.settings';
import { ensureStreams } from './streams';

/**
 * One NATS connection per process. It reconnects forever; until the first connection,
 * `ready` is pending and the outbox simply keeps rows (nothing is lost while NATS is down).
 */
export class NatsClient {
  private connection?: NatsConnection;
  private js?: JetStreamClient;
  private jsm?: JetStreamManager;
  private closing = false;
  private disconnected = false;
  readonly ready: Promise<void>;
  private markReady!: () => void;

  constructor(
    private readonly url: string,
    private readonly eventsPrefix: string,
    private readonly logger: Logger,
    private readonly name: string,
    private readonly security: NatsSecurity = OPEN_NATS,
  ) {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
  }

  /** The servers as logged: a password written into NATS_URL is not. */
  private get where(): string {
    return redactNatsUrl(this.url);
  }

  /** Connects in the background; resolves at once. */
  start(): void {
    void this.connectLoop();
  }

  private async connectLoop(): Promise<void> {
    for (let attempt = 1; !this.closing; attempt++) {
      try {
        const nc = await connect({
          servers: this.url.split(',').map((server) => server.trim()),
          ...this.security.connectOptions(),
          name: this.name,
          reconnect: true,
          maxReconnectAttempts: -1,
          reconnectTimeWait: 1000,
        });
        this.connection = nc;
        this.js = jetstream(nc);
        this.jsm = await jetstreamManager(nc);
        await ensureStreams(this.jsm, this.eventsPrefix);
        this.watchStatus(nc);
        this.logger.info({ nats: this.where, security: this.security }, 'connected to NATS; streams ready');
        this.markReady();
        return;
      } catch (error) {
        if (this.connection) await this.connection.close().catch(() => undefined);
        this.connection = undefined;
        if (attempt === 1 || attempt % 10 === 0) {
          this.logger.warn(
            { nats: this.where, attempt, err: (error as Error).message },
            'NATS not reachable yet; retrying',
          );
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(250 * attempt, 2000)));
      }
    }
  }

  private watchStatus(nc: NatsConnection): void {
    void (async () => {
      for await (const status of nc.status()) {
        if (status.type === 'disconnect' || status.type === 'reconnect') {
          this.disconnected = status.type === 'disconnect';
          this.logger.warn({ nats: this.where, status: status.type }, `NATS ${status.type}`);
        }
      }
    })();
  }

  get isConnected(): boolean {
    return !!this.connection && !this.connection.isClosed() && !this.disconnected;
  }

  /** Round trip to the server, for health checks. */
  async ping(timeoutMs = 1000): Promise<boolean> {
    if (!this.connection || this.connection.isClosed()) return false;
    try {
      await Promise.race([
        this.connection.flush(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs)),
      ]);
      return true;
    } catch {
      return false;
    }
  }

  get nc(): NatsConnection {
    if (!this.connection) throw new Error('NATS is not connected yet');
    return this.connection;
  }

  get jetstream(): JetStreamClient {
    if (!this.js) throw new Error('NATS is not connected yet');
    return this.js;
  }

  get manager(): JetStreamManager {
    if (!this.jsm) throw new Error('NATS is not connected yet');
    return this.jsm;
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.connection && !this.connection.isClosed()) await this.connection.drain().catch(() => undefined);
  }
}
