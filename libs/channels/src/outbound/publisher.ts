import type { Platform } from '@otklik/contracts';

/**
 * A platform's outbound side (REQUIREMENTS cl. 1, "размещение ответов … их авторам"): how an
 * approved answer is put under the citizen's message. Framework-free; notify decides when to
 * call, how often to retry and what to tell the official — a publisher makes one attempt and
 * says what happened in terms notify can act on.
 */
export interface OutboundAnswer {
  /**
   * Stable for one approved draft across every retry and replica (notify stores it before the
   * first call). Publishers pass it to the platform's own idempotency field where there is one
   * (VK `guid` / `random_id`), so a retry after a lost reply cannot post twice.
   */
  idempotencyKey: string;
  /** The citizen's message as intake received it. */
  target: { externalId: string; threadId?: string; url?: string; authorId?: string };
  /** The text as it must appear (already normalised for the platform by libs/channels' preview). */
  text: string;
  /** `fromStorage`: Otklik's own attachment storage; otherwise a link fetched only from the public internet. */
  attachments: Array<{ type: 'PHOTO' | 'VIDEO'; url: string; contentType?: string; fromStorage?: boolean }>;
}

/** The source's settings and decrypted credentials (VK community token, Telegram bot token, …). */
export interface OutboundSource {
  id: string;
  platform: Platform;
  settings: Readonly<Record<string, unknown>>;
  credentials: Readonly<Record<string, string>>;
}

export type PublishOutcome =
  /** Standing under the citizen's message: its id on the platform and, where there is one, its address. */
  | { outcome: 'PUBLISHED'; externalId: string; url?: string }
  /**
   * Not now, maybe later: network errors, 5xx, rate limits. `retryAfterMs` when the platform
   * said how long to wait (Telegram's retry_after, HTTP Retry-After).
   */
  | { outcome: 'RETRY'; reason: string; retryAfterMs?: number }
  /**
   * Never, as things stand: no rights, the message deleted, the token revoked. `reason` in
   * Russian, in words an official understands; `platformError` as the platform said it.
   */
  | { outcome: 'FAILED'; reason: string; platformError: string };

export interface Publisher {
  readonly platform: Platform;
  /** Source kinds it can publish through (intake.sources.kind). */
  readonly sourceKinds: readonly string[];
  publish(answer: OutboundAnswer, source: OutboundSource): Promise<PublishOutcome>;
}

/** Where each platform's API lives: CONTRACT.md's *_API_URL settings, defaults to the real ones. */
export interface PlatformApiUrls {
  vk: string;
  telegram: string;
  max: string;
  ok: string;
}

export const DEFAULT_PLATFORM_API_URLS: PlatformApiUrls = {
  vk: 'https://api.vk.com/method',
  telegram: 'https://api.telegram.org',
  max: 'https://platform-api.max.ru',
  ok: 'https://api.ok.ru',
};
