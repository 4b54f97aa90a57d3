import { createHash, createHmac, randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * Enough of Amazon S3's REST API for tests of an S3 client, from its documentation (API
 * Reference: PutObject, GetObject, HeadObject, DeleteObject; "Authenticating Requests:
 * Signature Version 4", both the Authorization header and presigned query parameters). A
 * library such as a MinIO server would need a binary this machine cannot fetch; this one runs
 * in the test's own process on a loopback port. Path-style addressing only
 * (`http://127.0.0.1:<port>/<bucket>/<key>`), one bucket, objects in memory. Every request's
 * signature is checked with the given credentials, so a test proves that a client signs what
 * it should (a presigned upload's Content-Type and Content-Length included).
 */

export interface FakeS3Options {
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface FakeS3Object {
  body: Buffer;
  contentType: string;
}

export interface FakeS3Request {
  method: string;
  key: string | null;
  /** How the request was signed. */
  auth: 'header' | 'presigned';
  status: number;
}

export interface FakeS3 {
  /** The endpoint to give an S3 client (`S3_ENDPOINT`). */
  readonly url: string;
  readonly objects: Map<string, FakeS3Object>;
  readonly requests: FakeS3Request[];
  close(): Promise<void>;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const UNSIGNED = 'UNSIGNED-PAYLOAD';

class S3Failure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A Buffer as the Uint8Array that node:crypto's types take. */
const bytes = (buffer: Buffer): Uint8Array => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
const sha256 = (data: string | Buffer): string =>
  createHash('sha256')
    .update(typeof data === 'string' ? data : bytes(data))
    .digest('hex');
const hmac = (key: string | Uint8Array, data: string): Uint8Array =>
  bytes(createHmac('sha256', key).update(data).digest());

/** RFC 3986 encoding as SigV4 wants it: encodeURIComponent leaves !'()* alone, SigV4 does not. */
const uriEncode = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function canonicalQuery(rawQuery: string, without?: string): string {
  return rawQuery
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const [k, v = ''] = pair.split('=');
      return [decodeURIComponent(k.replace(/\+/g, ' ')), decodeURIComponent(v.replace(/\+/g, ' '))];
    })
    .filter(([k]) => k !== without)
    .map(([k, v]) => [uriEncode(k), uriEncode(v)])
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function headerValue(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  const joined = Array.isArray(value) ? value.join(',') : (value ?? '');
  return joined.trim().replace(/\s+/g, ' ');
}

interface Signed {
  auth: FakeS3Request['auth'];
  credential: string;
  amzDate: string;
  signedHeaders: string[];
  signature: string;
  payloadHash: string;
  /** Presigned only: when the URL stops being valid. */
  expiresAt?: number;
}

function readSignature(req: IncomingMessage, query: URLSearchParams): Signed {
  const header = req.headers.authorization;
  if (header) {
    const match = new RegExp(
      `^${ALGORITHM} Credential=([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$`,
    ).exec(header);
    if (!match) throw new S3Failure(400, 'AuthorizationHeaderMalformed', 'the Authorization header is malformed');
    return {
      auth: 'header',
      credential: match[1],
      signedHeaders: match[2].split(';'),
      signature: match[3],
      amzDate: headerValue(req, 'x-amz-date'),
      payloadHash: headerValue(req, 'x-amz-content-sha256'),
    };
  }
  if (query.get('X-Amz-Algorithm') === ALGORITHM) {
    const amzDate = query.get('X-Amz-Date') ?? '';
    const seconds = Number(query.get('X-Amz-Expires'));
    const issued = Date.parse(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
    return {
      auth: 'presigned',
      credential: query.get('X-Amz-Credential') ?? '',
      signedHeaders: (query.get('X-Amz-SignedHeaders') ?? '').split(';'),
      signature: query.get('X-Amz-Signature') ?? '',
      amzDate,
      payloadHash: UNSIGNED,
      expiresAt: issued + seconds * 1000,
    };
  }
  throw new S3Failure(403, 'AccessDenied', 'the request is not signed');
}

function verify(req: IncomingMessage, options: FakeS3Options, body: Buffer): FakeS3Request['auth'] {
  const [path, rawQuery = ''] = (req.url ?? '/').split('?');
  const query = new URLSearchParams(rawQuery);
  const signed = readSignature(req, query);
  const [accessKeyId, date, region, service, terminator] = signed.credential.split('/');
  if (accessKeyId !== options.accessKeyId)
    throw new S3Failure(403, 'InvalidAccessKeyId', 'the access key id does not exist');
  if (
    region !== options.region ||
    service !== 's3' ||
    terminator !== 'aws4_request' ||
    !signed.amzDate.startsWith(date)
  )
    throw new S3Failure(400, 'AuthorizationQueryParametersError', `bad credential scope ${signed.credential}`);
  if (signed.expiresAt !== undefined && !(signed.expiresAt > Date.now()))
    throw new S3Failure(403, 'AccessDenied', 'Request has expired');
  if (!signed.signedHeaders.includes('host')) throw new S3Failure(403, 'AccessDenied', 'host must be signed');
  // Our client turns the SDK's checksum trailers off (S3Storage: requestChecksumCalculation
  // WHEN_REQUIRED), so a chunked-upload request here means that setting regressed: refuse it the
  // way an S3-compatible service without chunked uploads does, with S3's own 501 error.
  if (signed.auth === 'header' && /^STREAMING-/.test(signed.payloadHash))
    throw new S3Failure(501, 'NotImplemented', 'A header you provided implies functionality that is not implemented');
  if (signed.auth === 'header' && signed.payloadHash !== UNSIGNED && signed.payloadHash !== sha256(body))
    throw new S3Failure(400, 'XAmzContentSHA256Mismatch', 'the body does not match x-amz-content-sha256');

  const canonicalRequest = [
    req.method,
    path,
    canonicalQuery(rawQuery, signed.auth === 'presigned' ? 'X-Amz-Signature' : undefined),
    ...signed.signedHeaders.map((name) => `${name}:${headerValue(req, name)}`),
    '',
    signed.signedHeaders.join(';'),
    signed.payloadHash,
  ].join('\n');
  const scope = `${date}/${region}/s3/aws4_request`;
  const stringToSign = [ALGORITHM, signed.amzDate, scope, sha256(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${options.secretAccessKey}`, date), region), 's3'), 'aws4_request');
  if (Buffer.from(hmac(signingKey, stringToSign)).toString('hex') !== signed.signature)
    throw new S3Failure(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided',
    );
  return signed.auth;
}

function sendError(res: ServerResponse, method: string, failure: S3Failure, key: string | null): void {
  res.statusCode = failure.status;
  if (method === 'HEAD') {
    res.end();
    return;
  }
  res.setHeader('content-type', 'application/xml');
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${failure.code}</Code><Message>${failure.message}</Message>` +
      `${key ? `<Key>${key}</Key>` : ''}<RequestId>${randomUUID()}</RequestId></Error>`,
  );
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(bytes(chunk)));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function objectHeaders(res: ServerResponse, object: FakeS3Object): void {
  res.setHeader('content-type', object.contentType);
  res.setHeader('etag', `"${createHash('md5').update(bytes(object.body)).digest('hex')}"`);
  res.setHeader('accept-ranges', 'bytes');
  res.setHeader('last-modified', new Date().toUTCString());
}

/** Starts the fake on a free loopback port. */
export async function startFakeS3(options: FakeS3Options): Promise<FakeS3> {
  const objects = new Map<string, FakeS3Object>();
  const requests: FakeS3Request[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0];
    const [, bucket = '', ...rest] = path.split('/');
    const key = rest.length > 0 ? decodeURIComponent(rest.join('/')) : null;
    let auth: FakeS3Request['auth'] = 'header';
    try {
      // A client that stops sending mid-body never gets an object.
      const body = await readBody(req);
      auth = verify(req, options, body);
      if (decodeURIComponent(bucket) !== options.bucket)
        throw new S3Failure(404, 'NoSuchBucket', 'The specified bucket does not exist');
      // Object operations only: the store never lists or manages buckets, and S3 answers an
      // operation a service does not offer with this 501.
      if (!key)
        throw new S3Failure(
          501,
          'NotImplemented',
          'A header you provided implies functionality that is not implemented',
        );
      if (method === 'PUT') {
        const declared = Number(req.headers['content-length']);
        if (Number.isFinite(declared) && declared !== body.length)
          throw new S3Failure(400, 'IncompleteBody', 'fewer bytes than Content-Length');
        const object = { body, contentType: headerValue(req, 'content-type') || 'binary/octet-stream' };
        objects.set(key, object);
        res.setHeader('etag', `"${createHash('md5').update(bytes(body)).digest('hex')}"`);
        res.statusCode = 200;
        res.end();
      } else if (method === 'GET' || method === 'HEAD') {
        const object = objects.get(key);
        if (!object) throw new S3Failure(404, 'NoSuchKey', 'The specified key does not exist.');
        objectHeaders(res, object);
        const range = /^bytes=(\d+)-(\d*)$/.exec(headerValue(req, 'range'));
        const start = range ? Number(range[1]) : 0;
        const end = range && range[2] ? Math.min(Number(range[2]), object.body.length - 1) : object.body.length - 1;
        if (range && start >= object.body.length)
          throw new S3Failure(416, 'InvalidRange', 'The requested range is not satisfiable');
        const part = object.body.subarray(start, end + 1);
        res.statusCode = range ? 206 : 200;
        if (range) res.setHeader('content-range', `bytes ${start}-${end}/${object.body.length}`);
        res.setHeader('content-length', String(part.length));
        res.end(method === 'HEAD' ? undefined : part);
      } else if (method === 'DELETE') {
        objects.delete(key);
        res.statusCode = 204;
        res.end();
      } else {
        throw new S3Failure(405, 'MethodNotAllowed', `${method} is not allowed`);
      }
    } catch (error) {
      const failure = error instanceof S3Failure ? error : new S3Failure(500, 'InternalError', String(error));
      sendError(res, method, failure, key);
    }
    requests.push({ method, key, auth, status: res.statusCode });
  };

  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    objects,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
