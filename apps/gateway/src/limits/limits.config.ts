import { PersistedOperations, readPersistedOperations } from './persisted.operations';

/**
 * The limits every operation through the gateway is held to, over HTTP and WebSocket
 * (docs/security.md "The GraphQL surface"). The defaults let the front-ends' heaviest operations
 * through with room to spare (a case list of 50 with history and deadlines: depth 6, cost ≈ 10 000).
 */
export interface OperationLimits {
  /** GRAPHQL_MAX_DEPTH: nesting of fields, fragments flattened (`cases { edges { node { id } } }` is 4). */
  readonly maxDepth: number;
  /** GRAPHQL_MAX_ALIASES: aliased fields in an operation, fragments included. */
  readonly maxAliases: number;
  /** GRAPHQL_MAX_DIRECTIVES: directives in an operation. */
  readonly maxDirectives: number;
  /** GRAPHQL_MAX_TOKENS: lexical tokens of the text, counted before it is parsed. */
  readonly maxTokens: number;
  /** GRAPHQL_MAX_COST: the fields an operation may make the graph resolve, lists counted at their size (cost.estimator.ts). */
  readonly maxCost: number;
  /** GRAPHQL_DEFAULT_LIST_SIZE: what a list without `first`/`last` (a case's history, its deadlines) counts for. */
  readonly defaultListSize: number;
  /** GRAPHQL_MAX_BATCH: operations in one HTTP request; 1 refuses batched arrays. */
  readonly maxBatch: number;
  /** GRAPHQL_MAX_BODY_BYTES: a request body, and a WebSocket message. */
  readonly maxBodyBytes: number;
  /** GRAPHQL_TIMEOUT_MS: how long an operation, its subgraph fetches included, may run. */
  readonly timeoutMs: number;
  /** Production: introspection refused, "Did you mean" suggestions and internal extensions removed from errors. */
  readonly production: boolean;
  /** GRAPHQL_PERSISTED_OPERATIONS: when set, only the operations of this list run. */
  readonly persistedOperations?: PersistedOperations;
}

interface Setting {
  variable: string;
  fallback: number;
  min: number;
  max: number;
}

const SETTINGS = {
  maxDepth: { variable: 'GRAPHQL_MAX_DEPTH', fallback: 10, min: 1, max: 100 },
  maxAliases: { variable: 'GRAPHQL_MAX_ALIASES', fallback: 15, min: 0, max: 1000 },
  maxDirectives: { variable: 'GRAPHQL_MAX_DIRECTIVES', fallback: 20, min: 0, max: 1000 },
  maxTokens: { variable: 'GRAPHQL_MAX_TOKENS', fallback: 2000, min: 100, max: 100_000 },
  maxCost: { variable: 'GRAPHQL_MAX_COST', fallback: 25_000, min: 1, max: 10_000_000 },
  defaultListSize: { variable: 'GRAPHQL_DEFAULT_LIST_SIZE', fallback: 10, min: 1, max: 10_000 },
  maxBatch: { variable: 'GRAPHQL_MAX_BATCH', fallback: 1, min: 1, max: 100 },
  maxBodyBytes: { variable: 'GRAPHQL_MAX_BODY_BYTES', fallback: 1024 * 1024, min: 1024, max: 64 * 1024 * 1024 },
  timeoutMs: { variable: 'GRAPHQL_TIMEOUT_MS', fallback: 30_000, min: 10, max: 600_000 },
} satisfies Record<string, Setting>;

type Numeric = keyof typeof SETTINGS;

/** Reads the GRAPHQL_* settings; each bad one adds a problem naming it (gateway.config.ts reports them together). */
export function readOperationLimits(
  read: (name: string) => string | undefined,
  production: boolean,
  problems: string[],
): OperationLimits {
  const numbers = {} as Record<Numeric, number>;
  for (const [key, setting] of Object.entries(SETTINGS) as Array<[Numeric, Setting]>) {
    const raw = read(setting.variable);
    const value = raw === undefined ? setting.fallback : /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!(value >= setting.min && value <= setting.max)) {
      problems.push(`${setting.variable}: must be a whole number from ${setting.min} to ${setting.max} (got "${raw}")`);
    }
    numbers[key] = value;
  }
  const path = read('GRAPHQL_PERSISTED_OPERATIONS');
  let persistedOperations: PersistedOperations | undefined;
  if (path) {
    const list = readPersistedOperations(path, 'GRAPHQL_PERSISTED_OPERATIONS');
    problems.push(...list.problems);
    persistedOperations = list.operations;
  }
  return Object.freeze({ ...numbers, production, persistedOperations });
}
