import { isAuthError } from '@otklik/auth';
import {
  defaultFieldResolver,
  extendSchema,
  GraphQLFieldResolver,
  GraphQLObjectType,
  GraphQLSchema,
  isObjectType,
  parse,
} from 'graphql';
import type { GatewayContext } from '../auth/auth.context';
import { caseSelection, EntitySelection, rootEntitySelection } from './entity.query';
import type { CaseEventPayload, NotificationPayload, Subscriber, SubscriptionBridge } from './subscription.bridge';

/** The context of an operation over graphql-ws: the gateway's, plus the connection's viewer kept current. */
export interface SubscriptionContext extends GatewayContext {
  readonly subscriber: Subscriber;
}

/** The supergraph's API schema plus the gateway's subscriptions SDL (subscriptions.graphql). */
export function extendWithSubscriptions(apiSchema: GraphQLSchema, subscriptionsSdl: string): GraphQLSchema {
  const rootDeclaration = apiSchema.getSubscriptionType() ? '' : '\nextend schema { subscription: Subscription }';
  return extendSchema(apiSchema, parse(subscriptionsSdl + rootDeclaration));
}

/**
 * Fields of the federated types under a subscription hold prefetched data keyed by response
 * key (the entity was fetched with the subscriber's own selection, aliases included), so they
 * are read by response key, not by field name.
 */
export const prefetchedFieldResolver: GraphQLFieldResolver<unknown, unknown> = (source, _args, _context, info) =>
  typeof source === 'object' && source !== null
    ? (source as Record<string, unknown>)[String(info.path.key)]
    : undefined;

const byResponseKey = (entity: Record<string, unknown>, key: string | number): unknown => entity[String(key)];

function objectType(schema: GraphQLSchema, name: string): GraphQLObjectType {
  const type = schema.getType(name);
  if (!isObjectType(type))
    throw new Error(`the gateway schema has no object type ${name}: check subscriptions.graphql and the supergraph`);
  return type;
}

const asGraphQLError = (error: unknown) => (isAuthError(error) ? error.toGraphQLError() : error);

/**
 * A bridge stream ends with an AuthError when the viewer loses the subscription (FORBIDDEN);
 * the client receives it as a GraphQL error with its code.
 */
function withGraphQLErrors<T>(stream: AsyncIterableIterator<T>): AsyncIterableIterator<T> {
  return {
    next: () =>
      stream.next().catch((error: unknown) => {
        throw asGraphQLError(error);
      }),
    return: () => stream.return?.() ?? Promise.resolve({ value: undefined, done: true }),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/**
 * The schema served over graphql-ws: the extended schema with the subscription resolvers
 * attached. Execute with `fieldResolver: prefetchedFieldResolver`.
 */
export function buildSubscriptionSchema(
  apiSchema: GraphQLSchema,
  subscriptionsSdl: string,
  bridge: SubscriptionBridge<EntitySelection>,
): GraphQLSchema {
  const schema = extendWithSubscriptions(apiSchema, subscriptionsSdl);
  const subscription = objectType(schema, 'Subscription').getFields();
  const caseEvent = objectType(schema, 'CaseEvent');
  const eventFields = caseEvent.getFields();

  subscription.caseEvents.subscribe = (
    _root,
    args: { organizationId?: string | null },
    context: SubscriptionContext,
    info,
  ) => {
    try {
      return withGraphQLErrors(
        bridge.caseEvents(context.subscriber, {
          organizationId: args.organizationId,
          selection: caseSelection(info, caseEvent),
        }),
      );
    } catch (error) {
      throw asGraphQLError(error);
    }
  };
  subscription.caseEvents.resolve = (payload: CaseEventPayload) => payload;
  eventFields.type.resolve = (payload: CaseEventPayload) => payload.type;
  eventFields.at.resolve = (payload: CaseEventPayload) => payload.at;
  eventFields.case.resolve = (payload: CaseEventPayload, _args, _context, info) =>
    byResponseKey(payload.entity, info.path.key);

  subscription.notificationAdded.subscribe = (_root, _args, context: SubscriptionContext, info) =>
    bridge.notificationAdded(context.subscriber, rootEntitySelection(info, 'notification'));
  subscription.notificationAdded.resolve = (payload: NotificationPayload, _args, _context, info) =>
    byResponseKey(payload.entity, info.path.key);

  // Any other field of the gateway's own types keeps the default behaviour.
  for (const field of Object.values(eventFields)) field.resolve ??= defaultFieldResolver;
  return schema;
}
