import { randomUUID } from 'node:crypto';
import { constants, createReadStream, createWriteStream } from 'node:fs';
import { access, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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
import { signUrlToken, UrlAccess } from './url.token';

export interface LocalDiskOptions {
  /** An absolute path; made (with its parents) when missing. */
  directory: string;
  /**
   * Where clients reach the store over HTTP: the gateway, which serves `/attachments/<key>` to
   * holders of a signed URL and passes the bytes to and from workflow.
   */
  publicUrl: string;
  /** Signs the URLs (INTERNAL_AUTH_SECRET, which the gateway checks them with). */
  secret: string;
  now?: () => Date;
}

/**
 * Attachments as files in one folder: `<key>` holds the bytes and `.<key>.json` its type (a
 * key never starts with a dot, so the two never meet). Bytes go to a temporary file first and
 * are renamed into place once complete and checked, so a half-sent upload is never an object.
 */
export class LocalDiskStorage implements ObjectStorage {
  readonly kind = 'local';
  private readonly publicUrl: string;

  private constructor(private readonly options: LocalDiskOptions) {
    this.publicUrl = options.publicUrl.replace(/\/+$/, '');
  }

  /** Makes the folder if it is missing and checks that it can be written, so a bad setting shows at start. */
  static async open(options: LocalDiskOptions): Promise<LocalDiskStorage> {
    if (!isAbsolute(options.directory))
      throw new Error(`the attachments folder must be absolute: ${options.directory}`);
    await mkdir(options.directory, { recursive: true });
    await access(options.directory, constants.R_OK | constants.W_OK);
    return new LocalDiskStorage(options);
  }

  get directory(): string {
    return this.options.directory;
  }

  async put(key: string, body: Readable, options: PutOptions): Promise<StoredObject> {
    assertKey(key);
    checkPut(options);
    const stored = { size: options.size, contentType: storedContentType(options) };
    const partial = join(this.options.directory, `.upload-${randomUUID()}`);
    try {
      await pipeline(body, exactly(options.size), createWriteStream(partial, { flags: 'wx' }));
      await writeFile(this.metaPath(key), JSON.stringify(stored));
      await rename(partial, this.dataPath(key));
      return stored;
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  async get(key: string, range?: ByteRange): Promise<ObjectBody | null> {
    const object = await this.stat(key);
    if (!object) return null;
    const body = createReadStream(this.dataPath(key), range ? { start: range.start, end: range.end } : {});
    return { ...object, body, ...(range ? { range } : {}) };
  }

  async stat(key: string): Promise<StoredObject | null> {
    assertKey(key);
    try {
      const [file, meta] = await Promise.all([stat(this.dataPath(key)), readFile(this.metaPath(key), 'utf8')]);
      const { contentType } = JSON.parse(meta) as StoredObject;
      return { size: file.size, contentType };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertKey(key);
    await rm(this.dataPath(key), { force: true });
    await rm(this.metaPath(key), { force: true });
  }

  uploadUrl(key: string, _object: StoredObject, options: UrlOptions): Promise<string> {
    return Promise.resolve(this.url('put', key, options));
  }

  downloadUrl(key: string, options: UrlOptions): Promise<string> {
    return Promise.resolve(this.url('get', key, options));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private url(access: UrlAccess, key: string, options: UrlOptions): string {
    assertKey(key);
    const now = this.options.now?.() ?? new Date();
    const token = signUrlToken(this.options.secret, access, key, new Date(now.getTime() + options.expiresIn * 1000));
    return `${this.publicUrl}/attachments/${key}?token=${token}`;
  }

  private dataPath(key: string): string {
    return join(this.options.directory, key);
  }

  private metaPath(key: string): string {
    return join(this.options.directory, `.${key}.json`);
  }
}
