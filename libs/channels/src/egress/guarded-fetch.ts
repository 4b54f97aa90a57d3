import { IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { pipeline, Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { FetchLike } from '../outbound/http';
import { EgressPolicy, EgressRefusedError, guardedLookup, Resolver, systemResolver, urlRefusal } from './egress.policy';

// By hand on node:http rather than the global fetch: fetch resolves names itself and takes no
// `lookup`, so the address it connects to cannot be the one checked (DNS rebinding). A custom
// undici dispatcher would need the `undici` package beside Node's own copy; request-filtering-agent
// and ssrf-req-filter are node:http agents, which leave the client below to be written anyway.

export interface GuardedFetchOptions {
  policy: EgressPolicy;
  /** Redirects followed, each new address checked like the first (5 unless told). */
  maxRedirects?: number;
  /** How names are resolved (the system's resolver unless a test gives one). */
  resolve?: Resolver;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const NULL_BODY_STATUSES = new Set([204, 205, 304]);
/** Sent to the first origin only: a redirect elsewhere must not carry them. */
const ORIGIN_BOUND_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

/**
 * A fetch for URLs that users give (GET and HEAD only): every address it connects to, first and
 * after each redirect, is checked against `policy` after the name is resolved, and the socket
 * connects to the checked address. Answers as the global fetch does — a `Response`, the body
 * decompressed (gzip, deflate, br), a TypeError or the transport's error when there is no answer —
 * and an `EgressRefusedError` when the policy refuses an address.
 */
export function guardedFetch(options: GuardedFetchOptions): FetchLike {
  const { policy } = options;
  const lookup = policy.allowPrivate ? undefined : guardedLookup(policy, options.resolve ?? systemResolver);
  const maxRedirects = options.maxRedirects ?? 5;
  return async (input, init = {}) => {
    const method = (init.method ?? 'GET').toUpperCase();
    if ((method !== 'GET' && method !== 'HEAD') || (init.body !== undefined && init.body !== null)) {
      throw new TypeError('a guarded fetch makes GET and HEAD requests only, without a body');
    }
    const headers: Record<string, string> = Object.fromEntries(new Headers(init.headers).entries());
    const signal = init.signal ?? undefined;
    let url = new URL(input);
    for (let redirects = 0; ; redirects++) {
      const refusal = urlRefusal(url, policy);
      if (refusal) throw new EgressRefusedError(refusal);
      const answer = await requestOnce(url, method, headers, signal, lookup);
      const location = answer.headers.location;
      if (!REDIRECT_STATUSES.has(answer.statusCode ?? 0) || !location || init.redirect === 'manual') {
        return toResponse(answer, method, signal);
      }
      answer.destroy();
      if (redirects >= maxRedirects) throw new TypeError(`more than ${maxRedirects} redirects`);
      const next = new URL(location, url);
      if (next.origin !== url.origin) for (const name of ORIGIN_BOUND_HEADERS) delete headers[name];
      url = next;
    }
  };
}

function requestOnce(
  url: URL,
  method: string,
  headers: Record<string, string>,
  signal: AbortSignal | undefined,
  lookup: LookupFunction | undefined,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
      url,
      {
        method,
        headers: { 'accept-encoding': 'gzip, deflate, br', ...headers },
        signal,
        // A socket of its own for each request: no pooled socket, connected to an address
        // checked for another request or not at all, is ever reused.
        agent: false,
        ...(lookup ? { lookup } : {}),
      },
      resolve,
    );
    request.on('error', reject);
    request.end();
  });
}

function toResponse(answer: IncomingMessage, method: string, signal: AbortSignal | undefined): Response {
  const status = answer.statusCode ?? 0;
  if (status < 200 || status > 599) {
    answer.destroy();
    throw new TypeError(`the server answered with HTTP status ${status}`);
  }
  const headers = new Headers();
  try {
    for (let i = 0; i + 1 < answer.rawHeaders.length; i += 2)
      headers.append(answer.rawHeaders[i], answer.rawHeaders[i + 1]);
  } catch (error) {
    answer.destroy();
    throw new TypeError('the server answered with a malformed header', { cause: error });
  }
  if (method === 'HEAD' || NULL_BODY_STATUSES.has(status)) {
    answer.resume();
    return new Response(null, { status, headers });
  }
  // The time limit holds for the body too: an abort mid-body ends the stream with the abort's reason.
  const onAbort = () => answer.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
  signal?.addEventListener('abort', onAbort, { once: true });
  answer.once('close', () => signal?.removeEventListener('abort', onAbort));
  // node:stream/web's ReadableStream is the one Response takes, but the two are typed apart (and
  // BodyInit does not resolve without the DOM lib): `never` passes it without an `any`.
  const body = Readable.toWeb(decoded(answer)) as never;
  return new Response(body, { status, statusText: validReason(answer.statusMessage), headers });
}

/** The body as sent, decompressed when it says it is compressed (as fetch does); errors reach the reader. */
function decoded(answer: IncomingMessage): Readable {
  const encoding = (answer.headers['content-encoding'] ?? '').trim().toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? createGunzip()
      : encoding === 'deflate'
        ? createInflate()
        : encoding === 'br'
          ? createBrotliDecompress()
          : null;
  if (!decoder) return answer;
  return pipeline(answer, decoder, () => undefined);
}

function validReason(reason: string | undefined): string {
  return reason && /^[\t\x20-\x7e\x80-\xff]*$/.test(reason) ? reason : '';
}
