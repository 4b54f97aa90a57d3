import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable } from './database';

/** What node-postgres throws: an Error with a SQLSTATE or a Node system error code. */
const pgError = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {});

describe('isDatabaseUnavailable: "cannot reach the database now" as opposed to a bug or bad data', () => {
  it.each([
    ['connection refused', 'ECONNREFUSED'],
    ['connection reset', 'ECONNRESET'],
    ['timed out', 'ETIMEDOUT'],
    ['host not found', 'ENOTFOUND'],
    ['host unreachable', 'EHOSTUNREACH'],
    ['admin shutdown', '57P01'],
    ['crash shutdown', '57P02'],
    ['cannot connect now (starting up)', '57P03'],
    ['too many connections', '53300'],
    ['connection exception', '08000'],
    ['connection does not exist', '08003'],
    ['connection failure', '08006'],
    ['client unable to establish connection', '08001'],
    ['server rejected the connection', '08004'],
  ])('%s (%s) is unavailability', (_why, code) => {
    expect(isDatabaseUnavailable(pgError('x', code))).toBe(true);
  });

  it.each([
    'Connection terminated unexpectedly',
    'Connection terminated due to connection timeout',
    'timeout exceeded when trying to connect',
    'connect ECONNREFUSED 127.0.0.1:5432',
    'CONNECTION TERMINATED',
  ])('a driver message "%s" without a code is unavailability', (message) => {
    expect(isDatabaseUnavailable(new Error(message))).toBe(true);
  });

  it.each([
    ['a unique violation', pgError('duplicate key value violates unique constraint', '23505')],
    ['a row-level security refusal', pgError('new row violates row-level security policy', '42501')],
    ['a syntax error', pgError('syntax error at or near "selec"', '42601')],
    ['a plain Error', new Error('something broke')],
    ['a string', 'ECONNREFUSED'],
    ['a number', 57],
    ['undefined', undefined],
    ['null', null],
    ['an object whose code is not a string', { code: 57 }],
  ])('%s is not unavailability', (_why, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it('looks through TypeORM’s driverError', () => {
    expect(isDatabaseUnavailable({ message: 'query failed', driverError: pgError('x', '57P01') })).toBe(true);
    expect(isDatabaseUnavailable({ message: 'query failed', driverError: pgError('x', '23505') })).toBe(false);
  });

  it('looks through an Error’s cause', () => {
    expect(isDatabaseUnavailable(new Error('cannot open', { cause: pgError('x', 'ECONNREFUSED') }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('cannot open', { cause: new Error('Connection terminated') }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('cannot open', { cause: pgError('x', '23505') }))).toBe(false);
  });

  it('a real TypeORM QueryFailedError is judged by its driver’s code', () => {
    expect(
      isDatabaseUnavailable(new QueryFailedError('select 1', [], pgError('terminating connection', '57P01'))),
    ).toBe(true);
    expect(isDatabaseUnavailable(new QueryFailedError('insert', [], pgError('duplicate key value', '23505')))).toBe(
      false,
    );
  });

  it('follows a chain up to three causes deep, and no further', () => {
    const wrapped = (error: unknown, times: number): unknown =>
      times === 0 ? error : wrapped(new Error('wrapper', { cause: error }), times - 1);
    expect(isDatabaseUnavailable(wrapped(pgError('x', 'ECONNREFUSED'), 3))).toBe(true);
    expect(isDatabaseUnavailable(wrapped(pgError('x', 'ECONNREFUSED'), 4))).toBe(false);
  });

  it('a cause that points back at its error does not loop forever', () => {
    const error = new Error('loop') as Error & { cause?: unknown };
    error.cause = error;
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
