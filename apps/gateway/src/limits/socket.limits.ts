import { GraphQLError, GraphQLSchema, parse, specifiedRules, validate } from 'graphql';
import { withoutHttp } from './limit.errors';
import type { OperationLimits } from './limits.config';
import { extraValidationRules, sourceRefusal } from './operation.gate';
import { costRefusal, measureShape, shapeRefusal } from './operation.shape';

/** What a graphql-ws Subscribe message carries. */
export interface SocketOperation {
  query?: unknown;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  extensions?: unknown;
}

/** The operation limits as the WebSocket server applies them (subscriptions/ws.server.ts). */
export interface SocketOperationLimits {
  /** ws's maxPayload: a larger message closes the socket with 1009 (Message Too Big), unread. */
  readonly maxMessageBytes: number;
  /** The refusal of the operation of a Subscribe message; undefined when it may run. */
  check(operation: SocketOperation): GraphQLError[] | undefined;
}

/**
 * Every operation sent over the WebSocket, subscriptions included, is held to the HTTP limits:
 * tokens and the allow-list before parsing, then (once valid) depth, aliases, directives and cost
 * on the schema the socket serves. A syntax or validation error is answered here too, with its
 * code, rather than left to graphql-ws (which would close the socket on a syntax error).
 */
export function socketOperationLimits(schema: GraphQLSchema, limits: OperationLimits): SocketOperationLimits {
  const rules = [...specifiedRules, ...extraValidationRules(limits)];
  return {
    maxMessageBytes: limits.maxBodyBytes,
    check: (operation) => {
      const refusal = sourceRefusal(operation, limits);
      if (refusal) return [withoutHttp(refusal)];
      if (typeof operation.query !== 'string') return undefined;
      let document;
      try {
        document = parse(operation.query);
      } catch (error) {
        return [withCode(error as GraphQLError, 'GRAPHQL_PARSE_FAILED')];
      }
      const invalid = validate(schema, document, rules);
      if (invalid.length > 0) return invalid.map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED'));
      const over =
        shapeRefusal(measureShape(schema, document), limits) ??
        costRefusal(
          schema,
          document,
          { operationName: operation.operationName, variables: operation.variables ?? undefined },
          limits,
        );
      return over ? [withoutHttp(over)] : undefined;
    },
  };
}

function withCode(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { ...error.extensions, code },
  });
}
