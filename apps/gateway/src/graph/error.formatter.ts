import { unwrapResolverError } from '@apollo/server/errors';
import { callContext, Logger } from '@otklik/observability';
import { RATE_LIMITED } from '@otklik/rate-limit';
import type { GraphQLFormattedError } from 'graphql';
import { LIMIT_CODES } from '../limits/limit.errors';

/** Codes whose messages are written for clients (ours and Apollo's request errors); everything else is masked. */
const CLIENT_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'BAD_REQUEST',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  ...LIMIT_CODES,
  RATE_LIMITED,
]);

/** Extensions that name our internals: the subgraph that answered (Apollo Gateway), stacks. */
const INTERNAL_EXTENSIONS = ['serviceName', 'stacktrace', 'exception'];

/** graphql-js's suggestions ("Did you mean "status"?", "…the enum value "ROUTED"?") end its messages. */
const SUGGESTION = /\s*Did you mean\b[\s\S]*$/;

export const INTERNAL_ERROR_MESSAGE = 'Internal server error';

/**
 * Apollo's `formatError`: client errors pass as they are (subgraphs' codes included);
 * anything else reaches the client as a generic message with the correlation id, and the log whole.
 * A subgraph that answered non-2xx (`extensions.response`, set by Apollo Gateway, with the
 * subgraph's URL) is our failure even when the status maps to UNAUTHENTICATED or FORBIDDEN.
 * In production, client errors also lose graphql-js's "Did you mean" suggestions (they spell out
 * the schema to someone probing it) and the extensions naming our internals.
 */
export function createErrorFormatter(logger: Pick<Logger, 'error'>, options: { production?: boolean } = {}) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = uncodedRequestRefusal(error) ? 'BAD_REQUEST' : formatted.extensions?.code;
    const subgraphHttpFailure = formatted.extensions?.response !== undefined;
    if (typeof code === 'string' && CLIENT_CODES.has(code) && !subgraphHttpFailure) {
      const coded =
        code === formatted.extensions?.code
          ? formatted
          : { ...formatted, extensions: { ...formatted.extensions, code } };
      return options.production ? forPublic(coded) : coded;
    }
    const correlationId = callContext.correlationId();
    logger.error(
      { err: unwrapResolverError(error), path: formatted.path, code, correlationId },
      `unexpected error: ${formatted.message}`,
    );
    return {
      message: INTERNAL_ERROR_MESSAGE,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR', ...(correlationId ? { correlationId } : {}) },
    };
  };
}

/**
 * Apollo Server refuses a few malformed requests with an HTTP 4xx and no code at all ("Unsupported
 * persisted query version", "provided sha does not match query"), which would read as
 * INTERNAL_SERVER_ERROR: they are BAD_REQUEST (found by e2e/graphql-fuzz.e2e-spec.ts).
 */
function uncodedRequestRefusal(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('extensions' in error)) return false;
  const extensions = (error as { extensions?: { code?: unknown; http?: { status?: unknown } } }).extensions;
  const status = extensions?.http?.status;
  return extensions?.code === undefined && typeof status === 'number' && status >= 400 && status < 500;
}

function forPublic(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const extensions = { ...formatted.extensions };
  for (const key of INTERNAL_EXTENSIONS) delete extensions[key];
  return { ...formatted, message: formatted.message.replace(SUGGESTION, ''), extensions };
}
