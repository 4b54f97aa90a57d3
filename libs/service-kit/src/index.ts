export * from './app.error';
export * from './graphql.errors';
export * from './health.controller';
export * from './request-context.middleware';
export * from './service.bootstrap';
export * from './service.config';
export * from './subgraph.module';
export * from './request-loader';
