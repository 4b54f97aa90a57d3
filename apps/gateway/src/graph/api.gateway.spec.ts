import type {
  GatewayExecutor,
  GatewayGraphQLRequestContext,
  GatewayInterface,
  GatewaySchemaLoadOrUpdateCallback,
} from '@apollo/server-gateway-interface';
import {
  buildSchema,
  ExecutionResult,
  FragmentDefinitionNode,
  getOperationAST,
  GraphQLSchema,
  Kind,
  parse,
} from 'graphql';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extendWithSubscriptions } from '../subscriptions/subscription.schema';
import { isIntrospectionOnly, SubscriptionAwareGateway } from './api.gateway';

const apiSchema = buildSchema(`
  scalar DateTime
  enum CaseStatus { DETECTED ROUTED }
  type Case { id: ID! }
  type Notification { id: ID! }
  type Query { case(id: ID!): Case }
`);
const sdl = readFileSync(join(__dirname, '../subscriptions/subscriptions.graphql'), 'utf8');

/** Stands for ApolloGateway: announces the API schema, plans everything else through `inner`. */
function fakeGateway(inner: GatewayExecutor): GatewayInterface {
  let listener: GatewaySchemaLoadOrUpdateCallback | undefined;
  return {
    onSchemaLoadOrUpdate: (callback) => ((listener = callback), () => undefined),
    load: () => {
      listener?.({ apiSchema, coreSupergraphSdl: '' });
      return Promise.resolve({ executor: inner });
    },
    stop: () => Promise.resolve(),
  };
}

function requestContext(query: string, schema: GraphQLSchema): GatewayGraphQLRequestContext {
  const document = parse(query);
  const operation = getOperationAST(document);
  if (!operation) throw new Error('no operation');
  return {
    document,
    operation,
    schema,
    request: { query },
    context: {},
    operationName: null,
  } as unknown as GatewayGraphQLRequestContext;
}

describe('SubscriptionAwareGateway', () => {
  async function load() {
    const inner = jest.fn<ReturnType<GatewayExecutor>, Parameters<GatewayExecutor>>(() =>
      Promise.resolve({ data: { case: null } }),
    );
    const gateway = new SubscriptionAwareGateway(fakeGateway(inner), (schema) => extendWithSubscriptions(schema, sdl));
    let announced: GraphQLSchema | undefined;
    gateway.onSchemaLoadOrUpdate(({ apiSchema: schema }) => (announced = schema));
    const { executor } = await gateway.load({ apollo: {} });
    if (!executor || !announced) throw new Error('not loaded');
    return { gateway, executor, inner, schema: announced };
  }

  it('shows clients the API schema plus the Subscription type', async () => {
    const { gateway, schema } = await load();
    expect(schema.getSubscriptionType()?.getFields()).toHaveProperty('caseEvents');
    expect(gateway.apiSchema).toBe(apiSchema);
    expect(gateway.schema).toBe(schema);
  });

  it('answers introspection from the extended schema, not from Apollo Gateway', async () => {
    const { executor, inner, schema } = await load();
    const result = (await executor(
      requestContext('{ __schema { subscriptionType { name } } }', schema),
    )) as ExecutionResult;
    expect(result.data).toEqual({ __schema: { subscriptionType: { name: 'Subscription' } } });
    expect(inner).not.toHaveBeenCalled();
  });

  it('plans every other query through Apollo Gateway', async () => {
    const { executor, inner, schema } = await load();
    await executor(requestContext('{ case(id: "1") { id } }', schema));
    expect(inner).toHaveBeenCalledTimes(1);
  });

  it('refuses subscriptions over HTTP, pointing to the WebSocket', async () => {
    const { executor, inner, schema } = await load();
    const result = await executor(requestContext('subscription { notificationAdded { id } }', schema));
    expect(result.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/graphql-transport-ws/),
      extensions: { code: 'BAD_REQUEST' },
    });
    expect(inner).not.toHaveBeenCalled();
  });
});

describe('isIntrospectionOnly', () => {
  const check = (query: string) => {
    const document = parse(query);
    const fragments = Object.fromEntries(
      document.definitions
        .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
        .map((d) => [d.name.value, d]),
    );
    return isIntrospectionOnly(getOperationAST(document)!, fragments);
  };

  it('recognises what introspection tools send', () => {
    expect(check('query IntrospectionQuery { __schema { types { name } } }')).toBe(true);
    expect(check('{ __typename }')).toBe(true);
    expect(check('{ ...F } fragment F on Query { __type(name: "Case") { name } }')).toBe(true);
  });

  it('leaves mixed and ordinary operations to the gateway', () => {
    expect(check('{ __schema { queryType { name } } case(id: "1") { id } }')).toBe(false);
    expect(check('{ case(id: "1") { id } }')).toBe(false);
    expect(check('mutation { __typename }')).toBe(false);
  });
});
