import type { Platform } from '@otklik/contracts';
import type { PublicationAttachment, PublicationTarget } from './publication.entity';

/**
 * How notify retries, paces and gives up (docs/publishing.md). Pure: the worker and the service
 * apply these; the unit tests pin them.
 */
export const RETRY_POLICY = {
  /** The first retry waits up to this long; each further one up to twice as long… */
  baseDelayMs: 2_000,
  /** …but never more than this (a platform's own retry_after may ask for more, and gets it). */
  maxDelayMs: 10 * 60_000,
  /** Calls of one answer before it is FAILED. */
  maxAttempts: 12,
  /**
   * An answer not out this long after approval is FAILED: its attachments' links (valid 24 hours)
   * must still work on the last attempt, and an answer a day late needs the official's eye anyway.
   */
  maxAgeMs: 6 * 3_600_000,
} as const;

/**
 * How long a replica holds a claimed answer without a sign of life. It renews the lease while the
 * call runs (LEASE_RENEW_MS), so only a replica that stopped loses it: then another one retries
 * within this time, with the same idempotency key.
 */
export const LEASE_MS = 2 * 60_000;
export const LEASE_RENEW_MS = 30_000;

/**
 * The delay before attempt `attempts + 1`: "full jitter" (a uniform draw up to the exponential
 * cap), so replicas that failed together do not retry together; never less than the platform
 * asked for (Telegram's retry_after, HTTP Retry-After).
 */
export function retryDelayMs(attempts: number, retryAfterMs: number | undefined, random: () => number): number {
  const cap = Math.min(RETRY_POLICY.maxDelayMs, RETRY_POLICY.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.max(Math.floor(random() * cap), retryAfterMs ?? 0);
}

/** "попытку", "попытки", "попыток": the accusative after «за N». */
export function attemptsInWords(n: number): string {
  const last = n % 10;
  const lastTwo = n % 100;
  const word =
    last === 1 && lastTwo !== 11
      ? 'попытку'
      : last >= 2 && last <= 4 && (lastTwo < 12 || lastTwo > 14)
        ? 'попытки'
        : 'попыток';
  return `${n} ${word}`;
}

export type RetryDecision = { retryAt: Date } | { failed: string };

/**
 * After a RETRY outcome: when to try again, or that it is over (too many attempts, or the next one
 * would come later than the answer may wait) with the reason the official reads.
 */
export function afterRetry(
  publication: { attempts: number; requestedAt: Date },
  outcome: { reason: string; retryAfterMs?: number },
  now: Date,
  random: () => number = Math.random,
): RetryDecision {
  const gaveUp = () => ({
    failed: `Не удалось опубликовать за ${attemptsInWords(publication.attempts)}: ${outcome.reason}`,
  });
  if (publication.attempts >= RETRY_POLICY.maxAttempts) return gaveUp();
  const retryAt = new Date(now.getTime() + retryDelayMs(publication.attempts, outcome.retryAfterMs, random));
  if (retryAt.getTime() > publication.requestedAt.getTime() + RETRY_POLICY.maxAgeMs) return gaveUp();
  return { retryAt };
}

/**
 * The published limits each call is paced within, per source (one token) and, where the platform
 * has one, per chat:
 * - VK: 20 requests a second with a community key (dev.vk.com/ru/api/api-requests, «Ограничения»;
 *   vk-io's `apiLimit: 20` for group tokens).
 * - Telegram: about 30 messages a second per bot, and no more than one a second in one chat
 *   (core.telegram.org/bots/faq, "My bot is hitting limits").
 * - MAX: 30 requests a second on platform-api.max.ru, two messages a second in one chat (dev.max.ru).
 * - OK: no published figure we found; 5 a second, to be safe.
 */
const SOURCE_INTERVAL_MS: Partial<Record<Platform, number>> = {
  VK: 50,
  TELEGRAM: 34,
  MAX: 34,
  OK: 200,
};
/** The per-chat limits: Telegram one message a second, MAX two. */
const CHAT_INTERVAL_MS: Partial<Record<Platform, number>> = { TELEGRAM: 1_000, MAX: 500 };

export interface PaceKey {
  key: string;
  intervalMs: number;
}

/**
 * The slots one answer takes. A VK answer with photos makes three calls per file (upload server,
 * upload, save) besides the comment; elsewhere a file is one more message or call.
 */
export function paceOf(
  platform: Platform,
  sourceId: string,
  target: PublicationTarget,
  attachments: readonly PublicationAttachment[],
): PaceKey[] {
  const interval = SOURCE_INTERVAL_MS[platform];
  if (interval === undefined) return [];
  const calls = 1 + attachments.length * (platform === 'VK' ? 3 : 1);
  const keys: PaceKey[] = [{ key: `source:${sourceId}`, intervalMs: interval * calls }];
  const chatInterval = CHAT_INTERVAL_MS[platform];
  const chat = chatOf(platform, target);
  if (chatInterval !== undefined && chat)
    keys.push({ key: `chat:${sourceId}:${chat}`, intervalMs: chatInterval * calls });
  return keys;
}

/** The chat a message is in, as intake's connectors name it. */
function chatOf(platform: Platform, target: PublicationTarget): string | undefined {
  // Telegram: `[business:<id>:]<chat id>_<message id>` (libs/channels/src/inbound/telegram.ts).
  if (platform === 'TELEGRAM') return /^(?:business:[^:]+:)?(-?\d+)_\d+$/.exec(target.externalId)?.[1];
  // MAX: the chat is the thread (libs/channels/src/inbound/max.ts).
  if (platform === 'MAX') return target.threadId;
  return undefined;
}

/** The platforms' names as an official reads them. */
export const PLATFORM_NAMES: Readonly<Record<Platform, string>> = {
  VK: 'ВКонтакте',
  OK: 'Одноклассники',
  TELEGRAM: 'Telegram',
  MAX: 'MAX',
  FACEBOOK: 'Facebook',
  TWITTER: 'X (Twitter)',
  INSTAGRAM: 'Instagram',
  WEBSITE: 'сайт',
  EMAIL: 'электронная почта',
  OTHER: 'другая площадка',
};

const RESTRICTED: readonly Platform[] = ['FACEBOOK', 'TWITTER', 'INSTAGRAM'];
const BY_HAND = 'опубликуйте ответ вручную и укажите ссылку на него';

/** What notify knows of the source an answer goes through. */
export interface SourceFacts {
  name: string;
  kind: string;
  enabled: boolean;
  hasCredentials: boolean;
}

/**
 * Why an answer cannot be published through the platform's API, in an official's words; undefined
 * when it can. `servedKinds` are the source kinds the platform's publisher works with (none: the
 * platform has no publisher).
 */
export function manualReason(
  platform: Platform,
  sourceId: string,
  source: SourceFacts | null,
  servedKinds: readonly string[],
): string | undefined {
  const name = PLATFORM_NAMES[platform];
  if (servedKinds.length === 0) {
    return RESTRICTED.includes(platform)
      ? `${name} ограничен в России: Отклик не публикует туда ответы — ${BY_HAND}`
      : `У площадки «${name}» нет API для ответов — ${BY_HAND}`;
  }
  if (!source) return `Отклик не знает источник «${sourceId}», через который пришло сообщение, — ${BY_HAND}`;
  if (!servedKinds.includes(source.kind)) {
    return `Сообщение пришло не через API ${name} (источник «${source.name}»), ответить через API нельзя — ${BY_HAND}`;
  }
  if (!source.enabled) return `Источник «${source.name}» отключён — ${BY_HAND} или включите источник и повторите`;
  if (!source.hasCredentials) {
    return `В источнике «${source.name}» не задан ключ доступа — ${BY_HAND} или добавьте ключ и повторите публикацию`;
  }
  return undefined;
}
