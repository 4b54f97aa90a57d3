import type { KV, KvWatchEntry } from '@nats-io/kv';
import { connect, NatsConnection } from '@nats-io/transport-node';
import {
  AuthError,
  ensureStaffAccessBucket,
  LoginAccess,
  parseStaffAccessEntry,
  StaffAccessList,
  TokenIdentity,
} from '@otklik/auth';
import { NatsSecurity, OPEN_NATS, redactNatsUrl } from '@otklik/messaging';
import type { Logger } from '@otklik/observability';

/** Told of every change of the staff access list as it arrives (the open connections' viewers). */
export interface StaffAccessListener {
  /** The login's access changed: its roles, or (with `notBefore`) its tokens issued up to then are revoked. */
  loginChanged(login: string, access: LoginAccess): void;
  /** One token (`jti`) or sign-in session (`sid`) is revoked. */
  sessionRevoked(id: string): void;
}

/** What the authenticator asks of every verified token. */
export interface StaffAccessCheck {
  /** Resolves when the token is not revoked; AuthError UNAUTHENTICATED "session revoked" when it is. */
  check(token: TokenIdentity): Promise<void>;
}

export interface StaffAccessWatcherOptions {
  servers: readonly string[];
  /** Credentials and TLS (GatewayConfig.natsSecurity); none unless given. */
  security?: NatsSecurity;
  /** EVENTS_PREFIX: the bucket is `<prefix>-staff-access`. */
  prefix: string;
  /** AUTH_MAX_TOKEN_LIFETIME plus the clock tolerance: how long an entry can matter (the bucket's max age). */
  retentionSeconds: number;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Pause before connecting or watching again after a failure (default 1 s). */
  retryMs?: number;
  /** How long a request waits for the list to be loaded at start before it is refused (default 5 s). */
  loadWaitMs?: number;
}

/**
 * The staff access list on this replica: every entry of the NATS KV bucket, loaded at start and
 * followed as workflow writes to it (kv.watch from the last values). Until it is loaded the
 * gateway fails closed: requests are refused (after a short wait) and /health answers 503. If
 * NATS goes away later, the list as last known keeps applying and /health answers 503 until the
 * watch is back; entries written meanwhile arrive then.
 */
export class StaffAccessWatcher implements StaffAccessCheck {
  private readonly list: StaffAccessList;
  private readonly listeners = new Set<StaffAccessListener>();
  private connection?: NatsConnection;
  private connected = false;
  private loaded = false;
  private markLoaded!: () => void;
  private readonly loadedOnce = new Promise<void>((resolve) => (this.markLoaded = resolve));
  private stopped = false;
  private running?: Promise<void>;
  private cancelWait?: () => void;
  private stopWatch?: () => void;
  private pruneTimer?: NodeJS.Timeout;

  constructor(private readonly options: StaffAccessWatcherOptions) {
    this.list = new StaffAccessList(options.retentionSeconds);
  }

  /** Loaded and following the bucket now. */
  get ready(): boolean {
    return this.loaded && this.connected;
  }

  subscribe(listener: StaffAccessListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async check(token: TokenIdentity): Promise<void> {
    if (!this.loaded) await this.untilLoaded(this.options.loadWaitMs ?? 5000);
    const revoked = this.list.revocationOf(token);
    if (revoked) throw new AuthError('UNAUTHENTICATED', revoked);
  }

  /** Resolves once the list is loaded; rejects after `timeoutMs` (for orderly starts and tests). */
  async untilLoaded(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `the staff access list (revoked sessions) is not loaded from NATS at ${this.options.servers.map(redactNatsUrl).join(', ')} ` +
                `after ${timeoutMs} ms: refusing to authenticate until it is`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      await Promise.race([this.loadedOnce, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Starts connecting and watching in the background; resolves at once. */
  start(): void {
    this.running ??= this.run().catch((error: unknown) =>
      this.options.logger.error({ err: error }, 'staff access watch stopped on an error'),
    );
    this.pruneTimer ??= setInterval(() => this.list.prune(), 60_000).unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.pruneTimer);
    this.cancelWait?.();
    this.stopWatch?.();
    const connection = this.connection;
    this.connection = undefined;
    this.connected = false;
    if (connection && !connection.isClosed()) await connection.close().catch(() => undefined);
    await this.running;
  }

  private async run(): Promise<void> {
    const { logger } = this.options;
    // As logged: a password written into NATS_URL is not.
    const servers = this.options.servers.map(redactNatsUrl);
    let failures = 0;
    while (!this.stopped) {
      try {
        this.connection ??= await this.connect();
        const kv = await ensureStaffAccessBucket(
          this.connection,
          this.options.prefix,
          this.options.retentionSeconds * 1000,
        );
        failures = 0;
        await this.follow(kv);
      } catch (error) {
        if (this.stopped) return;
        if (failures++ % 30 === 0)
          logger.warn({ err: error, servers }, 'staff access list: cannot reach or watch the NATS bucket; retrying');
      }
      if (!this.stopped) await this.wait(this.options.retryMs ?? 1000);
    }
  }

  private async connect(): Promise<NatsConnection> {
    const connection = await connect({
      servers: [...this.options.servers],
      ...(this.options.security ?? OPEN_NATS).connectOptions(),
      name: 'otklik-gateway-staff-access',
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1000,
    });
    this.connected = true;
    void this.followStatus(connection);
    return connection;
  }

  /** Applies the bucket's last values, then every change, until the watch ends. */
  private async follow(kv: KV): Promise<void> {
    const watch = await kv.watch();
    this.stopWatch = () => watch.stop();
    // Loaded when the last initial entry arrives (nothing pending after it), or at once for an empty
    // bucket, which sends nothing; asked again while waiting, in case its entries expired meanwhile.
    const emptyBucket = async () => {
      if (!this.loaded && (await kv.status()).values === 0) this.setLoaded();
    };
    await emptyBucket();
    const recheck = setInterval(() => void emptyBucket().catch(() => undefined), 2000).unref();
    try {
      for await (const entry of watch) {
        this.receive(entry);
        if (!this.loaded && entry.delta === 0) this.setLoaded();
      }
    } finally {
      clearInterval(recheck);
    }
    if (!this.stopped) this.options.logger.warn('staff access list: the watch ended; watching again');
  }

  private receive(entry: KvWatchEntry): void {
    if (entry.operation !== 'PUT') {
      this.list.remove(entry.key);
      return;
    }
    let parsed;
    try {
      parsed = parseStaffAccessEntry(entry.key, entry.json<unknown>());
    } catch (error) {
      this.options.logger.warn({ err: error, key: entry.key }, 'staff access list: ignored a malformed entry');
      return;
    }
    // A watch started again replays the bucket: what is known already is not announced again.
    if (!this.list.apply(parsed)) return;
    this.options.logger.info(
      parsed.kind === 'login'
        ? { login: parsed.login, reason: parsed.access.reason, notBefore: parsed.access.notBefore }
        : { session: parsed.id, reason: parsed.revocation.reason },
      parsed.kind === 'login' && parsed.access.notBefore === undefined
        ? 'staff access changed'
        : 'staff sessions revoked',
    );
    for (const listener of this.listeners) {
      try {
        if (parsed.kind === 'login') listener.loginChanged(parsed.login, parsed.access);
        else listener.sessionRevoked(parsed.id);
      } catch (error) {
        this.options.logger.error({ err: error, key: entry.key }, 'staff access listener failed');
      }
    }
  }

  private setLoaded(): void {
    this.loaded = true;
    this.markLoaded();
    this.options.logger.info({ entries: this.list.size }, 'staff access list loaded; following it');
  }

  /** Follows disconnects and reconnects (the iterator does not end when the connection closes, so it is not awaited). */
  private async followStatus(connection: NatsConnection): Promise<void> {
    for await (const status of connection.status()) {
      if (status.type === 'disconnect') this.connected = false;
      else if (status.type === 'reconnect') this.connected = true;
      else if (status.type === 'close') this.connected = false;
      if (connection.isClosed()) return;
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
