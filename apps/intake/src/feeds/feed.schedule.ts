import { MIN_FEED_INTERVAL_SECONDS } from './feed.settings';

/** The longest a failing feed waits between tries: it is still looked at four times a day. */
export const MAX_BACKOFF_SECONDS = 6 * 3600;
/** The longest a Retry-After is honoured; a site asking for more is asked again after a day. */
export const MAX_RETRY_AFTER_SECONDS = 24 * 3600;

const after = (now: Date, seconds: number) => new Date(now.getTime() + Math.round(seconds * 1000));

/** After an answer (new items or 304): the feed's own interval. */
export function nextPollAfterSuccess(now: Date, intervalSeconds: number): Date {
  return after(now, intervalSeconds);
}

/**
 * After the `failures`-th failure in a row: what the site asked for (Retry-After on 429/503), or
 * exponential back-off from the feed's interval, capped, with "equal jitter" (half fixed, half
 * random) so feeds that failed together — a site down for everyone — do not come back together.
 */
export function nextPollAfterFailure(
  now: Date,
  intervalSeconds: number,
  failures: number,
  retryAfterSeconds?: number,
  random: () => number = Math.random,
): Date {
  if (retryAfterSeconds !== undefined) {
    return after(now, Math.min(Math.max(retryAfterSeconds, MIN_FEED_INTERVAL_SECONDS), MAX_RETRY_AFTER_SECONDS));
  }
  const base = Math.min(intervalSeconds * 2 ** Math.min(failures, 20), MAX_BACKOFF_SECONDS);
  return after(now, base / 2 + (random() * base) / 2);
}

/**
 * Retry-After (RFC 9110 §10.2.3): a number of seconds or an HTTP date; undefined when absent or
 * unreadable.
 */
export function parseRetryAfter(header: string | null, now: Date): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.round((at - now.getTime()) / 1000));
}
