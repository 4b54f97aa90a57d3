import { Transform, TransformCallback } from 'node:stream';
import type { Readable } from 'node:stream';
import { AttachmentKind, AttachmentProblem, attachmentProblem, bareContentType } from './attachment.limits';

/** What a store refuses; `code` says which rule, the message what to do about it. */
export type StorageErrorCode = 'BAD_KEY' | 'SIZE_MISMATCH' | AttachmentProblem['code'];

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

export interface PutOptions {
  /** The attachment's kind: its content types and size cap (attachment.limits.ts). */
  kind: AttachmentKind;
  contentType: string;
  /** The exact number of bytes the stream gives (declared by whoever sends them); more or fewer is refused. */
  size: number;
}

export interface StoredObject {
  size: number;
  contentType: string;
}

/** A byte range of an object, both ends included (HTTP `Range: bytes=start-end`). */
export interface ByteRange {
  start: number;
  end: number;
}

export interface ObjectBody extends StoredObject {
  body: Readable;
  /** The range the body holds, when one was asked for. */
  range?: ByteRange;
}

export interface UrlOptions {
  /** Seconds the URL stays valid. */
  expiresIn: number;
}

/**
 * Where the bytes of attachments live: the local disk (development, one-machine installs) or an
 * S3-compatible bucket (production). Keys are chosen by the caller, never by a client; a store
 * refuses any key that is not a plain name (no folders, no `..`).
 */
export interface ObjectStorage {
  readonly kind: 'local' | 's3';
  /** Stores the stream under `key`, checking its type and size as it goes; nothing is kept when a check fails. */
  put(key: string, body: Readable, options: PutOptions): Promise<StoredObject>;
  /** The object's bytes (or the range of them), or null when there is none. */
  get(key: string, range?: ByteRange): Promise<ObjectBody | null>;
  /** The object's size and type, or null when there is none (e.g. a client has not finished its upload). */
  stat(key: string): Promise<StoredObject | null>;
  /** Removes the object; removing one that is not there is not an error. */
  delete(key: string): Promise<void>;
  /**
   * Where a client PUTs the bytes itself, with exactly this `Content-Type` and size, until the
   * URL expires.
   */
  uploadUrl(key: string, object: StoredObject, options: UrlOptions): Promise<string>;
  /** Where anyone holding the URL reads the object until it expires (a preview, the publisher). */
  downloadUrl(key: string, options: UrlOptions): Promise<string>;
  /** Lets go of connections (at shutdown). */
  close(): Promise<void>;
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/** A key is a plain name: letters, digits, `.`, `_`, `-`, not starting with a dot. */
export function assertKey(key: string): void {
  if (!KEY.test(key) || key.includes('..')) {
    throw new StorageError('BAD_KEY', `"${key}" is not a storage key: letters, digits, ".", "_" or "-" only`);
  }
}

/** Checks an upload against the attachment limits before a byte is read. */
export function checkPut(options: PutOptions): void {
  const problem = attachmentProblem(options.kind, options.contentType, options.size);
  if (!problem) return;
  throw new StorageError(problem.code, problem.message);
}

/** The content type a store records: the bare media type the limits accepted. */
export const storedContentType = (options: PutOptions): string => bareContentType(options.contentType);

/**
 * Passes bytes through, failing the stream as soon as more than `size` bytes arrive, and at
 * the end when fewer did: a client never gets more stored than it declared.
 */
export function exactly(size: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      seen += chunk.length;
      if (seen > size) {
        callback(new StorageError('SIZE_MISMATCH', `more bytes arrived than the ${size} declared`));
        return;
      }
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      if (seen < size) {
        callback(new StorageError('SIZE_MISMATCH', `${seen} bytes arrived of the ${size} declared`));
        return;
      }
      callback();
    },
  });
}
