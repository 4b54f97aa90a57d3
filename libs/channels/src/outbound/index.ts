import type { Platform } from '@otklik/contracts';
import type { FetchLike } from './http';
import { createMaxPublisher } from './max';
import { createOkPublisher } from './ok';
import { DEFAULT_PLATFORM_API_URLS, PlatformApiUrls, Publisher } from './publisher';
import { createTelegramPublisher } from './telegram';
import { createVkPublisher } from './vk';

export * from './publisher';
export type { FetchLike } from './http';
export { REQUEST_TIMEOUT_MS, UPLOAD_TIMEOUT_MS } from './http';
export type { VkTarget } from './vk';
export { createVkPublisher, classifyVkError, readVkTarget, vkRandomId, VK_API_VERSION } from './vk';
export type { TelegramTarget } from './telegram';
export { createTelegramPublisher, classifyTelegramError, readTelegramTarget } from './telegram';
export type { MaxTarget } from './max';
export { createMaxPublisher, classifyMaxError, readMaxTarget } from './max';
export type { OkTarget } from './ok';
export { createOkPublisher, classifyOkError, readOkTarget } from './ok';

/** The platforms Otklik publishes to through their APIs; every other answer is published by hand. */
export type PublisherRegistry = ReadonlyMap<Platform, Publisher>;

/**
 * One publisher per platform with an API for answering, each calling the URL configured for it
 * (CONTRACT.md's *_API_URL settings). `fetchImpl` is the global fetch unless given.
 */
export function publishers(
  urls: PlatformApiUrls = DEFAULT_PLATFORM_API_URLS,
  fetchImpl: FetchLike = fetch,
): PublisherRegistry {
  const all = [
    createVkPublisher(urls.vk, fetchImpl),
    createTelegramPublisher(urls.telegram, fetchImpl),
    createMaxPublisher(urls.max, fetchImpl),
    createOkPublisher(urls.ok, fetchImpl),
  ];
  return new Map(all.map((publisher) => [publisher.platform, publisher]));
}
