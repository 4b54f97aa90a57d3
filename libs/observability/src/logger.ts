import pino, { Logger, LevelWithSilent } from 'pino';
import { callContext } from './call-context';

export type { Logger } from 'pino';

const LEVELS: readonly string[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function parseLogLevel(value: string | undefined, fallback: LevelWithSilent = 'info'): LevelWithSilent {
  if (value === undefined || value === '') return fallback;
  if (!LEVELS.includes(value)) throw new Error(`LOG_LEVEL must be one of ${LEVELS.join(', ')}; got "${value}"`);
  return value as LevelWithSilent;
}

/**
 * Fields that hold secrets wherever they are logged, at the top or one level down (`{ source }`):
 * a source's webhook secrets and credentials, tokens, keys. Their values become "[redacted]".
 */
const SECRET_FIELDS = [
  'secret',
  'secrets',
  'previousSecret',
  'newSecret',
  'credentials',
  'accessToken',
  'botToken',
  'verifyToken',
  'secretAccessKey',
];
export const REDACTED_LOG_PATHS: readonly string[] = SECRET_FIELDS.flatMap((f) => [f, `*.${f}`]);

/** JSON lines on stdout; every line carries the service and, inside a call, its correlation id. */
export function createLogger(service: string, level: LevelWithSilent = 'info'): Logger {
  return pino({
    level,
    redact: { paths: [...REDACTED_LOG_PATHS], censor: '[redacted]' },
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin() {
      const context = callContext.current();
      return context ? { correlationId: context.correlationId } : {};
    },
  });
}
