import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { DocumentNode } from 'graphql';
import type { OperationLimits } from './limits.config';
import { costRefusal, measureShape, OperationShape, shapeRefusal } from './operation.shape';
import { isOwnOperation } from './own.operation';

/**
 * Depth, aliases, directives and cost of every operation Apollo Server runs (HTTP, and queries
 * sent over the WebSocket), once it is parsed and valid. A refusal thrown from
 * didResolveOperation is answered as it is, with its HTTP status (400). The shape is measured once
 * per document (Apollo keeps parsed documents, so a repeated operation is the same object); the
 * cost every time, for it depends on the variables (`first: $n`).
 */
export function operationLimitsPlugin<TContext extends BaseContext>(
  limits: OperationLimits,
): ApolloServerPlugin<TContext> {
  const shapes = new WeakMap<DocumentNode, OperationShape>();
  return {
    requestDidStart: () =>
      Promise.resolve({
        didResolveOperation: ({ document, schema, request, operationName, contextValue }) => {
          if (isOwnOperation(contextValue)) return Promise.resolve();
          let shape = shapes.get(document);
          if (!shape) {
            shape = measureShape(schema, document);
            shapes.set(document, shape);
          }
          const refusal =
            shapeRefusal(shape, limits) ??
            costRefusal(schema, document, { operationName, variables: request.variables }, limits);
          return refusal ? Promise.reject(refusal) : Promise.resolve();
        },
      }),
  };
}
