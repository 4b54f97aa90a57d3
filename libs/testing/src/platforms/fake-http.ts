import { createServer, IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * What the fake platform servers share: a real HTTP server on a loopback port, the request read
 * whole, its body read as the platforms send theirs (form-encoded, multipart/form-data, JSON), and
 * a queue of failures a test asks for ("the next call fails with …").
 */

export interface ReceivedFile {
  /** The multipart field it came in (VK: `photo`, Telegram: `photo` or `attach://` names, MAX: `data`). */
  field: string;
  fileName?: string;
  contentType?: string;
  size: number;
  bytes: Buffer;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Form fields and files of a request: its query, then its form-encoded or multipart body. */
export interface ReceivedForm {
  fields: Record<string, string>;
  files: ReceivedFile[];
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
  /** Bytes as they are (a file). */
  body?: Buffer;
}

export interface RunningServer {
  /** `http://127.0.0.1:<port>`. */
  readonly base: string;
  close(): Promise<void>;
}

export async function startHttp(handle: (request: ReceivedRequest) => Reply | Promise<Reply>): Promise<RunningServer> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const chunks: Uint8Array[] = [];
      for await (const chunk of req) chunks.push(chunk as Uint8Array);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      let reply: Reply;
      try {
        reply = await handle({
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body: Buffer.concat(chunks),
        });
      } catch (error) {
        reply = { status: 500, text: error instanceof Error ? error.message : String(error) };
      }
      res.statusCode = reply.status ?? 200;
      for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
      if (reply.body !== undefined) {
        res.end(reply.body);
      } else if (reply.json !== undefined) {
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end(JSON.stringify(reply.json));
      } else {
        res.end(reply.text ?? '');
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** The request's parameters as VK and Telegram read them: query and body together. */
export function readForm(request: ReceivedRequest): ReceivedForm {
  const fields: Record<string, string> = {};
  for (const [name, value] of request.query) fields[name] = value;
  const type = request.headers['content-type'] ?? '';
  if (type.startsWith('application/x-www-form-urlencoded')) {
    for (const [name, value] of new URLSearchParams(request.body.toString('utf8'))) fields[name] = value;
    return { fields, files: [] };
  }
  if (type.startsWith('multipart/form-data')) {
    const parsed = parseMultipart(request.body, type);
    return { fields: { ...fields, ...parsed.fields }, files: parsed.files };
  }
  if (type.startsWith('application/json') && request.body.length > 0) {
    const json = JSON.parse(request.body.toString('utf8')) as Record<string, unknown>;
    for (const [name, value] of Object.entries(json)) {
      fields[name] = typeof value === 'string' ? value : JSON.stringify(value);
    }
  }
  return { fields, files: [] };
}

/** multipart/form-data (RFC 7578): each part's name, file name, type and bytes. */
export function parseMultipart(body: Buffer, contentType: string): ReceivedForm {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!boundary) throw new Error('multipart/form-data without a boundary');
  const delimiter = `--${boundary[1] ?? boundary[2]}`;
  const fields: Record<string, string> = {};
  const files: ReceivedFile[] = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const partStart = start + delimiter.length;
    if (body.subarray(partStart, partStart + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, partStart);
    if (next === -1) break;
    // Each part: CRLF, headers, CRLF CRLF, content, CRLF before the next delimiter.
    const part = body.subarray(partStart + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, split).toString('utf8');
    const content = part.subarray(split + 4);
    const name = /name="([^"]*)"/i.exec(headers)?.[1] ?? '';
    const fileName = /filename="([^"]*)"/i.exec(headers)?.[1];
    const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim();
    if (fileName !== undefined) {
      files.push({ field: name, fileName, contentType: type, size: content.length, bytes: content });
    } else {
      fields[name] = content.toString('utf8');
    }
    start = next;
  }
  return { fields, files };
}

/**
 * Failures a test queues: the next `times` calls of a method (or of any, `*`) get `error` instead
 * of being served.
 */
export class FailureQueue<E> {
  private readonly queue: Array<{ method: string; error: E; left: number }> = [];

  add(method: string, error: E, times = 1): void {
    this.queue.push({ method, error, left: times });
  }

  take(method: string): E | undefined {
    const index = this.queue.findIndex((f) => f.method === method || f.method === '*');
    if (index === -1) return undefined;
    const failure = this.queue[index];
    failure.left -= 1;
    if (failure.left <= 0) this.queue.splice(index, 1);
    return failure.error;
  }
}

/** A request to a bot API that answers by path (MAX, OK): where it went and, when refused, with what. */
export interface FakeRestCall<E> {
  method: string;
  path: string;
  query: Record<string, string>;
  body?: unknown;
  error?: E;
}

/** What a test does with such an API, whatever the platform. */
export interface FakeRestApi<E> {
  /** The URL to give a publisher as the platform's API URL. */
  readonly url: string;
  readonly calls: Array<FakeRestCall<E>>;
  /** The next `times` requests to `route` (`*`: any) fail with `error`. */
  failNext(route: string, error: E, times?: number): void;
  revokeToken(): void;
  close(): Promise<void>;
}

/** One request as the platform's handler sees it, already recorded among the calls. */
export interface FakeRestExchange<E> {
  request: ReceivedRequest;
  query: Record<string, string>;
  call: FakeRestCall<E>;
  /** The answer refusing the call with `error`, which is recorded on it. */
  refuse(error: E): Reply;
  /** The failure a test queued for `route`, if one is left. */
  queued(route: string): E | undefined;
  /** Whether the test has revoked the token. */
  revoked: boolean;
  /** This server's address, for the upload URLs it hands out. */
  base: string;
}

/**
 * The scaffolding of a bot API that answers by path: every request recorded as a call, failures
 * a test queues, a token it can revoke. `refusal` writes an error as the platform does;
 * `handle` is the platform's behaviour.
 */
export async function startFakeRestApi<E>(
  refusal: (error: E) => Reply,
  handle: (exchange: FakeRestExchange<E>) => Reply,
): Promise<FakeRestApi<E>> {
  const calls: Array<FakeRestCall<E>> = [];
  const failures = new FailureQueue<E>();
  let revoked = false;
  let base = '';
  const running = await startHttp((request) => {
    const query = Object.fromEntries(request.query);
    const call: FakeRestCall<E> = { method: request.method, path: request.path, query };
    calls.push(call);
    const refuse = (error: E): Reply => {
      call.error = error;
      return refusal(error);
    };
    return handle({ request, query, call, refuse, queued: (route) => failures.take(route), revoked, base });
  });
  base = running.base;
  return {
    url: running.base,
    calls,
    failNext: (route, error, times = 1) => failures.add(route, error, times),
    revokeToken: () => {
      revoked = true;
    },
    close: () => running.close(),
  };
}

export interface StaticFile {
  bytes: Buffer;
  contentType: string;
}

export interface StaticFiles extends RunningServer {
  /** `${base}/<name>` for a file served. */
  urlOf(name: string): string;
  /** Paths requested, in order. */
  readonly requests: string[];
}

/** Files served over HTTP, as Otklik's attachment storage serves answers' attachments; others are 404. */
export async function serveFiles(files: Record<string, StaticFile>): Promise<StaticFiles> {
  const requests: string[] = [];
  const server = await startHttp((request) => {
    requests.push(request.path);
    const file = files[decodeURIComponent(request.path.slice(1))];
    if (!file) return { status: 404, text: 'not found' };
    return { headers: { 'content-type': file.contentType }, body: file.bytes };
  });
  return { ...server, requests, urlOf: (name) => `${server.base}/${encodeURIComponent(name)}` };
}
