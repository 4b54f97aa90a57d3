import type { EgressPolicy } from '@otklik/channels';
import { ConfigError, readUrl } from '@otklik/service-kit';
import { Keyring, keyringFromEnvironment, SecretKeysError } from '@otklik/secrets';
import { readFeedsAllowPrivate } from '../feeds/feed.settings';

/** Injection token of SourcesConfig. */
export const SOURCES_CONFIG = Symbol('SourcesConfig');

/** The sources' settings, read once at start (STYLE.md §6). */
export interface SourcesConfig {
  /** OTKLIK_SECRET_KEYS: the master keys that seal sources' secrets. */
  keyring: Keyring;
  /** No OTKLIK_SECRET_KEYS outside production: the public development key seals them (said once in the log). */
  developmentKeys: boolean;
  /** INTAKE_PUBLIC_URL: where platforms reach intake, for each source's webhookUrl; null gives paths alone. */
  publicUrl: string | null;
  /** INTAKE_FEEDS_ALLOW_PRIVATE: where a FEED source's url may point (checked as it is saved; the poller checks again). */
  feedAddresses: EgressPolicy;
}

/** A bad or missing setting is a ConfigError naming it: intake stops at start. */
export function loadSourcesConfig(env: NodeJS.ProcessEnv, production: boolean): SourcesConfig {
  let choice: ReturnType<typeof keyringFromEnvironment>;
  try {
    choice = keyringFromEnvironment(env, { production });
  } catch (error) {
    if (error instanceof SecretKeysError) throw new ConfigError(error.setting, error.problem);
    throw error;
  }
  const given = env.INTAKE_PUBLIC_URL?.trim();
  const publicUrl = given
    ? readUrl(env, 'INTAKE_PUBLIC_URL', 'https://intake.example.org', ['http:', 'https:']).trim().replace(/\/+$/, '')
    : null;
  return {
    keyring: choice.keyring,
    developmentKeys: choice.development,
    publicUrl,
    feedAddresses: { allowPrivate: readFeedsAllowPrivate(env) },
  };
}
