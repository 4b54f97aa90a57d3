import { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { ALL_ORGS, callContext } from '@otklik/observability';
import { AppError } from './app.error';
import { createErrorFormatter } from './graphql.errors';

/** A logger with only `error`, recording its calls; any other method would throw. */
function fakeLogger(): { logger: Logger; errors: unknown[][] } {
  const errors: unknown[][] = [];
  return { logger: { error: (...args: unknown[]) => void errors.push(args) } as unknown as Logger, errors };
}

class CaseException extends AppError {}

const path = ['routeCase'];
const locations = [{ line: 2, column: 3 }];
/** What Apollo hands the formatter for an error thrown in a resolver it does not know. */
const formattedAs = (message: string, code = 'INTERNAL_SERVER_ERROR'): GraphQLFormattedError => ({
  message,
  path,
  locations,
  extensions: { code, stacktrace: ['Error: ' + message, '    at resolver.ts:1:1'] },
});
const inResolver = (error: Error) => new GraphQLError(error.message, { path, originalError: error });

describe('createErrorFormatter: what clients see of an error', () => {
  it('a typed AppError keeps its code, message and details, and is not logged as unexpected', () => {
    const { logger, errors } = fakeLogger();
    const error = new CaseException('CONFLICT', 'the case is already closed', { caseId: 'c-1', status: 'CLOSED' });
    const result = createErrorFormatter(logger)(formattedAs(error.message), inResolver(error));
    expect(result).toEqual({
      message: 'the case is already closed',
      path,
      locations,
      extensions: { code: 'CONFLICT', caseId: 'c-1', status: 'CLOSED' },
    });
    expect(errors).toEqual([]);
  });

  it('a detail named code cannot replace the error’s code', () => {
    const { logger } = fakeLogger();
    const error = new CaseException('CONFLICT', 'no', { code: 'OOPS' });
    expect(createErrorFormatter(logger)(formattedAs(error.message), inResolver(error)).extensions?.code).toBe(
      'CONFLICT',
    );
  });

  it('an AppError handed over unwrapped is treated the same', () => {
    const { logger } = fakeLogger();
    const error = new AppError('NOT_FOUND', 'no case "c-9"');
    expect(createErrorFormatter(logger)(formattedAs('x'), error)).toEqual({
      message: 'no case "c-9"',
      path,
      locations,
      extensions: { code: 'NOT_FOUND' },
    });
  });

  it('an AppError’s extensions hold only its code and details: no stack trace reaches the client', () => {
    const { logger } = fakeLogger();
    const error = new AppError('FORBIDDEN', 'not your organisation');
    const result = createErrorFormatter(logger)(formattedAs(error.message), inResolver(error));
    expect(Object.keys(result.extensions ?? {})).toEqual(['code']);
  });

  it('AppError subclasses carry their own class name', () => {
    expect(new CaseException('BAD_USER_INPUT', 'x').name).toBe('CaseException');
    expect(new AppError('BAD_USER_INPUT', 'x').name).toBe('AppError');
  });

  it.each([
    'BAD_USER_INPUT',
    'UNAUTHENTICATED',
    'FORBIDDEN',
    'NOT_FOUND',
    'CONFLICT',
    'GRAPHQL_PARSE_FAILED',
    'GRAPHQL_VALIDATION_FAILED',
    'BAD_REQUEST',
    'PERSISTED_QUERY_NOT_FOUND',
    'OPERATION_RESOLUTION_FAILURE',
  ])('an error Apollo or a guard already coded %s passes through untouched and unlogged', (code) => {
    const { logger, errors } = fakeLogger();
    const formatted = formattedAs('Cannot query field "nope" on type "Query".', code);
    const result = createErrorFormatter(logger)(
      formatted,
      new GraphQLError(formatted.message, { extensions: { code } }),
    );
    expect(result).toBe(formatted);
    expect(errors).toEqual([]);
  });

  it('an unknown error becomes INTERNAL_SERVER_ERROR with the correlation id, and its text is not shown', () => {
    const { logger } = fakeLogger();
    const error = new Error('relation "workflow.case" does not exist');
    const result = callContext.run({ correlationId: 'corr-77', orgScope: ALL_ORGS }, () =>
      createErrorFormatter(logger)(formattedAs(error.message), inResolver(error)),
    );
    expect(result).toEqual({
      message: 'Internal error; quote corr-77 to the operator',
      path,
      locations,
      extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId: 'corr-77' },
    });
    expect(JSON.stringify(result)).not.toContain('does not exist');
  });

  it('an unknown error is logged whole — the original error, not its GraphQL wrapper — with the path', () => {
    const { logger, errors } = fakeLogger();
    const error = new TypeError('cannot read properties of undefined');
    createErrorFormatter(logger)(formattedAs(error.message), inResolver(error));
    expect(errors).toHaveLength(1);
    const [fields, message] = errors[0] as [{ err: unknown; path: unknown }, string];
    expect(fields.err).toBe(error);
    expect(fields.path).toEqual(path);
    expect(message).toBe('unexpected error in a GraphQL request');
  });

  it('an error coded with something that is not a client code is treated as unknown', () => {
    const { logger, errors } = fakeLogger();
    const result = createErrorFormatter(logger)(formattedAs('x', 'DOWNSTREAM_SERVICE_ERROR'), new Error('x'));
    expect(result.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(errors).toHaveLength(1);
  });

  it('a GraphQLError without an original error is logged as itself', () => {
    const { logger, errors } = fakeLogger();
    const error = new GraphQLError('boom', { path });
    createErrorFormatter(logger)({ message: 'boom', path }, error);
    expect((errors[0][0] as { err: unknown }).err).toBe(error);
  });

  it('outside a call the client is told to quote the time instead, and no correlation id is invented', () => {
    const { logger } = fakeLogger();
    const result = createErrorFormatter(logger)(formattedAs('x'), new Error('x'));
    expect(result.message).toBe('Internal error; quote the time of the request to the operator');
    expect(result.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', correlationId: undefined });
  });
});
