import { DEFAULT_PLATFORM_API_URLS } from '@otklik/channels';
import { ConfigError } from '@otklik/service-kit';
import { loadPublishingConfig } from './publishing.config';

describe('publishing settings (CONTRACT.md: VK_API_URL, TELEGRAM_API_URL, MAX_API_URL, OK_API_URL)', () => {
  it('default to the platforms’ own APIs and the development key outside production', () => {
    const config = loadPublishingConfig({}, false);
    expect(config.apiUrls).toEqual(DEFAULT_PLATFORM_API_URLS);
    expect(config.developmentKeys).toBe(true);
  });

  it('point elsewhere when set (a trailing slash dropped: the publishers append paths)', () => {
    const config = loadPublishingConfig(
      { VK_API_URL: 'http://127.0.0.1:5001/method/', TELEGRAM_API_URL: 'http://127.0.0.1:5002' },
      false,
    );
    expect(config.apiUrls.vk).toBe('http://127.0.0.1:5001/method');
    expect(config.apiUrls.telegram).toBe('http://127.0.0.1:5002');
    expect(config.apiUrls.max).toBe(DEFAULT_PLATFORM_API_URLS.max);
  });

  it.each([
    ['VK_API_URL', 'not a url', 'must be a URL'],
    ['TELEGRAM_API_URL', 'ftp://api.telegram.org', 'must start with http: or https:'],
    ['MAX_API_URL', '::', 'must be a URL'],
    ['OK_API_URL', 'file:///etc/passwd', 'must start with'],
  ])('refuse a bad %s, naming it', (name, value, problem) => {
    let caught: unknown;
    try {
      loadPublishingConfig({ [name]: value }, false);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).setting).toBe(name);
    expect((caught as ConfigError).message).toContain(problem);
  });

  it('need OTKLIK_SECRET_KEYS in production (the key intake seals the credentials with)', () => {
    expect(() => loadPublishingConfig({}, true)).toThrow(/OTKLIK_SECRET_KEYS: is required in production/);
  });
});
