import type { SourceEntity } from './source.entity';
import { toSourceModel } from './source.mapper';

const NOW = new Date('2026-11-27T08:00:00Z');

const row = (overrides: Partial<SourceEntity> = {}): SourceEntity => ({
  id: 'demo-vk',
  organizationId: '0b6f4a5e-0000-4000-8000-000000000001',
  platform: 'VK',
  kind: 'VK_CALLBACK',
  name: 'Сообщество',
  secretCiphertext: 'v1.dev.sealed-current',
  previousSecretCiphertext: 'v1.dev.sealed-previous',
  previousSecretUntil: new Date(NOW.getTime() + 3_600_000),
  secretRotatedAt: NOW,
  credentialsCiphertext: 'v1.dev.sealed-credentials',
  credentialNames: ['verifyToken', 'accessToken'],
  requireTimestamp: false,
  settings: { groupId: 1, confirmation: 'c' },
  enabled: true,
  createdAt: NOW,
  updatedAt: NOW,
  ...overrides,
});

describe('toSourceModel: what GraphQL shows of a source', () => {
  it('names of credentials and times of the secret, nothing sealed', () => {
    const model = toSourceModel(row(), 'https://intake.example', NOW);
    expect(model).toEqual({
      id: 'demo-vk',
      organization: { id: '0b6f4a5e-0000-4000-8000-000000000001' },
      platform: 'VK',
      kind: 'VK_CALLBACK',
      name: 'Сообщество',
      settings: { groupId: 1, confirmation: 'c' },
      enabled: true,
      requireTimestamp: false,
      webhookUrl: 'https://intake.example/webhooks/vk/demo-vk',
      hasSecret: true,
      hasCredentials: ['accessToken', 'verifyToken'],
      secretRotatedAt: NOW,
      previousSecretValidUntil: new Date(NOW.getTime() + 3_600_000),
      createdAt: NOW,
      updatedAt: NOW,
    });
    expect(JSON.stringify(model)).not.toContain('sealed');
  });

  it('a previous secret past its end is not shown as valid', () => {
    expect(toSourceModel(row({ previousSecretUntil: NOW }), null, NOW).previousSecretValidUntil).toBeNull();
  });
});
