import type { ExecutionContext } from '@nestjs/common';
import type { GraphQLResolveInfo } from 'graphql';
import type { AuthenticatedRequest } from './auth.options';

/**
 * What a guard needs from a GraphQL call. Read from the raw resolver arguments rather than
 * @nestjs/graphql's GqlExecutionContext so this library stays light: root and field resolvers
 * get (root, args, context, info), reference resolvers (reference, context, info).
 */
export interface GraphqlCall {
  req: AuthenticatedRequest | undefined;
  info: GraphQLResolveInfo | undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

const isResolveInfo = (value: unknown): value is GraphQLResolveInfo =>
  isObject(value) && typeof value.fieldName === 'string' && isObject(value.parentType) && isObject(value.path);

const isRequest = (value: unknown): value is AuthenticatedRequest => isObject(value) && isObject(value.headers);

export function graphqlCall(context: ExecutionContext): GraphqlCall {
  const args: unknown[] = context.getArgs();
  const info = args.find(isResolveInfo);
  const gqlContext = args.find((a): a is { req: unknown } => isObject(a) && 'req' in a && !isResolveInfo(a));
  return { info, req: isRequest(gqlContext?.req) ? gqlContext.req : undefined };
}

/** The HTTP request behind a call, GraphQL or plain HTTP. */
export function requestOf(context: ExecutionContext): AuthenticatedRequest | undefined {
  if (context.getType<string>() === 'graphql') return graphqlCall(context).req;
  const req: unknown = context.switchToHttp().getRequest();
  return isRequest(req) ? req : undefined;
}
