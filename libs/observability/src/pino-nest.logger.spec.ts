import type { Logger } from 'pino';
import { PinoNestLogger } from './pino-nest.logger';

type Level = 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal';
interface Call {
  level: Level;
  args: unknown[];
}

/** Just the level methods Nest's adapter calls, recording what they were given. */
function fakePino(): { logger: Logger; calls: Call[] } {
  const calls: Call[] = [];
  const levels: Level[] = ['info', 'error', 'warn', 'debug', 'trace', 'fatal'];
  const fake = Object.fromEntries(
    levels.map((level) => [level, (...args: unknown[]) => void calls.push({ level, args })]),
  );
  return { logger: fake as unknown as Logger, calls };
}

describe('PinoNestLogger: Nest’s logger calls as pino lines', () => {
  let calls: Call[];
  let nest: PinoNestLogger;
  beforeEach(() => {
    const fake = fakePino();
    calls = fake.calls;
    nest = new PinoNestLogger(fake.logger);
  });

  it.each([
    ['log', 'info'],
    ['error', 'error'],
    ['warn', 'warn'],
    ['debug', 'debug'],
    ['verbose', 'trace'],
    ['fatal', 'fatal'],
  ] as const)('%s() writes at pino level %s', (method, level) => {
    nest[method]('hello');
    expect(calls).toEqual([{ level, args: [{}, 'hello'] }]);
  });

  it('(message, context): the context becomes a field', () => {
    nest.log('Nest application successfully started', 'NestApplication');
    expect(calls).toEqual([
      { level: 'info', args: [{ context: 'NestApplication' }, 'Nest application successfully started'] },
    ]);
  });

  it('error(message, stack, context): both the stack and the context become fields', () => {
    nest.error('boom', 'Error: boom\n    at x.ts:1:1', 'ExceptionsHandler');
    expect(calls).toEqual([
      {
        level: 'error',
        args: [{ context: 'ExceptionsHandler', stack: 'Error: boom\n    at x.ts:1:1' }, 'boom'],
      },
    ]);
  });

  it('error(message, stack) without a context — a contextless Logger — keeps the stack as the stack', () => {
    nest.error('boom', 'Error: boom\n    at x.ts:1:1');
    expect(calls).toEqual([{ level: 'error', args: [{ stack: 'Error: boom\n    at x.ts:1:1' }, 'boom'] }]);
  });

  it('error(message, undefined, context) — what Nest sends without a stack — keeps only the context', () => {
    nest.error('failed', undefined, 'RoutesResolver');
    expect(calls).toEqual([{ level: 'error', args: [{ context: 'RoutesResolver' }, 'failed'] }]);
  });

  it('only error() reads a stack: a warning with two strings keeps the last as context and no stack', () => {
    nest.warn('careful', 'extra', 'Scanner');
    expect(calls).toEqual([{ level: 'warn', args: [{ context: 'Scanner' }, 'careful'] }]);
  });

  it('an Error message is logged as err, with its message as the line’s message', () => {
    const error = new Error('database down');
    nest.error(error, 'Bootstrap');
    expect(calls).toEqual([{ level: 'error', args: [{ context: 'Bootstrap', err: error }, 'database down'] }]);
  });

  it('an Error with a separate stack and context keeps all three', () => {
    const error = new TypeError('bad');
    nest.error(error, 'stack text', 'Ctx');
    expect(calls).toEqual([{ level: 'error', args: [{ context: 'Ctx', stack: 'stack text', err: error }, 'bad'] }]);
  });

  it('an object message is merged into the line’s fields', () => {
    nest.log({ port: 4001, msg: 'listening' }, 'Main');
    expect(calls).toEqual([{ level: 'info', args: [{ context: 'Main', port: 4001, msg: 'listening' }] }]);
  });

  it('other messages are turned into strings', () => {
    nest.debug(42);
    nest.log(undefined);
    nest.warn(null, 'Ctx');
    expect(calls).toEqual([
      { level: 'debug', args: [{}, '42'] },
      { level: 'info', args: [{}, 'undefined'] },
      { level: 'warn', args: [{ context: 'Ctx' }, 'null'] },
    ]);
  });

  it('non-string extra arguments are not taken for a context', () => {
    nest.log('hello', { some: 'object' }, 7);
    expect(calls).toEqual([{ level: 'info', args: [{}, 'hello'] }]);
  });
});
