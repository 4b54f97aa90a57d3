import type {
  GatewayExecutor,
  GatewayInterface,
  GatewayLoadResult,
  GatewaySchemaLoadOrUpdateCallback,
  GatewayUnsubscriber,
} from '@apollo/server-gateway-interface';
import {
  execute,
  FragmentDefinitionNode,
  GraphQLError,
  GraphQLSchema,
  Kind,
  OperationDefinitionNode,
  OperationTypeNode,
  SelectionSetNode,
} from 'graphql';

/**
 * Apollo Gateway with the gateway's own Subscription type added to the schema clients see
 * over HTTP, so introspection shows it. Operations are still planned by Apollo Gateway on
 * the supergraph; only what it cannot do is handled here: introspection (answered from the
 * extended schema) and subscriptions (refused: they are served over graphql-ws).
 */
export class SubscriptionAwareGateway implements GatewayInterface {
  private readonly extended = new WeakMap<GraphQLSchema, GraphQLSchema>();
  private current?: { api: GraphQLSchema; extended: GraphQLSchema };

  constructor(
    private readonly inner: GatewayInterface,
    private readonly extend: (apiSchema: GraphQLSchema) => GraphQLSchema,
  ) {}

  /** The supergraph's API schema (without the gateway's own types), once loaded. */
  get apiSchema(): GraphQLSchema | undefined {
    return this.current?.api;
  }

  /** What clients see over HTTP: the API schema plus the gateway's own types. */
  get schema(): GraphQLSchema | undefined {
    return this.current?.extended;
  }

  onSchemaLoadOrUpdate(callback: GatewaySchemaLoadOrUpdateCallback): GatewayUnsubscriber {
    return this.inner.onSchemaLoadOrUpdate((context) =>
      callback({ ...context, apiSchema: this.extendOnce(context.apiSchema) }),
    );
  }

  async load(options: Parameters<GatewayInterface['load']>[0]): Promise<GatewayLoadResult> {
    const { executor } = await this.inner.load(options);
    return { executor: executor && this.wrap(executor) };
  }

  stop(): Promise<void> {
    return this.inner.stop();
  }

  private extendOnce(apiSchema: GraphQLSchema): GraphQLSchema {
    let schema = this.extended.get(apiSchema);
    if (!schema) {
      schema = this.extend(apiSchema);
      this.extended.set(apiSchema, schema);
    }
    this.current = { api: apiSchema, extended: schema };
    return schema;
  }

  private wrap(executor: GatewayExecutor): GatewayExecutor {
    return async (requestContext) => {
      const { operation, document, schema } = requestContext;
      if (operation.operation === OperationTypeNode.SUBSCRIPTION) {
        return {
          errors: [
            new GraphQLError(
              'subscriptions are served over WebSocket: connect to /graphql with the graphql-transport-ws protocol',
              {
                extensions: { code: 'BAD_REQUEST' },
              },
            ),
          ],
        };
      }
      const fragments = Object.fromEntries(
        document.definitions
          .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
          .map((d) => [d.name.value, d]),
      );
      if (isIntrospectionOnly(operation, fragments)) {
        return execute({
          schema,
          document,
          operationName: requestContext.operationName,
          variableValues: requestContext.request.variables,
          contextValue: requestContext.context,
        });
      }
      return executor(requestContext);
    };
  }
}

/** Whether an operation asks only `__schema`, `__type` and `__typename` at its root (what introspection tools send). */
export function isIntrospectionOnly(
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
): boolean {
  const check = (set: SelectionSetNode, seen: Set<string>): boolean =>
    set.selections.every((s) => {
      if (s.kind === Kind.FIELD) return s.name.value.startsWith('__');
      if (s.kind === Kind.INLINE_FRAGMENT) return check(s.selectionSet, seen);
      const fragment = fragments[s.name.value];
      if (!fragment || seen.has(s.name.value)) return false;
      return check(fragment.selectionSet, new Set(seen).add(s.name.value));
    });
  return operation.operation === OperationTypeNode.QUERY && check(operation.selectionSet, new Set());
}
