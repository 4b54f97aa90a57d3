export * from './attachment.limits';
export * from './object.storage';
export * from './url.token';
export * from './local-disk.storage';
export * from './s3.storage';
export * from './storage.factory';
