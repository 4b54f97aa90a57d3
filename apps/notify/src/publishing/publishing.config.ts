import { DEFAULT_PLATFORM_API_URLS, PlatformApiUrls } from '@otklik/channels';
import { Keyring, keyringFromEnvironment, SecretKeysError } from '@otklik/secrets';
import { ConfigError, readUrl } from '@otklik/service-kit';

/** Injection token of PublishingConfig. */
export const PUBLISHING_CONFIG = Symbol('PublishingConfig');

/** What publishing needs from the environment, read once at start (STYLE.md §6). */
export interface PublishingConfig {
  /** VK_API_URL, TELEGRAM_API_URL, MAX_API_URL, OK_API_URL (CONTRACT.md): where each platform's API is. */
  apiUrls: PlatformApiUrls;
  /** OTKLIK_SECRET_KEYS, shared with intake: opens the source credentials of source.changed. */
  keyring: Keyring;
  /** No OTKLIK_SECRET_KEYS outside production: the public development key (said once in the log). */
  developmentKeys: boolean;
}

const API_URL_SETTINGS: ReadonlyArray<[keyof PlatformApiUrls, string]> = [
  ['vk', 'VK_API_URL'],
  ['telegram', 'TELEGRAM_API_URL'],
  ['max', 'MAX_API_URL'],
  ['ok', 'OK_API_URL'],
];

/** A bad setting is a ConfigError naming it: notify stops at start. */
export function loadPublishingConfig(env: NodeJS.ProcessEnv, production: boolean): PublishingConfig {
  const apiUrls = { ...DEFAULT_PLATFORM_API_URLS };
  for (const [platform, name] of API_URL_SETTINGS) {
    // The publishers append paths (`/wall.createComment`, `/bot<token>/sendMessage`): no trailing slash.
    apiUrls[platform] = readUrl(env, name, DEFAULT_PLATFORM_API_URLS[platform], ['http:', 'https:'])
      .trim()
      .replace(/\/+$/, '');
  }
  let choice: ReturnType<typeof keyringFromEnvironment>;
  try {
    choice = keyringFromEnvironment(env, { production });
  } catch (error) {
    if (error instanceof SecretKeysError) throw new ConfigError(error.setting, error.problem);
    throw error;
  }
  return { apiUrls, keyring: choice.keyring, developmentKeys: choice.development };
}
