import { DEFAULT_PLATFORM_API_URLS } from '@otklik/channels';
import { ConfigError, readBoolean, readUrl } from '@otklik/service-kit';

/** Injection token of DeliveryConfig. */
export const DELIVERY_CONFIG = Symbol('DeliveryConfig');

/** Outgoing mail: SMTP_URL (CONTRACT.md) and the sender's address. */
export interface EmailSettings {
  /** smtp://[user:password@]host[:port] or smtps://… (TLS from the first byte). */
  url: string;
  from: string;
}

/** The staff bot: its token and name, the secret its webhook carries, where its API is. */
export interface StaffBotSettings {
  token: string;
  /** The bot's @username without the @: the link code's deep link is https://t.me/<username>?start=<code>. */
  username: string;
  webhookSecret: string;
  apiUrl: string;
}

/** What telling staff beyond the feed needs from the environment, read once at start (STYLE.md §6). */
export interface DeliveryConfig {
  /** The web client's address: a case's link is `<appUrl>/cases/<id>`. */
  appUrl: string;
  /** Absent: e-mail is off (said once in the log). */
  email?: EmailSettings;
  /** Absent: the staff Telegram bot is off. */
  telegram?: StaffBotSettings;
  /** Hold what is not urgent outside working hours for the morning digest (on unless told otherwise). */
  deferOutsideWorkingHours: boolean;
}

/** The web client in development. */
const DEVELOPMENT_APP_URL = 'http://localhost:3000';
const DEFAULT_FROM = 'Отклик <no-reply@otklik.local>';
/** `Name <address>` or a bare address. */
const MAILBOX = /^(?:[^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/;
/** BotFather's token: the bot's id, a colon, the secret. */
const BOT_TOKEN = /^\d{1,20}:[A-Za-z0-9_-]{20,}$/;
/** Telegram's rule for usernames: 5–32 letters, digits and underscores, starting with a letter. */
const BOT_USERNAME = /^[A-Za-z][A-Za-z0-9_]{4,31}$/;
/** Telegram's rule for setWebhook's secret_token. */
const WEBHOOK_SECRET = /^[A-Za-z0-9_-]{1,256}$/;

const setting = (env: NodeJS.ProcessEnv, name: string): string | undefined => {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
};

/** SMTP_URL: unset, e-mail is off; set, it must be an smtp:// or smtps:// URL with a host. */
export function readEmailSettings(env: NodeJS.ProcessEnv): EmailSettings | undefined {
  const url = setting(env, 'SMTP_URL');
  if (url === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not the value itself: it may carry a password.
    throw new ConfigError('SMTP_URL', 'must be a URL such as smtp://127.0.0.1:25; the value given does not parse');
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') {
    throw new ConfigError('SMTP_URL', `must start with smtp:// or smtps://, not ${parsed.protocol}//`);
  }
  if (parsed.hostname === '') throw new ConfigError('SMTP_URL', 'names no host');
  const from = setting(env, 'NOTIFY_EMAIL_FROM') ?? DEFAULT_FROM;
  if (!MAILBOX.test(from)) {
    throw new ConfigError('NOTIFY_EMAIL_FROM', `must be an address or "Name <address>", got "${from}"`);
  }
  return { url, from };
}

/**
 * NOTIFY_TELEGRAM_BOT_TOKEN: unset, the staff bot is off; set, NOTIFY_TELEGRAM_BOT_USERNAME and
 * NOTIFY_TELEGRAM_WEBHOOK_SECRET are required with it. TELEGRAM_API_URL (CONTRACT.md) is shared
 * with publishing.
 */
export function readStaffBotSettings(env: NodeJS.ProcessEnv): StaffBotSettings | undefined {
  const token = setting(env, 'NOTIFY_TELEGRAM_BOT_TOKEN');
  const username = setting(env, 'NOTIFY_TELEGRAM_BOT_USERNAME')?.replace(/^@/, '');
  const webhookSecret = setting(env, 'NOTIFY_TELEGRAM_WEBHOOK_SECRET');
  if (token === undefined) {
    const stray =
      username !== undefined
        ? 'NOTIFY_TELEGRAM_BOT_USERNAME'
        : webhookSecret !== undefined
          ? 'NOTIFY_TELEGRAM_WEBHOOK_SECRET'
          : undefined;
    if (stray)
      throw new ConfigError(
        'NOTIFY_TELEGRAM_BOT_TOKEN',
        `is required with ${stray} (the staff bot's token from BotFather)`,
      );
    return undefined;
  }
  // Not the value: it is a secret.
  if (!BOT_TOKEN.test(token))
    throw new ConfigError('NOTIFY_TELEGRAM_BOT_TOKEN', 'must be a bot token as BotFather gives it (<bot id>:<secret>)');
  if (username === undefined) {
    throw new ConfigError(
      'NOTIFY_TELEGRAM_BOT_USERNAME',
      'is required with NOTIFY_TELEGRAM_BOT_TOKEN: the bot’s @username, for the link codes’ deep links',
    );
  }
  if (!BOT_USERNAME.test(username)) {
    throw new ConfigError(
      'NOTIFY_TELEGRAM_BOT_USERNAME',
      `must be a Telegram username (5–32 letters, digits, _), got "${username}"`,
    );
  }
  if (webhookSecret === undefined) {
    throw new ConfigError(
      'NOTIFY_TELEGRAM_WEBHOOK_SECRET',
      'is required with NOTIFY_TELEGRAM_BOT_TOKEN: the secret_token given to setWebhook',
    );
  }
  if (!WEBHOOK_SECRET.test(webhookSecret)) {
    throw new ConfigError(
      'NOTIFY_TELEGRAM_WEBHOOK_SECRET',
      'must be 1–256 letters, digits, _ or - (Telegram’s rule for secret_token)',
    );
  }
  const apiUrl = readUrl(env, 'TELEGRAM_API_URL', DEFAULT_PLATFORM_API_URLS.telegram, ['http:', 'https:'])
    .trim()
    .replace(/\/+$/, '');
  return { token, username, webhookSecret, apiUrl };
}

/** A bad setting is a ConfigError naming it: notify stops at start. */
export function loadDeliveryConfig(env: NodeJS.ProcessEnv, production: boolean): DeliveryConfig {
  const email = readEmailSettings(env);
  const telegram = readStaffBotSettings(env);
  if (production && (email || telegram) && setting(env, 'OTKLIK_APP_URL') === undefined) {
    throw new ConfigError(
      'OTKLIK_APP_URL',
      'is required in production with e-mail or Telegram on: the web client’s address, for the cases’ links',
    );
  }
  return {
    appUrl: readUrl(env, 'OTKLIK_APP_URL', DEVELOPMENT_APP_URL, ['http:', 'https:']).trim().replace(/\/+$/, ''),
    ...(email ? { email } : {}),
    ...(telegram ? { telegram } : {}),
    deferOutsideWorkingHours: readBoolean(env, 'NOTIFY_DEFER_OUTSIDE_WORKING_HOURS', true),
  };
}
