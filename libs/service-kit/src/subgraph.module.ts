import { DynamicModule, Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { ApolloFederationDriver, ApolloFederationDriverConfig } from '@nestjs/apollo';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { EntitySchema, MixedList } from 'typeorm';
import type { Logger } from 'pino';
import { AuthModule } from '@otklik/auth';
import { MessagingModule } from '@otklik/messaging';
import { appLoginUrl, PersistenceModule } from '@otklik/persistence';
import { createErrorFormatter } from './graphql.errors';
import { HealthController } from './health.controller';
import { RequestContextMiddleware } from './request-context.middleware';
import { SERVICE_CONFIG, ServiceConfig } from './service.config';

export interface SubgraphServiceOptions {
  config: ServiceConfig;
  logger: Logger;
  entities: MixedList<string | (new () => unknown) | EntitySchema>;
  migrations: MixedList<string | (new () => unknown)>;
  /** Types reached only as federation stubs must be listed (STACK.md pitfall 3). */
  orphanedTypes?: Array<new () => unknown>;
}

/**
 * Everything a subgraph service stands on: its database (migrated, RLS-bound), NATS with the
 * outbox and consumers, a federation-2 GraphQL endpoint guarded by the gateway's viewer token,
 * the request context and /health. A service's AppModule imports this and its features.
 */
@Global()
@Module({})
export class SubgraphServiceModule implements NestModule {
  static forService(options: SubgraphServiceOptions): DynamicModule {
    const { config, logger } = options;
    const connect = !config.printSchema;
    const database = {
      schema: config.service,
      databaseUrl: config.databaseUrl,
      appDatabaseUrl: config.appDatabaseUrl,
      appPassword: config.appDatabasePassword,
    };
    return {
      module: SubgraphServiceModule,
      imports: [
        PersistenceModule.forService({
          ...database,
          entities: options.entities,
          migrations: options.migrations,
          connect,
          logger,
        }),
        MessagingModule.forService({
          service: config.service,
          schema: config.service,
          // The relay's LISTEN connection logs in as the application role too.
          databaseUrl: appLoginUrl(database),
          natsUrl: config.natsUrl,
          natsSecurity: config.natsSecurity,
          eventsPrefix: config.eventsPrefix,
          connect,
          logger,
        }),
        AuthModule.forSubgraph({ internalSecret: config.internalSecret }),
        GraphQLModule.forRoot<ApolloFederationDriverConfig>({
          driver: ApolloFederationDriver,
          path: '/graphql',
          autoSchemaFile: { federation: 2 },
          sortSchema: true,
          buildSchemaOptions: { orphanedTypes: options.orphanedTypes ?? [] },
          context: ({ req }: { req: unknown }) => ({ req }),
          formatError: createErrorFormatter(logger),
          introspection: !config.production,
          playground: false,
          // Inline traces are for Apollo Studio, which we do not use; they cost every request.
          // (@nestjs/apollo sees @apollo/server's CommonJS types, this import its ESM ones: same object.)
          plugins: [
            ApolloServerPluginInlineTraceDisabled() as NonNullable<ApolloFederationDriverConfig['plugins']>[number],
          ],
        }),
      ],
      controllers: [HealthController],
      providers: [{ provide: SERVICE_CONFIG, useValue: config }, RequestContextMiddleware],
      exports: [SERVICE_CONFIG],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestContextMiddleware).forRoutes('*path');
  }
}
