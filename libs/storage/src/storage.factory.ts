import { LocalDiskStorage } from './local-disk.storage';
import type { ObjectStorage } from './object.storage';
import { S3Options, S3Storage } from './s3.storage';

/** Which store holds the attachments, as an app's configuration names it. */
export type StorageSettings = { kind: 'local'; directory: string; publicUrl: string } | ({ kind: 's3' } & S3Options);

/** Opens the configured store; `secret` signs a local store's URLs. */
export async function openObjectStorage(settings: StorageSettings, secret: string): Promise<ObjectStorage> {
  if (settings.kind === 'local') {
    return LocalDiskStorage.open({ directory: settings.directory, publicUrl: settings.publicUrl, secret });
  }
  return new S3Storage({
    bucket: settings.bucket,
    region: settings.region,
    endpoint: settings.endpoint,
    forcePathStyle: settings.forcePathStyle,
    credentials: settings.credentials,
  });
}
