import { DEVELOPMENT_AUTH, verifyServiceToken } from '@otklik/auth';
import { CORRELATION_HEADER, SERVICE_HEADER } from '@otklik/contracts';
import { signUrlToken } from '@otklik/storage';
import express from 'express';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ReadableStream } from 'node:stream/web';
import { createAttachmentRoutes } from './attachment.routes';

// Medium: the gateway's attachment routes on a loopback port, in front of a stand-in of
// workflow's internal attachment routes, all over real HTTP.
const SECRET = DEVELOPMENT_AUTH.internalSecret;
const KEY = '6f1c1f8e-2a0b-4c47-9f0e-6a3b1d2c4e5f';
const PHOTO = Buffer.from('\x89PNG a small picture', 'latin1');
const inAMinute = () => new Date(Date.now() + 60_000);

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const listen = (server: Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );

describe('the gateway’s attachment URLs (local storage): signed, then streamed to and from workflow', () => {
  let workflow: Server;
  let gateway: Server;
  let gatewayUrl: string;
  let workflowUrl: string;
  const received: Received[] = [];
  const errors: unknown[] = [];

  beforeAll(async () => {
    // Workflow's side: takes PNGs into memory and serves them back, with the headers it sends.
    const stored = new Map<string, Buffer>();
    workflow = createServer((req, res) => {
      const key = decodeURIComponent((req.url ?? '').split('/').pop() ?? '');
      if (req.method === 'PUT' && req.headers['content-type'] !== 'image/png') {
        // Refuses before reading the body, as workflow does for a wrong type.
        res.writeHead(415, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'send the file with Content-Type image/png', code: 'BAD_USER_INPUT' }));
        return;
      }
      const chunks: Uint8Array[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(new Uint8Array(chunk)));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
        if (req.method === 'PUT') {
          stored.set(key, body);
          res.writeHead(201, { 'content-type': 'application/json', 'x-internal': 'not for clients' });
          res.end(JSON.stringify({ attachmentId: key, size: body.length, contentType: 'image/png' }));
          return;
        }
        const file = stored.get(key);
        if (!file) {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: `no attachment ${key}` }));
          return;
        }
        const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
        const part = range ? file.subarray(Number(range[1]), Number(range[2]) + 1) : file;
        res.writeHead(range ? 206 : 200, {
          'content-type': 'image/png',
          'content-length': String(part.length),
          'accept-ranges': 'bytes',
          'content-disposition': "inline; filename*=UTF-8''pipe.png",
          ...(range ? { 'content-range': `bytes ${range[1]}-${range[2]}/${file.length}` } : {}),
        });
        res.end(part);
      });
    });
    workflowUrl = await listen(workflow);
    const app = express().use(
      createAttachmentRoutes({
        workflowBaseUrl: workflowUrl,
        internalSecret: SECRET,
        logger: { error: (...args: unknown[]) => errors.push(args) },
      }),
    );
    gateway = createServer(app);
    gatewayUrl = await listen(gateway);
  });
  afterAll(async () => {
    for (const server of [gateway, workflow]) {
      server?.closeAllConnections();
      await new Promise((resolve) => server?.close(resolve));
    }
  });
  beforeEach(() => {
    received.length = 0;
    errors.length = 0;
  });

  const url = (access: 'put' | 'get', key = KEY, expiresAt = inAMinute(), signedKey = key) =>
    `${gatewayUrl}/attachments/${key}?token=${signUrlToken(SECRET, access, signedKey, expiresAt)}`;
  const upload = (target: string, body: Uint8Array | string = new Uint8Array(PHOTO), type = 'image/png') =>
    fetch(target, { method: 'PUT', headers: { 'content-type': type }, body });

  it('an upload with a valid URL reaches workflow’s internal route with the gateway’s service token', async () => {
    const response = await upload(url('put'), new Uint8Array(PHOTO));
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ attachmentId: KEY, size: PHOTO.length, contentType: 'image/png' });
    expect(response.headers.get('x-internal')).toBeNull();
    const [request] = received;
    expect(request).toMatchObject({ method: 'PUT', path: `/internal/attachments/${KEY}`, body: PHOTO });
    expect(request.headers).toMatchObject({ 'content-type': 'image/png', 'content-length': String(PHOTO.length) });
    expect(request.headers[CORRELATION_HEADER.toLowerCase()]).toBeDefined();
    await expect(verifyServiceToken(request.headers[SERVICE_HEADER.toLowerCase()] as string, SECRET)).resolves.toEqual({
      service: 'gateway',
    });
  });

  it('a large upload streams through whole (8 MB in chunks, no length announced)', async () => {
    const chunk = new Uint8Array(64 * 1024).fill(7);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 128) return controller.close();
        sent += 1;
        controller.enqueue(chunk);
      },
    });
    // A stream body (Node's fetch needs `duplex` for it, which its types do not know yet).
    const response = await fetch(url('put'), {
      method: 'PUT',
      headers: { 'content-type': 'image/png' },
      body,
      duplex: 'half',
    } as unknown as RequestInit);
    expect(response.status).toBe(201);
    expect(received[0].body.length).toBe(8 * 1024 * 1024);
  });

  it('workflow’s refusal reaches the client as it is (a wrong type: 415 and what to send)', async () => {
    const response = await upload(url('put'), '<html>', 'text/html');
    expect(response.status).toBe(415);
    expect(await response.json()).toEqual({
      error: 'send the file with Content-Type image/png',
      code: 'BAD_USER_INPUT',
    });
  });

  it('a download streams the bytes back with their type, name and range, cacheable privately until the link expires', async () => {
    await upload(url('put'));
    const response = await fetch(url('get'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('content-disposition')).toBe("inline; filename*=UTF-8''pipe.png");
    expect(response.headers.get('cache-control')).toMatch(/^private, max-age=(59|60)$/);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(PHOTO);

    const part = await fetch(url('get'), { headers: { range: 'bytes=1-3' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 1-3/${PHOTO.length}`);
    expect(await part.text()).toBe('PNG');
  });

  describe('the URL’s signature is checked before anything reaches workflow', () => {
    it.each([
      ['without a token', () => `${gatewayUrl}/attachments/${KEY}`, 'this link is not valid for this file'],
      ['with an expired token', () => url('put', KEY, new Date(Date.now() - 1000)), 'this link has expired'],
      [
        'with a token of another file',
        () => url('put', KEY, inAMinute(), 'another-key'),
        'this link is not valid for this file',
      ],
      ['with a reading token', () => url('get'), 'this link is not valid for this file'],
    ])('an upload %s: 403', async (_case, target, why) => {
      const response = await upload(target());
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ error: `${why}: ask for a new upload with createAttachmentUpload` });
      expect(received).toEqual([]);
    });

    it('a download with an uploading token: 403, read the draft again', async () => {
      const response = await fetch(url('put'));
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({
        error: 'this link is not valid for this file: read the draft again for a fresh link',
      });
      expect(received).toEqual([]);
    });
  });

  it('workflow unreachable: 502, and the cause is logged', async () => {
    const app = express().use(
      createAttachmentRoutes({
        workflowBaseUrl: 'http://127.0.0.1:1',
        internalSecret: SECRET,
        logger: { error: (...args: unknown[]) => errors.push(args) },
      }),
    );
    const lonely = createServer(app);
    const base = await listen(lonely);
    try {
      const response = await fetch(url('get').replace(gatewayUrl, base));
      expect(response.status).toBe(502);
      expect(await response.json()).toEqual({ error: 'the file store did not answer; try again in a moment' });
      expect(errors).toHaveLength(1);
    } finally {
      await new Promise((resolve) => lonely.close(resolve));
    }
  });
});
