import { AppError, ErrorCode } from '@otklik/service-kit';

/** A webhook refused for what the sender sent: 400, 401 or 404, with a reason the sender can act on. */
export class WebhookException extends AppError {
  static unknownSource(sourceId: string): WebhookException {
    return new WebhookException('NOT_FOUND', `no source "${sourceId.slice(0, 100)}"`);
  }

  static disabledSource(sourceId: string): WebhookException {
    return new WebhookException('NOT_FOUND', `source "${sourceId}" is disabled`);
  }

  static notGeneric(sourceId: string, kind: string): WebhookException {
    return new WebhookException('NOT_FOUND', `source "${sourceId}" is a ${kind} source, not a generic webhook`);
  }

  static unknownPlatform(platform: string, known: readonly string[]): WebhookException {
    return new WebhookException(
      'NOT_FOUND',
      `no platform webhook "${platform.slice(0, 100)}" (there are: generic${known.map((k) => `, ${k}`).join('')})`,
    );
  }

  static methodNotServed(platform: string, method: string, methods: readonly string[]): WebhookException {
    return new WebhookException('NOT_FOUND', `the ${platform} webhook takes ${methods.join(' or ')}, not ${method}`);
  }

  static otherKind(sourceId: string, kind: string, expected: string): WebhookException {
    return new WebhookException('NOT_FOUND', `source "${sourceId}" is a ${kind} source, not a ${expected} one`);
  }

  /** A connector's refusal (REFUSE): the platform's request was not genuine or not readable. */
  static refusedByConnector(status: 400 | 401 | 403, reason: string): WebhookException {
    const code: Record<typeof status, ErrorCode> = { 400: 'BAD_USER_INPUT', 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN' };
    return new WebhookException(code[status], reason);
  }

  static unauthenticated(reason: string): WebhookException {
    return new WebhookException('UNAUTHENTICATED', reason);
  }

  static malformedJson(problem: string): WebhookException {
    return new WebhookException('BAD_USER_INPUT', `malformed JSON: ${problem}`, { problems: [`body: ${problem}`] });
  }

  static invalidMessage(problems: string[]): WebhookException {
    return new WebhookException('BAD_USER_INPUT', 'invalid message', { problems });
  }
}

/** The message could not be stored safely right now (the database is unreachable): 503, try again. */
export class MessageStoreUnavailable extends Error {
  static readonly retryAfterSeconds = 5;

  constructor(cause: unknown) {
    super('the message cannot be stored right now; send it again later', { cause });
    this.name = 'MessageStoreUnavailable';
  }
}

export interface HttpAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

const STATUS: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
};

/** The HTTP answer to a refused webhook; undefined for errors that are bugs (they become a logged 500). */
export function refusalAnswer(error: unknown): HttpAnswer | undefined {
  if (error instanceof WebhookException) {
    return { status: STATUS[error.code], body: { error: error.message, ...error.details }, headers: {} };
  }
  if (error instanceof MessageStoreUnavailable) {
    return {
      status: 503,
      body: { error: error.message },
      headers: { 'Retry-After': String(MessageStoreUnavailable.retryAfterSeconds) },
    };
  }
  return undefined;
}
