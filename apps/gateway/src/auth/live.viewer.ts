import { isAuthError, Viewer } from '@otklik/auth';
import type { Logger } from '@otklik/observability';
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

/**
 * Keeps the viewers of long-lived connections (graphql-ws sockets) up to date, through the same
 * lookup HTTP requests use: its 30 s cache and its sharing of concurrent lookups make that one
 * workflow request per login per 30 s, whatever the number of sockets and subscriptions. While
 * workflow cannot answer, connections keep their last known viewer; that is logged once per outage.
 */
export class ViewerRefresher {
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
   * connect; `onGone` is called once when workflow no longer knows the login.
   */
  track(login: string, viewer: Viewer, onGone: () => void = () => undefined): LiveViewer {
    return new LiveViewer(login, viewer, this, onGone);
  }
}

/** One connection's viewer: the last known one at hand, the current one on request. */
export class LiveViewer {
  private last: Viewer;
  private checkedAt: number;
  private isGone = false;

  constructor(
    readonly login: string,
    viewer: Viewer,
    private readonly refresher: ViewerRefresher,
    private readonly onGone: () => void,
  ) {
    this.last = viewer;
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

  /**
   * The viewer as it is now (at most the lookup's cache lifetime old); the last known one while
   * workflow cannot answer; null once the person no longer exists.
   */
  async current(): Promise<Viewer | null> {
    if (this.isGone) return null;
    const check = await this.refresher.check(this.login);
    if (this.isGone) return null;
    if (check.status === 'gone') {
      this.isGone = true;
      this.onGone();
      return null;
    }
    if (check.status === 'current') this.last = check.viewer;
    this.checkedAt = this.refresher.now();
    return this.last;
  }
}
