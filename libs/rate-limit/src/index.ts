export * from './rate-limit.settings';
export * from './rate-limiter';
export * from './rate-limit.middleware';
export * from './rate-limit.table';
export * from './client-address';
