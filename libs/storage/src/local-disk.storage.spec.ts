import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { LocalDiskStorage } from './local-disk.storage';
import { StorageError } from './object.storage';
import { checkUrlToken } from './url.token';

// The adapter writes files: each test gets a folder of its own under the system's temp folder.
const SECRET = 'the-internal-secret-of-these-tests-0123';
const NOW = new Date('2026-12-01T10:00:00Z');
const photo = (bytes: string) => ({ kind: 'PHOTO' as const, contentType: 'image/png', size: Buffer.byteLength(bytes) });

/** A stream that gives `chunks` and then fails, as a client that disconnects mid-upload. */
function brokenStream(chunks: string[]): Readable {
  let i = 0;
  return new Readable({
    read() {
      if (i < chunks.length) this.push(chunks[i++]);
      else this.destroy(new Error('client went away'));
    },
  });
}

async function refusal(work: Promise<unknown>): Promise<StorageError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StorageError);
  return error as StorageError;
}

describe('LocalDiskStorage: attachments as files in one folder', () => {
  let root: string;
  let storage: LocalDiskStorage;

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'otklik-storage-'));
    storage = await LocalDiskStorage.open({
      directory: join(root, 'var', 'attachments'),
      publicUrl: 'https://otklik.example/',
      secret: SECRET,
      now: () => NOW,
    });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const files = () => readdirSync(storage.directory).sort();

  it('makes its folder, with the parents, when it is missing', () => {
    expect(files()).toEqual([]);
  });

  it('refuses a relative folder: where files go must not depend on where the app was started', async () => {
    await expect(
      LocalDiskStorage.open({ directory: 'var/attachments', publicUrl: 'http://x', secret: SECRET }),
    ).rejects.toThrow('must be absolute');
  });

  it('keeps what it is given and gives it back, with its type and size', async () => {
    await expect(storage.put('a1', Readable.from(['hello ', 'world']), photo('hello world'))).resolves.toEqual({
      size: 11,
      contentType: 'image/png',
    });
    const object = await storage.get('a1');
    expect(object).toMatchObject({ size: 11, contentType: 'image/png' });
    expect(await text(object!.body)).toBe('hello world');
    expect(await storage.stat('a1')).toEqual({ size: 11, contentType: 'image/png' });
  });

  it('names the file by the key it is given, never by anything the client sent', async () => {
    await storage.put('0b8e2c1e-key', Readable.from(['x']), photo('x'));
    expect(files()).toEqual(['.0b8e2c1e-key.json', '0b8e2c1e-key']);
  });

  it('records the bare media type', async () => {
    await storage.put('a1', Readable.from(['x']), { ...photo('x'), contentType: 'Image/PNG; charset=binary' });
    expect((await storage.stat('a1'))?.contentType).toBe('image/png');
  });

  it('gives back a range of the bytes (a video player seeks)', async () => {
    await storage.put('v', Readable.from(['0123456789']), { kind: 'VIDEO', contentType: 'video/mp4', size: 10 });
    const object = await storage.get('v', { start: 2, end: 5 });
    expect(object).toMatchObject({ size: 10, range: { start: 2, end: 5 } });
    expect(await text(object!.body)).toBe('2345');
  });

  it('an unknown key is null, not an error', async () => {
    expect(await storage.get('nothing')).toBeNull();
    expect(await storage.stat('nothing')).toBeNull();
  });

  it('deletes, and deleting what is not there is not an error', async () => {
    await storage.put('a1', Readable.from(['x']), photo('x'));
    await storage.delete('a1');
    await storage.delete('a1');
    expect(await storage.stat('a1')).toBeNull();
    expect(files()).toEqual([]);
  });

  it.each(['../etc/passwd', '.hidden', 'a/b', '', 'a..b', 'a b', 'x'.repeat(201)])(
    'refuses the key "%s": a key is a plain name',
    async (key) => {
      expect((await refusal(storage.put(key, Readable.from(['x']), photo('x')))).code).toBe('BAD_KEY');
      expect((await refusal(storage.stat(key))).code).toBe('BAD_KEY');
    },
  );

  describe('checks type and size as the bytes come, and keeps nothing it refuses', () => {
    it('a type outside the kind’s list is refused before a byte is read', async () => {
      const body = Readable.from(['<svg/>']);
      const error = await refusal(storage.put('a1', body, { ...photo('<svg/>'), contentType: 'image/svg+xml' }));
      expect(error).toMatchObject({ code: 'UNSUPPORTED_TYPE', message: expect.stringContaining('a PHOTO must be') });
      expect(body.readableDidRead).toBe(false);
      expect(files()).toEqual([]);
    });

    it('a declared size over the cap is refused before a byte is read', async () => {
      const error = await refusal(
        storage.put('a1', Readable.from(['x']), { kind: 'PHOTO', contentType: 'image/png', size: 21 * 1024 * 1024 }),
      );
      expect(error).toMatchObject({ code: 'TOO_LARGE', message: 'a PHOTO may be at most 20 MB; this one is 21 MB' });
      expect(files()).toEqual([]);
    });

    it('more bytes than declared: refused, nothing kept', async () => {
      const error = await refusal(storage.put('a1', Readable.from(['hello', ' world']), photo('hello')));
      expect(error).toMatchObject({ code: 'SIZE_MISMATCH', message: 'more bytes arrived than the 5 declared' });
      expect(files()).toEqual([]);
    });

    it('fewer bytes than declared: refused, nothing kept', async () => {
      const error = await refusal(storage.put('a1', Readable.from(['hel']), photo('hello')));
      expect(error).toMatchObject({ code: 'SIZE_MISMATCH', message: '3 bytes arrived of the 5 declared' });
      expect(files()).toEqual([]);
    });

    it('a client that goes away mid-upload leaves nothing behind', async () => {
      await expect(storage.put('a1', brokenStream(['hel']), photo('hello'))).rejects.toThrow('client went away');
      expect(files()).toEqual([]);
    });

    it('a refused upload does not disturb the object already under the key', async () => {
      await storage.put('a1', Readable.from(['first']), photo('first'));
      await refusal(storage.put('a1', Readable.from(['second!']), photo('second')));
      expect(await text((await storage.get('a1'))!.body)).toBe('first');
    });
  });

  describe('URLs through the gateway', () => {
    it('an upload URL names the key and carries a PUT token that expires when asked', async () => {
      const url = new URL(await storage.uploadUrl('a1', { size: 5, contentType: 'image/png' }, { expiresIn: 900 }));
      expect(`${url.origin}${url.pathname}`).toBe('https://otklik.example/attachments/a1');
      const token = url.searchParams.get('token') ?? undefined;
      expect(checkUrlToken(token, SECRET, 'put', 'a1', NOW)).toEqual({
        ok: true,
        expiresAt: new Date(NOW.getTime() + 900_000),
      });
      expect(checkUrlToken(token, SECRET, 'get', 'a1', NOW).ok).toBe(false);
    });

    it('a download URL carries a GET token', async () => {
      const url = new URL(await storage.downloadUrl('a1', { expiresIn: 60 }));
      expect(url.pathname).toBe('/attachments/a1');
      expect(checkUrlToken(url.searchParams.get('token') ?? undefined, SECRET, 'get', 'a1', NOW).ok).toBe(true);
    });
  });
});
