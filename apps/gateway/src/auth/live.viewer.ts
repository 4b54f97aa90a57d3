import { epochSeconds, isAuthError, LoginAccess, TokenIdentity, Viewer } from '@otklik/auth';
import type { Logger } from '@otklik/observability';
import type { StaffAccessListener } from './staff-access.watcher';
import type { ViewerLookup } from './viewer.client';

/** What asking for a login's viewer now found out. */
export type ViewerCheck =
  | { readonly status: 'current'; readonly viewer: Viewer }
  /** Workflow no longer knows the login (the person was removed). */
  | { readonly status: 'gone' }
  /** Workflow could not answer: go on with the last known viewer. */
  | { readonly status: 'unavailable' };

export interface ViewerRefresherOptions {
  /** How long a viewer counts as current after workflow confirmed it (the lookup's cache lifetime, 30 s). */
  freshMs?: number;
  /** While lookups fail, how long to go on with last known viewers before asking again (default 5 s). */
  retryMs?: number;
  now?: () => number;
}

/** What a connection is told besides its viewer changing. */
export interface LiveViewerHooks {
  /** Once, when workflow no longer knows the login. */
  gone?: () => void;
  /** Once, when the connection's token is revoked (the staff access list). */
  revoked?: (reason: string) => void;
}

/** A connection as tracked: the login and token it authenticated with, and the viewer then. */
export interface TrackedConnection {
  login: string;
  viewer: Viewer;
  /** The connection's verified JWT: what a revocation is matched against. */
  token?: TokenIdentity;
}

/**
 * Keeps the viewers of long-lived connections (graphql-ws sockets) up to date, through the same
 * lookup HTTP requests use: its 30 s cache and its sharing of concurrent lookups make that one
 * workflow request per login per 30 s, whatever the number of sockets and subscriptions. While
 * workflow cannot answer, connections keep their last known viewer; that is logged once per outage.
 * A change announced on the staff access list is applied at once: the login's cached viewer is
 * dropped and its connections check again (or are revoked), without waiting for the 30 s.
 */
export class ViewerRefresher implements StaffAccessListener {
  /** The live connections of each login. */
  private readonly connections = new Map<string, Set<LiveViewer>>();
  private outage = false;
  private retryAt = 0;
  readonly freshMs: number;
  private readonly retryMs: number;
  readonly now: () => number;

  constructor(
    private readonly viewers: ViewerLookup,
    private readonly logger: Pick<Logger, 'warn' | 'info'>,
    options: ViewerRefresherOptions = {},
  ) {
    this.freshMs = options.freshMs ?? 30_000;
    this.retryMs = options.retryMs ?? 5_000;
    this.now = options.now ?? Date.now;
  }

  async check(login: string): Promise<ViewerCheck> {
    // During an outage, not every batch of every subscriber waits for a lookup bound to fail.
    if (this.outage && this.now() < this.retryAt) return { status: 'unavailable' };
    try {
      const viewer = await this.viewers.viewer(login);
      if (this.outage) {
        this.outage = false;
        this.logger.info({ login }, 'viewer lookup answers again; open connections follow their viewers again');
      }
      return { status: 'current', viewer };
    } catch (error) {
      // The lookup's only AuthError is "unknown user" (404); anything else is workflow failing.
      if (isAuthError(error)) return { status: 'gone' };
      this.retryAt = this.now() + this.retryMs;
      if (!this.outage) {
        this.outage = true;
        this.logger.warn(
          { err: error, login },
          'viewer lookup failed: open connections keep their last known viewer until workflow answers again',
        );
      }
      return { status: 'unavailable' };
    }
  }

  /**
   * The viewer of a connection, from the login of its verified JWT and the viewer looked up at
   * connect, until `dispose()` (the connection closed).
   */
  track(connection: TrackedConnection, hooks: LiveViewerHooks = {}): LiveViewer {
    const live = new LiveViewer(connection, this, hooks, () => this.untrack(live));
    const ofLogin = this.connections.get(connection.login) ?? new Set<LiveViewer>();
    ofLogin.add(live);
    this.connections.set(connection.login, ofLogin);
    return live;
  }

  /** Live connections tracked now. */
  get tracked(): number {
    let count = 0;
    for (const ofLogin of this.connections.values()) count += ofLogin.size;
    return count;
  }

  loginChanged(login: string, access: LoginAccess): void {
    this.viewers.forget?.(login);
    for (const live of [...(this.connections.get(login) ?? [])]) {
      const issuedAt = live.token?.issuedAt;
      if (access.notBefore !== undefined && issuedAt && epochSeconds(issuedAt) <= access.notBefore)
        live.revoke('session revoked');
      else void live.current();
    }
  }

  sessionRevoked(id: string): void {
    for (const ofLogin of [...this.connections.values()]) {
      for (const live of [...ofLogin]) {
        if (live.token?.tokenId === id || live.token?.sessionId === id) live.revoke('session revoked');
      }
    }
  }

  private untrack(live: LiveViewer): void {
    const ofLogin = this.connections.get(live.login);
    ofLogin?.delete(live);
    if (ofLogin?.size === 0) this.connections.delete(live.login);
  }
}

/** One connection's viewer: the last known one at hand, the current one on request. */
export class LiveViewer {
  readonly login: string;
  readonly token?: TokenIdentity;
  private last: Viewer;
  private checkedAt: number;
  private isGone = false;
  private revokedFor?: string;
  private readonly changeListeners = new Set<(viewer: Viewer) => void>();

  constructor(
    connection: TrackedConnection,
    private readonly refresher: ViewerRefresher,
    private readonly hooks: LiveViewerHooks,
    private readonly untrack: () => void,
  ) {
    this.login = connection.login;
    this.token = connection.token;
    this.last = connection.viewer;
    this.checkedAt = refresher.now();
  }

  /** The last known viewer (cheap; for filtering events as they arrive). */
  get viewer(): Viewer {
    return this.last;
  }

  /**
   * Whether the last known viewer has not been checked for as long as the lookup's cache keeps
   * one: it may have changed since. (While workflow cannot answer, checking changes nothing, so
   * a failed check counts as one.)
   */
  get stale(): boolean {
    return this.refresher.now() - this.checkedAt >= this.refresher.freshMs;
  }

  get gone(): boolean {
    return this.isGone;
  }

  /** Why the connection's token was revoked, once it was. */
  get revoked(): string | undefined {
    return this.revokedFor;
  }

  /**
   * Calls `listener` whenever a check finds a new viewer (e.g. at once after a role is withdrawn),
   * until the returned function is called.
   */
  onChange(listener: (viewer: Viewer) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /**
   * The viewer as it is now (at most the lookup's cache lifetime old, or fresh after a change on
   * the staff access list); the last known one while workflow cannot answer; null once the person
   * no longer exists or the token was revoked.
   */
  async current(): Promise<Viewer | null> {
    if (this.isGone || this.revokedFor) return null;
    const check = await this.refresher.check(this.login);
    if (this.isGone || this.revokedFor) return null;
    if (check.status === 'gone') {
      this.isGone = true;
      this.hooks.gone?.();
      this.dispose();
      return null;
    }
    this.checkedAt = this.refresher.now();
    if (check.status === 'current' && check.viewer !== this.last) {
      this.last = check.viewer;
      for (const listener of [...this.changeListeners]) listener(check.viewer);
    }
    return this.last;
  }

  /** The connection's token is revoked: it is told once, and its viewer is gone from now on. */
  revoke(reason: string): void {
    if (this.revokedFor) return;
    this.revokedFor = reason;
    this.hooks.revoked?.(reason);
    this.dispose();
  }

  /** The connection closed: no longer tracked. */
  dispose(): void {
    this.changeListeners.clear();
    this.untrack();
  }
}
