export * from './app-login';
export * from './database';
export * from './database-url';
export * from './service-database';
export * from './tenant-policy';
export * from './unit-of-work';
export * from './persistence.module';
export * from './keyset-cursor';
