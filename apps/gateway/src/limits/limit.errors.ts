import { GraphQLError } from 'graphql';

/**
 * The `extensions.code` of each refusal by the operation limits (docs/security.md "The GraphQL
 * surface"). Clients see them as they are: each message says which limit and by how much.
 */
export const LIMIT_CODES = [
  'QUERY_TOO_DEEP',
  'TOO_MANY_ALIASES',
  'TOO_MANY_DIRECTIVES',
  'TOO_MANY_TOKENS',
  'QUERY_TOO_COMPLEX',
  'BATCH_TOO_LARGE',
  'PAYLOAD_TOO_LARGE',
  'TIMEOUT',
  'PERSISTED_QUERY_NOT_ALLOWED',
] as const;

export type LimitCode = (typeof LIMIT_CODES)[number];

/** HTTP status of each refusal: 413 for the body, 504 when the gateway stopped waiting, 400 for the rest. */
const STATUS: Record<LimitCode, number> = {
  QUERY_TOO_DEEP: 400,
  TOO_MANY_ALIASES: 400,
  TOO_MANY_DIRECTIVES: 400,
  TOO_MANY_TOKENS: 400,
  QUERY_TOO_COMPLEX: 400,
  BATCH_TOO_LARGE: 400,
  PAYLOAD_TOO_LARGE: 413,
  TIMEOUT: 504,
  PERSISTED_QUERY_NOT_ALLOWED: 400,
};

/** What was measured against which limit; both reach the client in `extensions`. */
export interface LimitDetails {
  limit: number;
  found?: number;
}

/**
 * A refusal as a GraphQLError: `extensions.code`, the limit and the measured value, and the HTTP
 * status Apollo Server answers with (`extensions.http`, which it removes before sending).
 */
export function limitError(code: LimitCode, message: string, details?: LimitDetails): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code, ...details, http: { status: STATUS[code] } },
  });
}

/** The same refusal as the JSON body of an HTTP answer given before Apollo Server (body, batch, tokens). */
export function limitResponse(error: GraphQLError): { status: number; body: { errors: object[] } } {
  const { http, ...extensions } = error.extensions as { http?: { status: number } };
  return { status: http?.status ?? 400, body: { errors: [{ message: error.message, extensions }] } };
}

/** The refusal as the WebSocket sends it: `extensions.http` means something to Apollo Server only. */
export function withoutHttp(error: GraphQLError): GraphQLError {
  const extensions = { ...error.extensions };
  delete extensions.http;
  return new GraphQLError(error.message, { extensions });
}
