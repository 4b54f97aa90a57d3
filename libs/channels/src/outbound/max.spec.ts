import { classifyMaxError, readMaxTarget } from './max';

// MAX's bot API answers errors with an HTTP status and `{code, message}` (https://dev.max.ru/docs-api).

describe('MAX targets: the mid, in the chat intake keeps as the thread', () => {
  it('a message', () => {
    expect(readMaxTarget('mid.0000abcd.1', '-72000123')).toEqual({ chatId: -72000123, mid: 'mid.0000abcd.1' });
  });

  it('a bare forward has no mid to reply to: the answer goes to its chat', () => {
    expect(readMaxTarget('forward:4567:mid.x:1775053255737', undefined)).toEqual({ chatId: 4567 });
  });

  it.each([
    ['mid.1', undefined],
    ['mid.1', 'not-a-chat'],
  ])('%s in thread %p has no chat to answer in', (externalId, threadId) => {
    expect(readMaxTarget(externalId, threadId)).toBeUndefined();
  });
});

describe("MAX's errors", () => {
  it('429 is RETRY (two messages a second per chat), after Retry-After when MAX gives it', () => {
    expect(classifyMaxError(429, 'too.many.requests', 'Too many requests', 3000)).toEqual({
      outcome: 'RETRY',
      reason: expect.stringContaining('двух в секунду'),
      retryAfterMs: 3000,
    });
  });

  it('5xx is RETRY', () => {
    expect(classifyMaxError(503, '', '').outcome).toBe('RETRY');
  });

  it('an attachment still being processed is RETRY in a few seconds', () => {
    expect(classifyMaxError(400, 'attachment.not.ready', 'Key: errors.process.attachment.file.not.processed')).toEqual({
      outcome: 'RETRY',
      reason: expect.stringContaining('обрабатывает вложение'),
      retryAfterMs: 2000,
    });
  });

  it.each([
    [401, 'verify.token', 'Invalid access_token', 'Токен бота MAX отозван'],
    [403, 'chat.denied', 'Bot is not a member', 'не может писать в этот чат'],
    [404, 'not.found', 'Chat not found', 'не найдены'],
    [400, 'proto.payload', 'text: size must be <= 4000', 'MAX отклонил сообщение: text: size must be <= 4000'],
  ])('%i %s is FAILED: "%s"', (status, code, message, says) => {
    expect(classifyMaxError(status, code, message)).toEqual({
      outcome: 'FAILED',
      reason: expect.stringContaining(says),
      platformError: `HTTP ${status} ${code}: ${message}`,
    });
  });
});
