import { DocumentNode, getNullableType, GraphQLSchema, isListType } from 'graphql';
import { ComplexityEstimator, getComplexity } from 'graphql-query-complexity';

/** The subgraphs' page size when `first` is not given (workflow's cases and uncased messages, notify's notifications). */
export const DEFAULT_PAGE_SIZE = 20;

/**
 * The cost of a field: 1 plus the cost of what is selected under it, times the number of items
 * it may return.
 * - A field with a `first` or `last` argument (a connection, or a list with a page size) returns
 *   that many: `cases(first: 50) { … }` is 50 × its selection; without the argument, the
 *   subgraphs' default page.
 * - The list of a connection (`edges`, `nodes`) is already counted by the connection's page.
 * - Any other list (a case's `history`, `deadlines`) counts `defaultListSize` items.
 * - Introspection and `__typename` cost nothing: they are answered from memory, and graphql-js's
 *   MaxIntrospectionDepthRule (among the standard rules) refuses the nested-introspection attack.
 */
export function listSizeEstimator(defaultListSize: number): ComplexityEstimator {
  return ({ type, field, args, childComplexity }) => {
    if (field.name.startsWith('__')) return 0;
    const own = 1 + childComplexity;
    const paged = field.args.some((a) => a.name === 'first' || a.name === 'last');
    if (paged) return Math.max(1, pageSize(args) ?? DEFAULT_PAGE_SIZE) * own;
    if (!isListType(getNullableType(field.type))) return own;
    return type.name.endsWith('Connection') ? own : defaultListSize * own;
  };
}

function pageSize(args: Record<string, unknown>): number | undefined {
  for (const name of ['first', 'last']) {
    const value = args[name];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return undefined;
}

/**
 * The cost of the operation that will run (`operationName` picks it in a document of several).
 * Throws a GraphQLError when the variables do not fit the operation (execution would refuse them
 * too) or when fragments expand to more than 10 000 fields (a fragment bomb).
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  options: { operationName?: string | null; variables?: Record<string, unknown>; defaultListSize: number },
): number {
  return getComplexity({
    schema,
    query: document,
    operationName: options.operationName ?? undefined,
    variables: options.variables,
    estimators: [listSizeEstimator(options.defaultListSize)],
  });
}
