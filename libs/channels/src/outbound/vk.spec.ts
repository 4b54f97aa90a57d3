import type { OutboundAnswer, OutboundSource } from './publisher';
import { classifyVkError, createVkPublisher, readVkTarget, vkRandomId } from './vk';

// Targets as intake's VK connector names them (libs/channels/src/inbound/vk.ts); errors as VK's
// schema lists them (github.com/VKCOM/vk-api-schema errors.json, 5.199).

/** A fetch that must not be reached: the publisher decides before calling anything. */
const noCalls = jest.fn((): Promise<Response> => Promise.reject(new Error('no call expected')));

const SOURCE: OutboundSource = {
  id: 'vk-kalmansky',
  platform: 'VK',
  settings: { groupId: 1 },
  credentials: { accessToken: 'community-key' },
};

const answer = (externalId: string, attachments: OutboundAnswer['attachments'] = []): OutboundAnswer => ({
  idempotencyKey: '5f0c6d1e-2d7b-4a51-9d3e-0f1f2e3d4c5b',
  target: { externalId },
  text: 'Здравствуйте! Яму заделают до пятницы.',
  attachments,
});

describe('VK targets: the citizen message a reply goes under', () => {
  it.each([
    ['wall-1_123_r9', { kind: 'WALL', owner: -1, post: 123, replyTo: 9 }],
    ['wall-1_123', { kind: 'WALL', owner: -1, post: 123 }],
    ['photo-1_456_c7', { kind: 'PHOTO', owner: -1, photo: 456, replyTo: 7 }],
    ['video-1_789_c8', { kind: 'VIDEO', owner: -1, video: 789, replyTo: 8 }],
    ['topic-1_12_p34', { kind: 'BOARD', owner: -1, topic: 12, replyTo: 34 }],
    ['msg-1234567_55', { kind: 'MESSAGE', peer: 1234567, conversationMessageId: 55 }],
    ['msg-2000000001_3', { kind: 'MESSAGE', peer: 2000000001, conversationMessageId: 3 }],
  ])('%s', (externalId, target) => {
    expect(readVkTarget(externalId)).toEqual(target);
  });

  it.each(['', 'wall-1', 'wall-1_x_r9', 'tg-1_2', 'msg-_5', 'photo-1_456'])('%p is not a VK message id', (id) => {
    expect(readVkTarget(id)).toBeUndefined();
  });
});

describe('messages.send random_id from the idempotency key', () => {
  it('is the same for every attempt of one answer, a positive int32', () => {
    const key = '5f0c6d1e-2d7b-4a51-9d3e-0f1f2e3d4c5b';
    expect(vkRandomId(key)).toBe(vkRandomId(key));
    expect(vkRandomId(key)).toBeGreaterThan(0);
    expect(vkRandomId(key)).toBeLessThanOrEqual(2 ** 31 - 1);
  });

  it('differs between answers', () => {
    expect(vkRandomId('answer-1')).not.toBe(vkRandomId('answer-2'));
  });
});

describe("VK's errors: worth another attempt, or FAILED in an official's words", () => {
  it.each([
    [6, 'Too many requests per second'],
    [9, 'Flood control'],
    [10, 'Internal server error'],
    [1, 'Unknown error occurred'],
    [29, 'Rate limit reached'],
  ])('%i (%s) is RETRY', (code, message) => {
    expect(classifyVkError('wall.createComment', code, message).outcome).toBe('RETRY');
  });

  it.each([
    [5, 'User authorization failed: invalid access_token (4).', 'отозван или неверен'],
    [15, 'Access denied', 'доступ запрещён'],
    [100, 'One of the parameters specified was missing or invalid', 'отклонил запрос'],
    [113, 'Invalid user id', 'страница автора удалена'],
    [18, 'User was deleted or banned', 'удалена или заблокирована'],
    [30, 'This profile is private', 'Профиль автора закрыт'],
    [211, "Access to wall's comment denied", 'удалён или скрыт'],
    [212, 'Access to post comments denied', 'комментарии закрыты'],
    [213, 'Access to status replies denied', 'комментарии закрыты или ограничены'],
    [222, 'Hyperlinks are forbidden', 'уберите ссылку'],
    [223, 'Too many replies', 'слишком много ответов'],
    [27, 'Group authorization failed: method is unavailable with group auth.', 'adminAccessToken'],
    [901, "Can't send messages for users without permission", 'не разрешил сообществу'],
  ])('%i (%s) is FAILED, saying "%s"', (code, message, says) => {
    const outcome = classifyVkError('wall.createComment', code, message);
    expect(outcome).toEqual({
      outcome: 'FAILED',
      reason: expect.stringContaining(says),
      platformError: `wall.createComment: error ${code}: ${message}`,
    });
  });

  it('an error VK never listed is FAILED with its own text', () => {
    expect(classifyVkError('wall.createComment', 4242, 'Something new')).toEqual({
      outcome: 'FAILED',
      reason: 'ВКонтакте отказал: Something new (код 4242)',
      platformError: 'wall.createComment: error 4242: Something new',
    });
  });
});

describe('what is refused before any call', () => {
  const vk = createVkPublisher('http://vk.invalid/method', noCalls);
  afterEach(() => expect(noCalls).not.toHaveBeenCalled());

  it('a source without the community key', async () => {
    await expect(vk.publish(answer('wall-1_123_r9'), { ...SOURCE, credentials: {} })).resolves.toEqual({
      outcome: 'FAILED',
      reason: expect.stringContaining('не задан ключ доступа (accessToken)'),
      platformError: 'missing credential accessToken',
    });
  });

  it('a source without its community id', async () => {
    await expect(vk.publish(answer('wall-1_123_r9'), { ...SOURCE, settings: {} })).resolves.toMatchObject({
      outcome: 'FAILED',
      reason: expect.stringContaining('(groupId)'),
    });
  });

  it('an id that is not a VK message', async () => {
    await expect(vk.publish(answer('12345_6'), SOURCE)).resolves.toMatchObject({
      outcome: 'FAILED',
      reason: expect.stringContaining('Не удалось понять'),
    });
  });

  it.each(['photo-1_456_c7', 'video-1_789_c8', 'topic-1_12_p34'])(
    'a reply under %s without an administrator key (VK takes only user keys there)',
    async (externalId) => {
      await expect(vk.publish(answer(externalId), SOURCE)).resolves.toMatchObject({
        outcome: 'FAILED',
        reason: expect.stringContaining('adminAccessToken'),
      });
    },
  );

  it('a wall comment with a photo without an administrator key (photos.getWallUploadServer takes user keys only)', async () => {
    const withPhoto = answer('wall-1_123_r9', [{ type: 'PHOTO', url: 'http://storage.invalid/a.jpg' }]);
    await expect(vk.publish(withPhoto, SOURCE)).resolves.toMatchObject({
      outcome: 'FAILED',
      reason: expect.stringContaining('только с ключом администратора'),
    });
  });
});
