import { GraphQLError, NoSchemaIntrospectionCustomRule, ValidationRule } from 'graphql';
import { limitError } from './limit.errors';
import type { OperationLimits } from './limits.config';
import type { OperationRequest } from './persisted.operations';
import { tokensRefusal } from './operation.shape';

/**
 * What is checked of an operation before its text is parsed, over HTTP and WebSocket alike: its
 * size in tokens, and, with an allow-list, that it is one of the persisted operations.
 */
export function sourceRefusal(request: OperationRequest, limits: OperationLimits): GraphQLError | undefined {
  if (typeof request.query === 'string') {
    const refusal = tokensRefusal(request.query, limits);
    if (refusal) return refusal;
  }
  if (limits.persistedOperations && !limits.persistedOperations.allows(request)) {
    return limitError(
      'PERSISTED_QUERY_NOT_ALLOWED',
      'this server runs only the persisted operations of its front-ends, and this operation is not one of them',
    );
  }
  return undefined;
}

/**
 * Validation beyond the standard rules. In production, introspection is refused with graphql-js's
 * rule, whose message says only that (Apollo Server's own switch names itself and how to turn
 * introspection back on).
 */
export function extraValidationRules(limits: Pick<OperationLimits, 'production'>): ValidationRule[] {
  return limits.production ? [NoSchemaIntrospectionCustomRule] : [];
}
