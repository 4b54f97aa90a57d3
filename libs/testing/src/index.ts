export * from './test-database';
export * from './nats-server';
export * from './wait';
export * from './stack';
export * from './streams';
export * from './s3-server';
export * from './subgraph-call';
