import { ConfigError } from '@otklik/service-kit';
import { loadWebhookRateLimitSettings, webhookSourceId } from './webhook.rate-limit';

describe('webhook rate limits: settings and what a path counts against', () => {
  it('defaults: 1200 per source and 300 per address for unknown sources, a minute each', () => {
    expect(loadWebhookRateLimitSettings({})).toEqual({
      perSource: { points: 1200, durationSeconds: 60 },
      unknownSourcePerAddress: { points: 300, durationSeconds: 60 },
    });
  });

  it('reads both settings, "off" included', () => {
    expect(
      loadWebhookRateLimitSettings({
        INTAKE_WEBHOOK_RATE_LIMIT: '50/10s',
        INTAKE_WEBHOOK_UNKNOWN_SOURCE_RATE_LIMIT: 'off',
      }),
    ).toEqual({ perSource: { points: 50, durationSeconds: 10 }, unknownSourcePerAddress: null });
  });

  it.each(['INTAKE_WEBHOOK_RATE_LIMIT', 'INTAKE_WEBHOOK_UNKNOWN_SOURCE_RATE_LIMIT'])(
    'a bad %s stops intake with a ConfigError naming it',
    (name) => {
      let caught: unknown;
      try {
        loadWebhookRateLimitSettings({ [name]: 'fast' });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ConfigError);
      expect((caught as ConfigError).setting).toBe(name);
      expect((caught as ConfigError).message).toBe(
        `${name}: must be <requests>/<duration> such as 600/60s, 100/1m or 5000/1h, or off (got "fast")`,
      );
    },
  );

  it.each([
    ['/webhooks/generic/demo-webhook', 'demo-webhook'],
    ['/webhooks/vk/demo-vk?x=1', 'demo-vk'],
    ['/webhooks/telegram/demo-telegram/', 'demo-telegram'],
    ['/webhooks/generic/%D0%B8%D1%81%D1%82%D0%BE%D1%87%D0%BD%D0%B8%D0%BA', 'источник'],
    ['/webhooks/generic/%E0%A4%A', '%E0%A4%A'],
  ])('%s counts against source "%s"', (url, sourceId) => {
    expect(webhookSourceId(url)).toBe(sourceId);
  });

  it.each(['/webhooks/generic', '/webhooks/a/b/c', '/graphql', '/health'])('%s names no source', (url) => {
    expect(webhookSourceId(url)).toBeUndefined();
  });
});
