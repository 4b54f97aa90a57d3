import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import type { Logger } from '@otklik/observability';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { GatewayContext } from '../auth/auth.context';
import { SubscriptionAwareGateway } from './api.gateway';
import { subgraphServices } from './subgraph.datasource';

export interface GatewayServerOptions {
  supergraphSdl: string;
  subgraphUrls: Readonly<Record<string, string>>;
  /** Adds the gateway's own types (subscriptions) to the schema clients see. */
  extendSchema: (apiSchema: GraphQLSchema) => GraphQLSchema;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  logger: Logger;
}

/** Apollo Server running Apollo Gateway on the checked-in supergraph (no runtime schema discovery). */
export function createGatewayServer(options: GatewayServerOptions): {
  apollo: ApolloServer<GatewayContext>;
  gateway: SubscriptionAwareGateway;
} {
  const gateway = new SubscriptionAwareGateway(
    new ApolloGateway({
      supergraphSdl: options.supergraphSdl,
      buildService: subgraphServices(options.subgraphUrls),
      logger: options.logger.child({ component: 'apollo-gateway' }),
    }),
    options.extendSchema,
  );
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError: options.formatError,
    includeStacktraceInErrorResponses: false,
    // Every request is authenticated first, so introspection is open to signed-in people only.
    introspection: true,
    logger: options.logger.child({ component: 'apollo-server' }),
    // main.ts owns SIGTERM/SIGINT and stops HTTP, WebSocket and NATS in order; Apollo's own handler would re-raise the signal.
    stopOnTerminationSignals: false,
  });
  return { apollo, gateway };
}
