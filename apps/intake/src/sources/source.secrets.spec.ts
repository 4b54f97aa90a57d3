import pino from 'pino';
import { createLogger, Logger } from '@otklik/observability';
import { DEVELOPMENT_KEYRING, SecretBox, TamperedSecretError } from '@otklik/secrets';
import type { SourceEntity } from './source.entity';
import { secretContext, Source, SourceSecrets, toConnectorSource, validSecrets } from './source.secrets';

const NOW = new Date('2026-11-27T08:00:00Z');
const HOUR = 3_600_000;
const secrets = new SourceSecrets(new SecretBox(DEVELOPMENT_KEYRING));

const source = (overrides: Partial<Source> = {}): Source => ({
  id: 'demo-vk',
  organizationId: '0b6f4a5e-0000-4000-8000-000000000001',
  platform: 'VK',
  kind: 'VK_CALLBACK',
  name: 'Сообщество',
  requireTimestamp: false,
  settings: { groupId: 1, confirmation: 'demo-confirm' },
  enabled: true,
  createdAt: NOW,
  secret: 'current-secret-0123456789',
  previousSecret: null,
  previousSecretUntil: null,
  credentials: { accessToken: 'vk-token-0123456789' },
  ...overrides,
});

describe('validSecrets: the current secret, and the previous one while its overlap lasts', () => {
  it('without a rotation: the current one', () => {
    expect(validSecrets(source(), NOW)).toEqual(['current-secret-0123456789']);
  });

  it('during the overlap: current first, then previous', () => {
    const rotated = source({ previousSecret: 'old-secret', previousSecretUntil: new Date(NOW.getTime() + HOUR) });
    expect(validSecrets(rotated, NOW)).toEqual(['current-secret-0123456789', 'old-secret']);
  });

  it('from the end of the overlap on: the current one alone', () => {
    const rotated = source({ previousSecret: 'old-secret', previousSecretUntil: NOW });
    expect(validSecrets(rotated, NOW)).toEqual(['current-secret-0123456789']);
  });

  it('a kind without a webhook has none', () => {
    expect(validSecrets(source({ kind: 'FEED', secret: null }), NOW)).toEqual([]);
  });
});

describe('toConnectorSource', () => {
  it('gives a connector the valid secrets and the opened credentials', () => {
    const rotated = source({ previousSecret: 'old-secret', previousSecretUntil: new Date(NOW.getTime() + HOUR) });
    expect(toConnectorSource(rotated, NOW)).toEqual({
      id: 'demo-vk',
      platform: 'VK',
      secrets: ['current-secret-0123456789', 'old-secret'],
      settings: { groupId: 1, confirmation: 'demo-confirm' },
      credentials: { accessToken: 'vk-token-0123456789' },
    });
  });
});

describe('SourceSecrets: a stored row opens into a Source', () => {
  const row = (overrides: Partial<SourceEntity> = {}): SourceEntity => {
    const sealed = secrets.sealCredentials('demo-vk', { accessToken: 'vk-token-0123456789' });
    return {
      id: 'demo-vk',
      organizationId: '0b6f4a5e-0000-4000-8000-000000000001',
      platform: 'VK',
      kind: 'VK_CALLBACK',
      name: 'Сообщество',
      secretCiphertext: secrets.sealSecret('demo-vk', 'current-secret-0123456789'),
      previousSecretCiphertext: secrets.sealSecret('demo-vk', 'old-secret'),
      previousSecretUntil: new Date(NOW.getTime() + HOUR),
      secretRotatedAt: NOW,
      credentialsCiphertext: sealed.ciphertext,
      credentialNames: sealed.names,
      requireTimestamp: false,
      settings: {},
      enabled: true,
      createdAt: NOW,
      updatedAt: NOW,
      ...overrides,
    };
  };

  it('opens the current and previous secret and the credentials', () => {
    expect(secrets.open(row())).toMatchObject({
      secret: 'current-secret-0123456789',
      previousSecret: 'old-secret',
      credentials: { accessToken: 'vk-token-0123456789' },
    });
    expect(row().credentialNames).toEqual(['accessToken']);
  });

  it('the sealed forms hold no plaintext', () => {
    const stored = JSON.stringify(row());
    expect(stored).not.toContain('current-secret');
    expect(stored).not.toContain('vk-token');
  });

  it('a secret sealed for another source does not open here: a clear error, never another value', () => {
    const moved = row({ secretCiphertext: secrets.sealSecret('demo-telegram', 'its-secret') });
    expect(() => secrets.open(moved)).toThrow(TamperedSecretError);
    expect(secretContext('demo-vk')).toBe('intake.sources/demo-vk/secret');
  });
});

describe('secrets are never logged', () => {
  function captured(logger: Logger): string[] {
    const lines: string[] = [];
    (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] = {
      write: (line: string) => lines.push(line),
    };
    return lines;
  }

  it('a logged source, or what a connector gets, shows its id but none of its secrets or credentials', () => {
    const logger = createLogger('intake', 'info');
    const lines = captured(logger);
    const rotated = source({ previousSecret: 'old-secret-value', previousSecretUntil: new Date(NOW.getTime() + HOUR) });
    logger.info({ source: rotated }, 'source looked up');
    logger.info({ connector: toConnectorSource(rotated, NOW) }, 'connector source');
    logger.info(rotated, 'source at the top level');
    logger.info({ newSecret: 'fresh-secret-value', sourceId: 'demo-vk' }, 'rotated');
    const output = lines.join('');
    expect(lines).toHaveLength(4);
    expect(output).toContain('demo-vk');
    for (const value of ['current-secret', 'old-secret-value', 'vk-token', 'fresh-secret-value']) {
      expect(output).not.toContain(value);
    }
    expect(output).toContain('[redacted]');
  });
});
