import { FakeS3, startFakeS3 } from '@otklik/testing';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { StorageError } from './object.storage';
import { S3Storage } from './s3.storage';

// Medium: the real AWS SDK against an S3 of the test's own (libs/testing s3-server.ts), which
// checks every signature the SDK makes.
const CREDENTIALS = { accessKeyId: 'AKIATESTTESTTEST', secretAccessKey: 'test-secret-access-key-0123456789' };
const BUCKET = 'otklik-attachments';
const REGION = 'ru-central1';

describe('S3Storage against an S3-compatible service (path-style)', () => {
  let s3: FakeS3;
  let storage: S3Storage;

  beforeAll(async () => {
    s3 = await startFakeS3({ bucket: BUCKET, region: REGION, ...CREDENTIALS });
    storage = new S3Storage({
      bucket: BUCKET,
      region: REGION,
      endpoint: s3.url,
      forcePathStyle: true,
      credentials: CREDENTIALS,
    });
  });
  afterAll(async () => {
    await storage?.close();
    await s3?.close();
  });
  beforeEach(() => {
    s3.objects.clear();
    s3.requests.length = 0;
  });

  const photo = (bytes: string) => ({
    kind: 'PHOTO' as const,
    contentType: 'image/jpeg',
    size: Buffer.byteLength(bytes),
  });

  it('PutObject stores the stream under the key with its content type (signed with the credentials)', async () => {
    await expect(storage.put('k1', Readable.from(['jpeg ', 'bytes']), photo('jpeg bytes'))).resolves.toEqual({
      size: 10,
      contentType: 'image/jpeg',
    });
    expect(s3.objects.get('k1')).toEqual({ body: Buffer.from('jpeg bytes'), contentType: 'image/jpeg' });
    expect(s3.requests).toEqual([{ method: 'PUT', key: 'k1', auth: 'header', status: 200 }]);
  });

  it('GetObject streams it back; HeadObject tells its size and type', async () => {
    await storage.put('k1', Readable.from(['jpeg bytes']), photo('jpeg bytes'));
    const object = await storage.get('k1');
    expect(object).toMatchObject({ size: 10, contentType: 'image/jpeg' });
    expect(await text(object!.body)).toBe('jpeg bytes');
    expect(await storage.stat('k1')).toEqual({ size: 10, contentType: 'image/jpeg' });
  });

  it('a range of the bytes, with the whole object’s size', async () => {
    await storage.put('v', Readable.from(['0123456789']), { kind: 'VIDEO', contentType: 'video/mp4', size: 10 });
    const object = await storage.get('v', { start: 3, end: 6 });
    expect(object).toMatchObject({ size: 10, range: { start: 3, end: 6 } });
    expect(await text(object!.body)).toBe('3456');
  });

  it('a key that is not there: null from get and stat (NoSuchKey, 404)', async () => {
    expect(await storage.get('missing')).toBeNull();
    expect(await storage.stat('missing')).toBeNull();
  });

  it('DeleteObject removes it', async () => {
    await storage.put('k1', Readable.from(['x']), photo('x'));
    await storage.delete('k1');
    expect(s3.objects.has('k1')).toBe(false);
    expect(await storage.stat('k1')).toBeNull();
  });

  it('a wrong type or a size over the cap is refused before anything is sent', async () => {
    await expect(
      storage.put('k1', Readable.from(['x']), { kind: 'VIDEO', contentType: 'image/png', size: 1 }),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED_TYPE' });
    await expect(
      storage.put('k1', Readable.from(['x']), { kind: 'VIDEO', contentType: 'video/mp4', size: 300 * 1024 * 1024 }),
    ).rejects.toMatchObject({ code: 'TOO_LARGE' });
    expect(s3.requests).toEqual([]);
  });

  it('fewer bytes than declared: refused, and the bucket keeps nothing', async () => {
    const error = await storage.put('k1', Readable.from(['abc']), photo('abcdef')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ code: 'SIZE_MISMATCH' });
    expect(s3.objects.has('k1')).toBe(false);
  });

  it('more bytes than declared: refused, and the bucket keeps nothing', async () => {
    const error = await storage.put('k1', Readable.from(['abc', 'def']), photo('abc')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SIZE_MISMATCH' });
    expect(s3.objects.has('k1')).toBe(false);
  });

  it('wrong credentials are refused by the service (the fake checks signatures)', async () => {
    const stranger = new S3Storage({
      bucket: BUCKET,
      region: REGION,
      endpoint: s3.url,
      forcePathStyle: true,
      credentials: { ...CREDENTIALS, secretAccessKey: 'not-the-secret' },
    });
    await expect(stranger.put('k1', Readable.from(['x']), photo('x'))).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
    });
    await stranger.close();
  });

  describe('presigned URLs: the client talks to the bucket itself', () => {
    it('a presigned PUT takes the bytes with the announced type and size', async () => {
      const url = await storage.uploadUrl('up', { size: 5, contentType: 'image/png' }, { expiresIn: 900 });
      expect(url.startsWith(`${s3.url}/${BUCKET}/up?`)).toBe(true);
      const response = await fetch(url, { method: 'PUT', headers: { 'content-type': 'image/png' }, body: 'hello' });
      expect(response.status).toBe(200);
      expect(s3.objects.get('up')).toEqual({ body: Buffer.from('hello'), contentType: 'image/png' });
      expect(s3.requests.at(-1)).toMatchObject({ auth: 'presigned', status: 200 });
    });

    it('the type is signed: a presigned PUT with another Content-Type is refused by the bucket', async () => {
      const url = await storage.uploadUrl('up', { size: 5, contentType: 'image/png' }, { expiresIn: 900 });
      const response = await fetch(url, { method: 'PUT', headers: { 'content-type': 'text/html' }, body: 'hello' });
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('SignatureDoesNotMatch');
      expect(s3.objects.has('up')).toBe(false);
    });

    it('the size is signed: a presigned PUT of more bytes is refused by the bucket', async () => {
      const url = await storage.uploadUrl('up', { size: 5, contentType: 'image/png' }, { expiresIn: 900 });
      const response = await fetch(url, {
        method: 'PUT',
        headers: { 'content-type': 'image/png' },
        body: 'hello, and more',
      });
      expect(response.status).toBe(403);
      expect(s3.objects.has('up')).toBe(false);
    });

    it('a presigned GET serves the bytes to whoever holds it (a preview, the publisher)', async () => {
      await storage.put('k1', Readable.from(['jpeg bytes']), photo('jpeg bytes'));
      const response = await fetch(await storage.downloadUrl('k1', { expiresIn: 60 }));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/jpeg');
      expect(await response.text()).toBe('jpeg bytes');
    });
  });
});
