import { AuthError, parseViewer, signServiceToken, Viewer } from '@otklik/auth';
import { SERVICE_HEADER } from '@otklik/contracts';
import { ViewerCache } from './viewer.cache';

export interface ViewerLookup {
  /** The viewer of a login; AuthError UNAUTHENTICATED "unknown user" when workflow does not know it. */
  viewer(login: string): Promise<Viewer>;
  /** Drops what is remembered of the login (its access changed): the next request asks workflow. */
  forget?(login: string): void;
}

export interface ViewerClientOptions {
  workflowBaseUrl: string;
  internalSecret: string;
  ttlMs?: number;
  maxEntries?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

/** Asks workflow who a login is (`GET /internal/viewers/{login}`), remembering answers for 30 s. */
export class ViewerClient implements ViewerLookup {
  private readonly cache: ViewerCache<Viewer>;
  /** Concurrent requests for the same login share one lookup. */
  private readonly inFlight = new Map<string, Promise<Viewer>>();
  /** How many times each login was forgotten: a lookup that started before is not remembered. */
  private readonly forgotten = new Map<string, number>();
  private readonly fetch: typeof fetch;

  constructor(private readonly options: ViewerClientOptions) {
    this.cache = new ViewerCache(options.ttlMs ?? 30_000, options.maxEntries ?? 10_000, options.now);
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  async viewer(login: string): Promise<Viewer> {
    const cached = this.cache.get(login);
    if (cached) return cached;
    let pending = this.inFlight.get(login);
    if (!pending) {
      const started: Promise<Viewer> = this.lookup(login).finally(() => {
        if (this.inFlight.get(login) === started) this.inFlight.delete(login);
      });
      pending = started;
      this.inFlight.set(login, pending);
    }
    return pending;
  }

  forget(login: string): void {
    this.cache.delete(login);
    this.inFlight.delete(login);
    this.forgotten.set(login, (this.forgotten.get(login) ?? 0) + 1);
  }

  private async lookup(login: string): Promise<Viewer> {
    const generation = this.forgotten.get(login) ?? 0;
    const url = `${this.options.workflowBaseUrl}/internal/viewers/${encodeURIComponent(login)}`;
    const response = await this.fetch(url, {
      headers: {
        [SERVICE_HEADER]: await signServiceToken('gateway', this.options.internalSecret),
        accept: 'application/json',
      },
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
    });
    if (response.status === 404) throw new AuthError('UNAUTHENTICATED', 'unknown user');
    if (!response.ok) throw new Error(`viewer lookup for "${login}" failed: ${url} answered HTTP ${response.status}`);
    let viewer: Viewer;
    try {
      viewer = parseViewer(await response.json());
    } catch (error) {
      throw new Error(
        `viewer lookup for "${login}": workflow answered an unusable viewer: ${(error as Error).message}`,
        { cause: error },
      );
    }
    // Asked before a change of the login's access was announced: the answer may predate it.
    if ((this.forgotten.get(login) ?? 0) === generation) this.cache.set(login, viewer);
    return viewer;
  }
}
