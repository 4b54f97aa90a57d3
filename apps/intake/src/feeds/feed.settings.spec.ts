import { ConfigError } from '@otklik/service-kit';
import { FEED_POLLER_DEFAULTS, loadFeedPollerSettings, readFeedSourceSettings } from './feed.settings';

describe('feed poller settings (INTAKE_FEED_*)', () => {
  it('on by default, every 15 s, 30 s to answer', () => {
    expect(loadFeedPollerSettings({})).toEqual(FEED_POLLER_DEFAULTS);
  });

  it('INTAKE_FEED_POLL=off switches the loop off; the interval and timeout are read in seconds', () => {
    expect(
      loadFeedPollerSettings({
        INTAKE_FEED_POLL: 'off',
        INTAKE_FEED_POLL_EVERY_SECONDS: '5',
        INTAKE_FEED_TIMEOUT_SECONDS: '10',
      }),
    ).toMatchObject({ enabled: false, everyMs: 5000, timeoutMs: 10_000 });
  });

  it('feeds stay on the public internet unless INTAKE_FEEDS_ALLOW_PRIVATE=true (SSRF)', () => {
    expect(loadFeedPollerSettings({}).allowPrivateAddresses).toBe(false);
    expect(loadFeedPollerSettings({ INTAKE_FEEDS_ALLOW_PRIVATE: 'false' }).allowPrivateAddresses).toBe(false);
    expect(loadFeedPollerSettings({ INTAKE_FEEDS_ALLOW_PRIVATE: 'TRUE' }).allowPrivateAddresses).toBe(true);
    expect(() => loadFeedPollerSettings({ INTAKE_FEEDS_ALLOW_PRIVATE: 'yes please' })).toThrow(
      /^INTAKE_FEEDS_ALLOW_PRIVATE: must be true or false/,
    );
  });

  it('a bad value stops the app with the setting’s name', () => {
    expect(() => loadFeedPollerSettings({ INTAKE_FEED_POLL: 'sometimes' })).toThrow(ConfigError);
    expect(() => loadFeedPollerSettings({ INTAKE_FEED_POLL: 'sometimes' })).toThrow(
      /^INTAKE_FEED_POLL: must be on or off/,
    );
    expect(() => loadFeedPollerSettings({ INTAKE_FEED_POLL_EVERY_SECONDS: '0' })).toThrow(
      /^INTAKE_FEED_POLL_EVERY_SECONDS: must be a whole number of seconds from 1 to 3600/,
    );
  });
});

describe('a FEED source’s settings { url, intervalSeconds }', () => {
  it('intervalSeconds defaults to 600 and is kept within 60 s and a day', () => {
    expect(readFeedSourceSettings({ url: 'https://x.example/rss' })).toEqual({
      ok: true,
      settings: { url: 'https://x.example/rss', intervalSeconds: 600 },
    });
    expect(readFeedSourceSettings({ url: 'https://x.example/rss', intervalSeconds: 5 })).toMatchObject({
      settings: { intervalSeconds: 60 },
    });
    expect(readFeedSourceSettings({ url: 'https://x.example/rss', intervalSeconds: 1e9 })).toMatchObject({
      settings: { intervalSeconds: 86_400 },
    });
  });

  it.each([
    [{}, 'settings.url is required'],
    [{ url: 'not a url' }, 'settings.url is not an address: "not a url"'],
    [{ url: 'ftp://x.example/rss' }, 'settings.url must be an http(s) address'],
    [
      { url: 'https://x.example/rss', intervalSeconds: 'often' },
      'settings.intervalSeconds must be a number of seconds',
    ],
  ])('%j: %s', (settings, problem) => {
    expect(readFeedSourceSettings(settings)).toEqual({ ok: false, problem });
  });
});
