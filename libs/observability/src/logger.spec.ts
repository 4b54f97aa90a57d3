import pino from 'pino';
import { ALL_ORGS, callContext } from './call-context';
import { createLogger, Logger, parseLogLevel } from './logger';

interface Line {
  level: string;
  time: string;
  service: string;
  msg?: string;
  correlationId?: string;
  [field: string]: unknown;
}

/**
 * createLogger writes to stdout; the test points the logger's destination stream (pino's own
 * `streamSym` slot, which every write goes through) at an array instead.
 */
function captured(logger: Logger): Line[] {
  const lines: Line[] = [];
  const sink = { write: (chunk: string) => lines.push(JSON.parse(chunk) as Line) };
  (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] = sink;
  return lines;
}

const inContext = <T>(correlationId: string, fn: () => T): T =>
  callContext.run({ correlationId, orgScope: ALL_ORGS }, fn);

describe('createLogger: JSON lines carrying the service and, inside a call, its correlation id', () => {
  it('a line outside any call has the service, a level label, an ISO time and the message, but no correlation id', () => {
    const logger = createLogger('intake');
    const lines = captured(logger);
    logger.info({ sourceId: 's1' }, 'message stored');
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line).toMatchObject({ service: 'intake', level: 'info', msg: 'message stored', sourceId: 's1' });
    expect(new Date(line.time).toISOString()).toBe(line.time);
    expect(line).not.toHaveProperty('correlationId');
  });

  it('a line inside a call carries that call’s correlation id', () => {
    const logger = createLogger('workflow');
    const lines = captured(logger);
    inContext('corr-42', () => logger.warn('case overdue'));
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', msg: 'case overdue', correlationId: 'corr-42' })]);
  });

  it('the correlation id stops with the call: a line logged afterwards has none', () => {
    const logger = createLogger('notify');
    const lines = captured(logger);
    inContext('corr-1', () => logger.info('inside'));
    logger.info('outside');
    expect(lines.map((l) => [l.msg, l.correlationId])).toEqual([
      ['inside', 'corr-1'],
      ['outside', undefined],
    ]);
  });

  it('nested calls log the innermost correlation id', () => {
    const logger = createLogger('workflow');
    const lines = captured(logger);
    inContext('outer', () => {
      logger.info('a');
      inContext('inner', () => logger.info('b'));
      logger.info('c');
    });
    expect(lines.map((l) => `${l.msg}:${l.correlationId}`)).toEqual(['a:outer', 'b:inner', 'c:outer']);
  });

  it('concurrent calls sharing one logger each log their own correlation id', async () => {
    const logger = createLogger('intake');
    const lines = captured(logger);
    const work = (id: string) =>
      inContext(id, async () => {
        logger.info(`${id} start`);
        await Promise.resolve();
        logger.info(`${id} end`);
      });
    await Promise.all([work('A'), work('B')]);
    expect(lines.map((l) => `${l.msg}:${l.correlationId}`).sort()).toEqual(
      ['A start:A', 'A end:A', 'B start:B', 'B end:B'].sort(),
    );
  });

  it('child loggers add the correlation id too', () => {
    const logger = createLogger('gateway');
    captured(logger);
    const child = logger.child({ component: 'relay' });
    const lines = captured(child);
    inContext('corr-child', () => child.info('published'));
    expect(lines).toEqual([
      expect.objectContaining({ service: 'gateway', component: 'relay', correlationId: 'corr-child' }),
    ]);
  });

  it('lines below the chosen level are not written; the default level is info', () => {
    const quiet = createLogger('intake', 'warn');
    const quietLines = captured(quiet);
    quiet.info('dropped');
    quiet.error('kept');
    expect(quietLines.map((l) => l.msg)).toEqual(['kept']);

    const normal = createLogger('intake');
    const normalLines = captured(normal);
    normal.debug('dropped');
    normal.info('kept');
    expect(normalLines.map((l) => l.msg)).toEqual(['kept']);
  });

  it('silent writes nothing at all', () => {
    const logger = createLogger('intake', 'silent');
    const lines = captured(logger);
    logger.fatal('nothing');
    expect(lines).toEqual([]);
  });
});

describe('parseLogLevel: LOG_LEVEL is one of pino’s level names', () => {
  it.each(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])('accepts %s', (level) => {
    expect(parseLogLevel(level)).toBe(level);
  });

  it('falls back when unset or empty (to info, unless told otherwise)', () => {
    expect(parseLogLevel(undefined)).toBe('info');
    expect(parseLogLevel('')).toBe('info');
    expect(parseLogLevel(undefined, 'debug')).toBe('debug');
    expect(parseLogLevel('', 'silent')).toBe('silent');
  });

  it('a given level wins over the fallback', () => {
    expect(parseLogLevel('error', 'debug')).toBe('error');
  });

  it.each(['verbose', 'INFO', ' info', 'warning', '30'])('refuses "%s", listing the levels it accepts', (value) => {
    expect(() => parseLogLevel(value)).toThrow(
      `LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got "${value}"`,
    );
  });
});
