import type { ReadableStreamReadResult } from 'node:stream/web';
import { EgressRefusedError, FetchLike } from '@otklik/channels';
import { parseRetryAfter } from './feed.schedule';

/** What the last answer said, sent back so an unchanged feed costs the site a 304. */
export interface FeedValidators {
  etag?: string | null;
  lastModified?: string | null;
}

export interface FeedFetchLimits {
  timeoutMs: number;
  maxBytes: number;
}

export type FeedFetch =
  | { kind: 'not-modified'; status: 304; etag?: string; lastModified?: string }
  | {
      kind: 'fetched';
      status: number;
      body: Uint8Array;
      contentType: string | null;
      etag?: string;
      lastModified?: string;
    }
  | { kind: 'failed'; status: number | null; reason: string; retryAfterSeconds?: number };

/** ASCII only: header values are bytes. */
const USER_AGENT = 'Otklik-feed-reader/1 (citizens messages to local government)';
const ACCEPT =
  'application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5';

/**
 * One conditional GET of a feed: If-None-Match / If-Modified-Since, a time limit for the whole
 * exchange (body included), and a size limit counted as the body streams in (after
 * decompression), so a huge or endless answer is cut off rather than held in memory. `fetchImpl`
 * is libs/channels' guardedFetch: the feed's address and every redirect are checked against the
 * SSRF policy after DNS. Never throws: every way it can go wrong is a `failed` with the reason.
 */
export async function fetchFeed(
  url: string,
  validators: FeedValidators,
  limits: FeedFetchLimits,
  fetchImpl: FetchLike,
): Promise<FeedFetch> {
  const headers: Record<string, string> = { accept: ACCEPT, 'user-agent': USER_AGENT };
  if (validators.etag) headers['if-none-match'] = validators.etag;
  if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
  const signal = AbortSignal.timeout(limits.timeoutMs);
  const seconds = Math.round(limits.timeoutMs / 1000);
  let response: Response;
  try {
    response = await fetchImpl(url, { headers, signal, redirect: 'follow' });
  } catch (error) {
    return { kind: 'failed', status: null, reason: transportFailure(error, seconds, signal) };
  }
  const etag = response.headers.get('etag') ?? undefined;
  const lastModified = response.headers.get('last-modified') ?? undefined;
  if (response.status === 304) {
    await response.body?.cancel();
    return { kind: 'not-modified', status: 304, etag, lastModified };
  }
  if (response.status < 200 || response.status > 299) {
    await response.body?.cancel().catch(() => undefined);
    const retryAfterSeconds =
      response.status === 429 || response.status === 503
        ? parseRetryAfter(response.headers.get('retry-after'), new Date())
        : undefined;
    return {
      kind: 'failed',
      status: response.status,
      reason: `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    };
  }
  const tooLarge = `the feed is larger than ${limits.maxBytes} bytes`;
  const declared = Number(response.headers.get('content-length'));
  if (declared > limits.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return { kind: 'failed', status: response.status, reason: tooLarge };
  }
  try {
    const body = await readLimited(response, limits.maxBytes);
    if (!body) return { kind: 'failed', status: response.status, reason: tooLarge };
    return {
      kind: 'fetched',
      status: response.status,
      body,
      contentType: response.headers.get('content-type'),
      etag,
      lastModified,
    };
  } catch (error) {
    return { kind: 'failed', status: response.status, reason: transportFailure(error, seconds, signal) };
  }
}

/** The body, or null once it passes `maxBytes` (the rest is not read). */
async function readLimited(response: Response, maxBytes: number): Promise<Uint8Array | null> {
  if (!response.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    // undici types the body's chunks as any; they are bytes.
    const { done, value } = (await reader.read()) as ReadableStreamReadResult<Uint8Array>;
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function transportFailure(error: unknown, timeoutSeconds: number, signal: AbortSignal): string {
  if (error instanceof EgressRefusedError) {
    return `address refused: ${error.message} (a feed must be on the public internet)`;
  }
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (signal.aborted || e.name === 'TimeoutError' || e.name === 'AbortError') {
    return `no complete answer within ${timeoutSeconds} s`;
  }
  const cause = e.cause?.code ?? e.cause?.message;
  return `cannot fetch: ${e.message ?? String(error)}${cause ? ` (${cause})` : ''}`;
}
