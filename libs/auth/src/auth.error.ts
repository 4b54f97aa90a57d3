import { GraphQLError } from 'graphql';

export type AuthErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN';

/** An authentication or authorisation failure with a message a person can act on. */
export class AuthError extends Error {
  constructor(
    readonly code: AuthErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AuthError';
  }

  /** The GraphQL form (`extensions.code`); see authGraphQLError for `httpStatus`. */
  toGraphQLError(httpStatus?: number): GraphQLError {
    return authGraphQLError(this.code, this.message, httpStatus);
  }
}

/**
 * A GraphQL error with `extensions.code`. Give `httpStatus` only when the whole request fails
 * (Apollo then answers with it): inside a subgraph a non-2xx answer would make the gateway
 * replace the message with "403: Forbidden" and drop the rest of the fetch.
 */
export function authGraphQLError(code: AuthErrorCode, message: string, httpStatus?: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...(httpStatus ? { http: { status: httpStatus } } : {}) } });
}

export const isAuthError = (error: unknown): error is AuthError => error instanceof AuthError;
