import type { OutboundSource } from './publisher';
import { classifyTelegramError, createTelegramPublisher, readTelegramTarget } from './telegram';

// Errors as the Bot API answers them (https://core.telegram.org/bots/api#making-requests:
// `{ok: false, error_code, description, parameters}`), with the descriptions Telegram sends.

describe('Telegram targets, as intake names them: [business:<id>:]<chat_id>_<message_id>', () => {
  it.each([
    ['1234567_42', { chatId: 1234567, messageId: 42 }],
    ['-1001234567890_77', { chatId: -1001234567890, messageId: 77 }],
    ['business:AbC-123:555_9', { chatId: 555, messageId: 9, businessConnectionId: 'AbC-123' }],
  ])('%s', (externalId, target) => {
    expect(readTelegramTarget(externalId)).toEqual(target);
  });

  it.each(['', '1234567', 'wall-1_2_r3', 'x_1', '1_2_3'])('%p is not one', (externalId) => {
    expect(readTelegramTarget(externalId)).toBeUndefined();
  });
});

describe("Telegram's errors", () => {
  it('429 is RETRY after the retry_after Telegram gives', () => {
    expect(classifyTelegramError('sendMessage', 429, 'Too Many Requests: retry after 7', { retry_after: 7 })).toEqual({
      outcome: 'RETRY',
      reason: expect.stringContaining('7 с'),
      retryAfterMs: 7000,
    });
  });

  it('5xx is RETRY', () => {
    expect(classifyTelegramError('sendMessage', 502, 'Bad Gateway').outcome).toBe('RETRY');
  });

  it.each([
    [401, 'Unauthorized', 'Токен бота Telegram отозван или неверен'],
    [400, 'Bad Request: message to be replied not found', 'Сообщение автора в Telegram удалено'],
    [403, 'Forbidden: bot was blocked by the user', 'заблокировал бота'],
    [403, 'Forbidden: bot was kicked from the supergroup chat', 'Бота удалили'],
    [400, 'Bad Request: not enough rights to send text messages to the chat', 'нет прав'],
    [400, 'Bad Request: chat not found', 'Чат Telegram не найден'],
    [403, 'Forbidden: user is deactivated', 'Аккаунт автора'],
    [400, 'Bad Request: message caption is too long', 'сократите ответ'],
  ])('%i %s is FAILED: "%s"', (code, description, says) => {
    expect(classifyTelegramError('sendMessage', code, description)).toEqual({
      outcome: 'FAILED',
      reason: expect.stringContaining(says),
      platformError: `sendMessage: ${code} ${description}`,
    });
  });

  it('another refusal is FAILED with what Telegram said', () => {
    expect(classifyTelegramError('sendPhoto', 400, 'Bad Request: something odd')).toEqual({
      outcome: 'FAILED',
      reason: 'Telegram отказал: Bad Request: something odd',
      platformError: 'sendPhoto: 400 Bad Request: something odd',
    });
  });
});

describe('what is refused before any call', () => {
  const noCalls = jest.fn((): Promise<Response> => Promise.reject(new Error('no call expected')));
  const telegram = createTelegramPublisher('http://telegram.invalid', noCalls);
  const source: OutboundSource = { id: 'tg', platform: 'TELEGRAM', settings: {}, credentials: {} };
  const answer = { idempotencyKey: 'k', target: { externalId: '1_2' }, text: 'Ответ', attachments: [] };
  afterEach(() => expect(noCalls).not.toHaveBeenCalled());

  it('a source without the bot token', async () => {
    await expect(telegram.publish(answer, source)).resolves.toEqual({
      outcome: 'FAILED',
      reason: expect.stringContaining('(botToken)'),
      platformError: 'missing credential botToken',
    });
  });

  it('a target that is not a Telegram message', async () => {
    const target = { externalId: 'wall-1_2_r3' };
    await expect(
      telegram.publish({ ...answer, target }, { ...source, credentials: { botToken: '1:x' } }),
    ).resolves.toMatchObject({ outcome: 'FAILED' });
  });
});
