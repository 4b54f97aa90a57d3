import { ApolloArmor } from '@escape.tech/graphql-armor';
import { DocumentNode, GraphQLError, GraphQLSchema, Lexer, Source, TokenKind, validate } from 'graphql';
import { operationCost } from './cost.estimator';
import { limitError } from './limit.errors';
import type { OperationLimits } from './limits.config';

/** Depth, aliases and directives of a document: its largest operation's, as GraphQL Armor counts them. */
export interface OperationShape {
  depth: number;
  aliases: number;
  directives: number;
}

/** Armor's rules only measure here (their own limits never trip); the limits are judged below, with our codes. */
const MEASURE_ONLY = Number.MAX_SAFE_INTEGER;

/** The measurement under way: validate() runs the rules synchronously, one document at a time. */
let measuring: OperationShape | undefined;
const record =
  (key: keyof OperationShape) =>
  (_context: unknown, { n }: { n: number }): void => {
    if (measuring) measuring[key] = Math.max(measuring[key], n);
  };

const MEASURING_RULES = new ApolloArmor({
  // Fragments flattened: a spread adds no level of its own. Introspection is bounded by graphql-js's own rule.
  maxDepth: { n: MEASURE_ONLY, flattenFragments: true, ignoreIntrospection: true, onAccept: [record('depth')] },
  maxAliases: { n: MEASURE_ONLY, onAccept: [record('aliases')] },
  maxDirectives: { n: MEASURE_ONLY, onAccept: [record('directives')] },
  // Tokens are counted before parsing and the cost with list sizes (cost.estimator.ts); suggestions go in the error formatter.
  maxTokens: { enabled: false },
  costLimit: { enabled: false },
  blockFieldSuggestion: { enabled: false },
}).protect().validationRules;

export function measureShape(schema: GraphQLSchema, document: DocumentNode): OperationShape {
  const shape: OperationShape = { depth: 0, aliases: 0, directives: 0 };
  measuring = shape;
  try {
    validate(schema, document, MEASURING_RULES);
  } finally {
    measuring = undefined;
  }
  return shape;
}

/** The first limit the shape goes over, as the refusal to send; undefined when it fits. */
export function shapeRefusal(shape: OperationShape, limits: OperationLimits): GraphQLError | undefined {
  if (shape.depth > limits.maxDepth)
    return limitError(
      'QUERY_TOO_DEEP',
      `the operation is nested ${shape.depth} levels deep; the limit is ${limits.maxDepth}`,
      { limit: limits.maxDepth, found: shape.depth },
    );
  if (shape.aliases > limits.maxAliases)
    return limitError(
      'TOO_MANY_ALIASES',
      `the operation uses ${shape.aliases} aliases; the limit is ${limits.maxAliases}`,
      { limit: limits.maxAliases, found: shape.aliases },
    );
  if (shape.directives > limits.maxDirectives)
    return limitError(
      'TOO_MANY_DIRECTIVES',
      `the operation uses ${shape.directives} directives; the limit is ${limits.maxDirectives}`,
      { limit: limits.maxDirectives, found: shape.directives },
    );
  return undefined;
}

/** graphql-query-complexity's refusal of a fragment bomb (more than its 10 000 evaluated fields). */
const TOO_MANY_NODES = /maximum allowed number of nodes/;

/**
 * The refusal of an operation whose cost goes over the budget; undefined when it fits, and when
 * its variables do not fit it (execution answers that with its own error).
 */
export function costRefusal(
  schema: GraphQLSchema,
  document: DocumentNode,
  request: { operationName?: string | null; variables?: Record<string, unknown> },
  limits: OperationLimits,
): GraphQLError | undefined {
  let cost: number;
  try {
    cost = operationCost(schema, document, { ...request, defaultListSize: limits.defaultListSize });
  } catch (error) {
    if (!(error instanceof GraphQLError) || !TOO_MANY_NODES.test(error.message)) return undefined;
    cost = Infinity;
  }
  if (cost <= limits.maxCost) return undefined;
  const found = Number.isFinite(cost) ? cost : undefined;
  return limitError(
    'QUERY_TOO_COMPLEX',
    found === undefined
      ? `the operation expands to more fields than can be counted; the cost limit is ${limits.maxCost}`
      : `the operation's cost is ${found} (each field counted once per item of the lists above it, \`first\` taken as the list size); the limit is ${limits.maxCost}`,
    { limit: limits.maxCost, found },
  );
}

/**
 * Tokens of an operation's text, counted before it is parsed and not past `max + 1`; undefined
 * when the text does not lex (the parser then answers with the syntax error).
 */
export function countTokens(text: string, max: number): number | undefined {
  const lexer = new Lexer(new Source(text));
  let count = 0;
  try {
    while (count <= max && lexer.advance().kind !== TokenKind.EOF) count++;
  } catch {
    return undefined;
  }
  return count;
}

export function tokensRefusal(text: string, limits: OperationLimits): GraphQLError | undefined {
  const count = countTokens(text, limits.maxTokens);
  if (count === undefined || count <= limits.maxTokens) return undefined;
  return limitError('TOO_MANY_TOKENS', `the operation's text has more than ${limits.maxTokens} tokens, the limit`, {
    limit: limits.maxTokens,
  });
}
