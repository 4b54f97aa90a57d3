import { ConfigError } from '@otklik/service-kit';

/** How the feed poller of an intake replica runs (read once at boot, STYLE.md §6). */
export interface FeedPollerSettings {
  /** INTAKE_FEED_POLL=on|off (default on): whether this replica polls feeds by itself. */
  enabled: boolean;
  /** INTAKE_FEED_POLL_EVERY_SECONDS (default 15): how often it looks for feeds that are due. */
  everyMs: number;
  /** INTAKE_FEED_TIMEOUT_SECONDS (default 30): the longest a feed may take to answer, body included. */
  timeoutMs: number;
  /** The largest feed read; a larger one is a failure, not a truncated read. */
  maxBytes: number;
  /** Feeds claimed per round, and fetched at most this many at a time. */
  batchSize: number;
  concurrency: number;
  /** How long a claim holds a feed: longer than a fetch and its storing, so no other replica takes it meanwhile. */
  leaseSeconds: number;
  /** INTAKE_FEEDS_ALLOW_PRIVATE (default false): feeds may be on private, loopback, link-local addresses. */
  allowPrivateAddresses: boolean;
}

export const FEED_POLLER_DEFAULTS: FeedPollerSettings = {
  enabled: true,
  everyMs: 15_000,
  timeoutMs: 30_000,
  maxBytes: 5 * 1024 * 1024,
  batchSize: 20,
  concurrency: 4,
  leaseSeconds: 300,
  allowPrivateAddresses: false,
};

/**
 * INTAKE_FEEDS_ALLOW_PRIVATE=true|false: whether a FEED source may point inside the network
 * intake runs in (SSRF, docs/security.md B8). Off unless set; meant for development, tests and
 * an intranet site the operator trusts. Production accepts it, and intake says so at start.
 */
export function readFeedsAllowPrivate(env: NodeJS.ProcessEnv): boolean {
  const raw = (env.INTAKE_FEEDS_ALLOW_PRIVATE?.trim() || 'false').toLowerCase();
  if (raw !== 'true' && raw !== 'false') {
    throw new ConfigError(
      'INTAKE_FEEDS_ALLOW_PRIVATE',
      `must be true or false, got "${env.INTAKE_FEEDS_ALLOW_PRIVATE}"`,
    );
  }
  return raw === 'true';
}

function seconds(env: NodeJS.ProcessEnv, name: string, fallbackMs: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallbackMs;
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= min && value <= max)) {
    throw new ConfigError(name, `must be a whole number of seconds from ${min} to ${max}, got "${raw}"`);
  }
  return value * 1000;
}

export function loadFeedPollerSettings(env: NodeJS.ProcessEnv): FeedPollerSettings {
  const poll = (env.INTAKE_FEED_POLL?.trim() || 'on').toLowerCase();
  if (!['on', 'off', 'true', 'false'].includes(poll)) {
    throw new ConfigError('INTAKE_FEED_POLL', `must be on or off, got "${env.INTAKE_FEED_POLL}"`);
  }
  return {
    ...FEED_POLLER_DEFAULTS,
    enabled: poll === 'on' || poll === 'true',
    everyMs: seconds(env, 'INTAKE_FEED_POLL_EVERY_SECONDS', FEED_POLLER_DEFAULTS.everyMs, 1, 3600),
    timeoutMs: seconds(env, 'INTAKE_FEED_TIMEOUT_SECONDS', FEED_POLLER_DEFAULTS.timeoutMs, 1, 120),
    allowPrivateAddresses: readFeedsAllowPrivate(env),
  };
}

/** A FEED source's settings (intake.sources.settings): `{ url, intervalSeconds }`. */
export interface FeedSourceSettings {
  url: string;
  intervalSeconds: number;
}

export const DEFAULT_FEED_INTERVAL_SECONDS = 600;
/** Polling a site more often than this is unkind to it and tells us nothing new. */
export const MIN_FEED_INTERVAL_SECONDS = 60;
export const MAX_FEED_INTERVAL_SECONDS = 86_400;

/** The settings, or what is wrong with them (recorded on the feed's state, so an operator sees it). */
export function readFeedSourceSettings(
  settings: Record<string, unknown>,
): { ok: true; settings: FeedSourceSettings } | { ok: false; problem: string } {
  const { url, intervalSeconds } = settings;
  if (typeof url !== 'string' || url.trim() === '') return { ok: false, problem: 'settings.url is required' };
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return { ok: false, problem: `settings.url is not an address: "${url.slice(0, 200)}"` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { ok: false, problem: 'settings.url must be an http(s) address' };
  }
  if (intervalSeconds !== undefined && (typeof intervalSeconds !== 'number' || !Number.isFinite(intervalSeconds))) {
    return { ok: false, problem: 'settings.intervalSeconds must be a number of seconds' };
  }
  const interval = Math.round(intervalSeconds ?? DEFAULT_FEED_INTERVAL_SECONDS);
  return {
    ok: true,
    settings: {
      url: parsed.toString(),
      // Out of range is brought into it rather than refused: the feed is still worth reading.
      intervalSeconds: Math.min(Math.max(interval, MIN_FEED_INTERVAL_SECONDS), MAX_FEED_INTERVAL_SECONDS),
    },
  };
}
