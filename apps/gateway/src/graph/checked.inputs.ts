import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { BREAK, DocumentNode, GraphQLError, GraphQLSchema, isScalarType, Kind, print, ValueNode, visit } from 'graphql';

// What clients send, checked at the gateway before any subgraph is asked: what the subgraphs
// would otherwise take and fail on deep inside, as an INTERNAL_SERVER_ERROR. Each check here
// answers a finding of e2e/graphql-fuzz.e2e-spec.ts.

/** ISO 8601 as clients write it, with a four-digit year: a date, or a date and time with or without an offset. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:[Zz]|[+-]\d{2}:?\d{2})?)?$/;

const EXAMPLE = '2026-11-27T08:15:00+07:00';

function refuse(given: string): never {
  throw new GraphQLError(`DateTime must be an ISO 8601 date and time such as ${EXAMPLE}, not ${given.slice(0, 60)}`);
}

/** A DateTime as a client sends it: an ISO 8601 string Date can read; as it is (the subgraphs read it themselves). */
export function checkDateTime(value: unknown): string {
  if (typeof value !== 'string') return refuse(JSON.stringify(value) ?? typeof value);
  if (!ISO_DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) return refuse(JSON.stringify(value));
  return value;
}

function checkDateTimeLiteral(node: ValueNode): string {
  return node.kind === Kind.STRING ? checkDateTime(node.value) : refuse(print(node));
}

/**
 * The supergraph declares DateTime without saying what it takes, so the gateway passed anything
 * on, and the subgraphs' DateTime (NestJS's GraphQLISODateTime) makes an Invalid Date of what is
 * not a date: `cases(filter: { detectedFrom: "x" })` reached SQL as "0NaN-NaN-…" and came back an
 * INTERNAL_SERVER_ERROR (found by e2e/graphql-fuzz.e2e-spec.ts). Checked here instead, as clients
 * send it, before any subgraph is asked: a variable is refused with BAD_USER_INPUT, a literal with
 * GRAPHQL_VALIDATION_FAILED. The API schema's own scalar is changed in place, because Apollo
 * Gateway checks variables against that very object.
 */
export function withCheckedScalars(apiSchema: GraphQLSchema): GraphQLSchema {
  const dateTime = apiSchema.getType('DateTime');
  if (isScalarType(dateTime)) {
    dateTime.parseValue = checkDateTime;
    dateTime.parseLiteral = checkDateTimeLiteral;
  }
  return apiSchema;
}

/** PostgreSQL's text cannot hold U+0000; no client has a reason to send it. */
const NUL = '\u0000';

/** Where in the document a string literal holds U+0000, if anywhere. */
function nulInDocument(document: DocumentNode): string | undefined {
  let found: string | undefined;
  visit(document, {
    StringValue(node) {
      if (!node.value.includes(NUL)) return undefined;
      found = `the string at line ${node.loc?.startToken.line ?? '?'}`;
      return BREAK;
    },
  });
  return found;
}

/** Where in the variables a string (or a key) holds U+0000, if anywhere; read without recursion, however deep. */
function nulInVariables(variables: Record<string, unknown> | undefined): string | undefined {
  const pending: Array<[unknown, string]> = [[variables, '$']];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [value, path] = next;
    if (typeof value === 'string') {
      if (value.includes(NUL)) return `variable ${path}`;
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        if (key.includes(NUL)) return `a key in variable ${path}`;
        pending.push([item, Array.isArray(value) ? `${path}[${key}]` : path === '$' ? `$${key}` : `${path}.${key}`]);
      }
    }
  }
  return undefined;
}

/**
 * Refuses U+0000 anywhere in an operation's strings, literals and variables alike, with
 * BAD_USER_INPUT (400): `cases(filter: { text: "a\u0000" })`, `source(id: …)`,
 * `eraseAuthorData(…)` and more reached PostgreSQL with it ("invalid byte sequence for encoding
 * UTF8: 0x00") and came back as INTERNAL_SERVER_ERROR.
 */
export function nulInputPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    requestDidStart: () =>
      Promise.resolve({
        didResolveOperation: ({ document, request }) => {
          const where = nulInDocument(document) ?? nulInVariables(request.variables);
          if (!where) return Promise.resolve();
          return Promise.reject(
            new GraphQLError(`${where} contains U+0000, which no text may hold`, {
              extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
            }),
          );
        },
      }),
  };
}
