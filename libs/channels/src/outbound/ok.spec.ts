import { classifyOkError, createOkPublisher, readOkTarget } from './ok';
import type { OutboundSource } from './publisher';

// OK's errors: https://apiok.ru/dev/errors (the code in the invocation-error header and the body).

describe('OK targets: the mid, in the chat intake keeps as the thread', () => {
  it('a chat message', () => {
    expect(readOkTarget('mid:C3ecb9d02a600.1', 'chat:C3ecb9d02a600')).toEqual({
      chatId: 'chat:C3ecb9d02a600',
      mid: 'mid:C3ecb9d02a600.1',
    });
  });

  it.each([
    ['mid:1', undefined],
    ['mid:1', 'chat/../x'],
    ['', 'chat:C1'],
  ])('%p in %p has nothing to answer', (externalId, threadId) => {
    expect(readOkTarget(externalId, threadId)).toBeUndefined();
  });
});

describe("OK's errors", () => {
  it.each([
    [1, 'UNKNOWN'],
    [2, 'SERVICE : Service temporary unavailable'],
    [7, 'ACTION_BLOCKED'],
    [8, 'FLOOD_BLOCKED'],
    [11, 'LIMIT_REACHED'],
  ])('%i (%s) is RETRY', (code, message) => {
    expect(classifyOkError(code, message).outcome).toBe('RETRY');
  });

  it.each([
    [102, 'PARAM_SESSION_EXPIRED : Session expired', 'истёк'],
    [103, 'PARAM_SESSION_KEY : Invalid session key', 'неверен'],
    [10, 'PERMISSION_DENIED', 'нет прав'],
    [300, 'NOT_FOUND', 'не найдены'],
    [100, 'PARAM : reply_to is invalid', 'отклонили запрос'],
  ])('%i (%s) is FAILED: "%s"', (code, message, says) => {
    expect(classifyOkError(code, message)).toEqual({
      outcome: 'FAILED',
      reason: expect.stringContaining(says),
      platformError: `error ${code}: ${message}`,
    });
  });
});

describe('what is refused before any call', () => {
  const noCalls = jest.fn((): Promise<Response> => Promise.reject(new Error('no call expected')));
  const ok = createOkPublisher('http://ok.invalid', noCalls);
  const source: OutboundSource = { id: 'ok', platform: 'OK', settings: {}, credentials: { accessToken: 'tkn' } };
  afterEach(() => expect(noCalls).not.toHaveBeenCalled());

  it('more than the 5 attachments OK takes in a message', async () => {
    const attachments = Array.from({ length: 6 }, (_, i) => ({ type: 'PHOTO' as const, url: `http://s/${i}` }));
    await expect(
      ok.publish(
        { idempotencyKey: 'k', target: { externalId: 'mid:1', threadId: 'chat:C1' }, text: 'x', attachments },
        source,
      ),
    ).resolves.toMatchObject({ outcome: 'FAILED', reason: expect.stringContaining('не больше 5 вложений') });
  });
});
