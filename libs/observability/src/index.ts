export * from './call-context';
export * from './logger';
export * from './pino-nest.logger';
