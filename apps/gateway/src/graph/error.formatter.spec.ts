import { callContext, orgsScope } from '@otklik/observability';
import { GraphQLError } from 'graphql';
import { createErrorFormatter } from './error.formatter';

describe('error masking (STYLE.md §5)', () => {
  const logger = { error: jest.fn() };
  const format = createErrorFormatter(logger);
  beforeEach(() => logger.error.mockClear());

  it('passes client errors through with their code and message', () => {
    for (const code of [
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'BAD_USER_INPUT',
      'NOT_FOUND',
      'CONFLICT',
      'GRAPHQL_VALIDATION_FAILED',
    ]) {
      const formatted = { message: `a ${code} message`, extensions: { code, serviceName: 'workflow' } };
      expect(format(formatted, new GraphQLError(formatted.message))).toBe(formatted);
    }
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('masks anything else for the client and logs it whole, with the correlation id', () => {
    const original = new Error('connect ECONNREFUSED 127.0.0.1:4002');
    const formatted = callContext.run({ correlationId: 'corr-9', orgScope: orgsScope([]) }, () =>
      format(
        { message: original.message, path: ['cases'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
        new GraphQLError(original.message, { originalError: original }),
      ),
    );
    expect(formatted).toEqual({
      message: 'Internal server error',
      path: ['cases'],
      locations: undefined,
      extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId: 'corr-9' },
    });
    expect(logger.error).toHaveBeenCalledWith(
      expect.objectContaining({ correlationId: 'corr-9', path: ['cases'] }),
      expect.stringContaining('ECONNREFUSED'),
    );
  });

  it('masks a subgraph that answered 401/403 over HTTP: our misconfiguration, not the caller’s fault', () => {
    const formatted = {
      message: '401: Unauthorized',
      extensions: { code: 'UNAUTHENTICATED', response: { url: 'http://10.0.0.5:4002/graphql', status: 401 } },
    };
    expect(format(formatted, new GraphQLError(formatted.message))).toMatchObject({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(logger.error).toHaveBeenCalled();
  });

  it('production: client errors lose "Did you mean" suggestions and the name of the subgraph; limits pass with their figures', () => {
    const production = createErrorFormatter(logger, { production: true });
    const unknownField = {
      message: 'Cannot query field "statu" on type "Case". Did you mean "status"?',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    };
    expect(production(unknownField, new GraphQLError(unknownField.message)).message).toBe(
      'Cannot query field "statu" on type "Case".',
    );
    const badEnum = {
      message: 'Value "ROUTD" does not exist in "CaseStatus" enum. Did you mean the enum value "ROUTED"?',
      extensions: { code: 'BAD_USER_INPUT', serviceName: 'workflow' },
    };
    expect(production(badEnum, new GraphQLError(badEnum.message))).toEqual({
      message: 'Value "ROUTD" does not exist in "CaseStatus" enum.',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const tooDeep = { message: 'too deep', extensions: { code: 'QUERY_TOO_DEEP', limit: 10, found: 12 } };
    expect(production(tooDeep, new GraphQLError(tooDeep.message))).toEqual(tooDeep);
    // Development keeps the suggestions.
    expect(format(unknownField, new GraphQLError(unknownField.message))).toBe(unknownField);
  });

  it('Apollo Server’s own refusals of a malformed request (a 4xx, no code) are BAD_REQUEST, not masked', () => {
    for (const message of ['Unsupported persisted query version', 'provided sha does not match query']) {
      const original = new GraphQLError(message, { extensions: { http: { status: 400, headers: new Map() } } });
      // Apollo Server fills in INTERNAL_SERVER_ERROR before formatError sees it.
      const formatted = format({ message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, original);
      expect(formatted).toEqual({ message, extensions: { code: 'BAD_REQUEST' } });
    }
    expect(logger.error).not.toHaveBeenCalled();
    // A 5xx without a code stays masked.
    const failure = new GraphQLError('boom', { extensions: { http: { status: 503 } } });
    expect(format({ message: 'boom', extensions: { code: 'INTERNAL_SERVER_ERROR' } }, failure).message).toBe(
      'Internal server error',
    );
  });

  it('masks errors without any code', () => {
    expect(format({ message: 'Cannot read properties of undefined' }, new Error('x')).message).toBe(
      'Internal server error',
    );
  });
});
