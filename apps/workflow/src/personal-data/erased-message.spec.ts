import { ERASED_TEXT, MessageAcceptedV1 } from '@otklik/contracts';
import { erasedMessage } from './erased-message';

describe('a message accepted after its author was erased (152-FZ)', () => {
  const accepted: MessageAcceptedV1 = {
    messageId: '7d2c9e14-5b3a-4f6e-8c1d-2a9b8e7f6a50',
    sourceId: 'demo-vk',
    platform: 'VK',
    externalId: 'wall-1_100_r42',
    url: 'https://vk.com/wall-1_100?reply=42',
    text: 'Иван Петров: яма у дома 5',
    postedAt: '2026-11-30T02:55:00.000Z',
    receivedAt: '2026-11-30T03:00:00.000Z',
    author: { id: 'id42', name: 'Иван Петров', url: 'https://vk.com/id42' },
    threadId: 'wall-1_100',
    attachments: [{ type: 'PHOTO', url: 'https://sun9-1.userapi.com/x.jpg' }],
    screening: { reasons: [] },
    criticality: { critical: true },
  };

  it('keeps what intake decided and when, and nothing that came from the author', () => {
    const erased = erasedMessage(accepted);
    expect(erased).toEqual({
      messageId: accepted.messageId,
      sourceId: 'demo-vk',
      platform: 'VK',
      externalId: accepted.messageId,
      text: ERASED_TEXT,
      postedAt: accepted.postedAt,
      receivedAt: accepted.receivedAt,
      attachments: [],
      screening: { reasons: [] },
      criticality: { critical: true },
    });
    expect(JSON.stringify(erased)).not.toMatch(/id42|Иван|wall-1_100|userapi/);
  });
});
