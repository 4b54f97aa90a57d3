import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ClientConfig,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Readable } from 'node:stream';
import {
  assertKey,
  ByteRange,
  checkPut,
  exactly,
  ObjectBody,
  ObjectStorage,
  PutOptions,
  storedContentType,
  StoredObject,
  UrlOptions,
} from './object.storage';

export interface S3Options {
  bucket: string;
  region: string;
  /** An S3-compatible service's address (MinIO, Yandex Object Storage, …); unset for AWS itself. */
  endpoint?: string;
  /** `https://host/bucket/key` rather than `https://bucket.host/key` (most S3-compatible services want it). */
  forcePathStyle: boolean;
  /** Unset: the SDK's own chain (environment, instance role, …). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * The SDK writes to the console when it has no logger of its own; every failure it would
 * mention reaches the caller as an error anyway.
 */
const QUIET: NonNullable<S3ClientConfig['logger']> = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/**
 * Attachments in an S3-compatible bucket. Clients upload and read through presigned URLs, which
 * sign the `Content-Type` and `Content-Length` of an upload, so the bucket itself refuses any
 * other type or size.
 */
export class S3Storage implements ObjectStorage {
  readonly kind = 's3';
  private readonly client: S3Client;

  constructor(private readonly options: S3Options) {
    this.client = new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle,
      credentials: options.credentials,
      logger: QUIET,
      // Checksums only where S3 demands them: the SDK's default CRC trailers (aws-chunked bodies)
      // are refused by many S3-compatible services, and a presigned URL could not carry them.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(key: string, body: Readable, options: PutOptions): Promise<StoredObject> {
    assertKey(key);
    checkPut(options);
    const contentType = storedContentType(options);
    const counted = exactly(options.size);
    body.once('error', (error) => counted.destroy(error));
    // The SDK pipes the body into its request and would wait for bytes that never come after a
    // failed check: the first failure aborts the request (S3 keeps nothing of an aborted PUT).
    const failed = new Promise<never>((_resolve, reject) => counted.once('error', reject));
    const abort = new AbortController();
    try {
      await Promise.race([
        this.client.send(
          new PutObjectCommand({
            Bucket: this.options.bucket,
            Key: key,
            Body: body.pipe(counted),
            ContentType: contentType,
            ContentLength: options.size,
          }),
          { abortSignal: abort.signal },
        ),
        failed,
      ]);
    } catch (error) {
      abort.abort();
      throw error;
    }
    return { size: options.size, contentType };
  }

  async get(key: string, range?: ByteRange): Promise<ObjectBody | null> {
    assertKey(key);
    try {
      const object = await this.client.send(
        new GetObjectCommand({
          Bucket: this.options.bucket,
          Key: key,
          ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
        }),
      );
      // "bytes 0-9/1234": the object's size when a range was read.
      const total = /\/(\d+)$/.exec(object.ContentRange ?? '')?.[1];
      return {
        body: object.Body as Readable,
        size: total ? Number(total) : (object.ContentLength ?? 0),
        contentType: object.ContentType ?? 'application/octet-stream',
        ...(range ? { range } : {}),
      };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async stat(key: string): Promise<StoredObject | null> {
    assertKey(key);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: key }));
      return { size: head.ContentLength ?? 0, contentType: head.ContentType ?? 'application/octet-stream' };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: key }));
  }

  uploadUrl(key: string, object: StoredObject, options: UrlOptions): Promise<string> {
    assertKey(key);
    const command = new PutObjectCommand({
      Bucket: this.options.bucket,
      Key: key,
      ContentType: object.contentType,
      ContentLength: object.size,
    });
    // The presigner leaves Content-Type unsigned by default; signing it makes the bucket check it.
    return getSignedUrl(this.client, command, {
      expiresIn: options.expiresIn,
      signableHeaders: new Set(['content-type', 'content-length']),
    });
  }

  downloadUrl(key: string, options: UrlOptions): Promise<string> {
    assertKey(key);
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.options.bucket, Key: key }), {
      expiresIn: options.expiresIn,
    });
  }

  close(): Promise<void> {
    this.client.destroy();
    return Promise.resolve();
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof S3ServiceException && (error.$metadata.httpStatusCode === 404 || error.name === 'NoSuchKey');
}
