import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import type { Logger } from '@otklik/observability';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { GatewayContext } from '../auth/auth.context';
import type { OperationLimits } from '../limits/limits.config';
import { operationLimitsPlugin } from '../limits/limits.plugin';
import { DeadlineGateway } from '../limits/operation.deadline';
import { extraValidationRules } from '../limits/operation.gate';
import { SubscriptionAwareGateway } from './api.gateway';
import { nulInputPlugin } from './checked.inputs';
import { subgraphServices } from './subgraph.datasource';

export interface GatewayServerOptions {
  supergraphSdl: string;
  subgraphUrls: Readonly<Record<string, string>>;
  /** Adds the gateway's own types (subscriptions) to the schema clients see. */
  extendSchema: (apiSchema: GraphQLSchema) => GraphQLSchema;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  logger: Logger;
  /** Depth, aliases, cost, batching, deadline, production's introspection and the allow-list (limits/). */
  limits: OperationLimits;
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
  const { limits } = options;
  const apollo = new ApolloServer<GatewayContext>({
    gateway: new DeadlineGateway(gateway, limits.timeoutMs),
    formatError: options.formatError,
    includeStacktraceInErrorResponses: false,
    // Every request is authenticated first, so introspection is open to signed-in people only; in
    // production extraValidationRules refuses it (Apollo's own switch would name Apollo in its refusal).
    introspection: true,
    validationRules: extraValidationRules(limits),
    plugins: [operationLimitsPlugin<GatewayContext>(limits), nulInputPlugin<GatewayContext>()],
    allowBatchedHttpRequests: limits.maxBatch > 1,
    // With an allow-list, a hash-only request finds its text there and nothing else is registered.
    persistedQueries: limits.persistedOperations ? { cache: limits.persistedOperations.apolloCache() } : undefined,
    logger: options.logger.child({ component: 'apollo-server' }),
    // main.ts owns SIGTERM/SIGINT and stops HTTP, WebSocket and NATS in order; Apollo's own handler would re-raise the signal.
    stopOnTerminationSignals: false,
  });
  return { apollo, gateway };
}
