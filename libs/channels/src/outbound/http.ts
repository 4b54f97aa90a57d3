import type { Platform } from '@otklik/contracts';
import { EgressRefusedError, PUBLIC_ONLY } from '../egress/egress.policy';
import { guardedFetch } from '../egress/guarded-fetch';
import type { OutboundAnswer, OutboundSource, PublishOutcome, Publisher } from './publisher';

/**
 * What the publishers share: one HTTP call with a timeout that turns "no answer" into RETRY, the
 * attachment fetched from Otklik's storage, and a way for any step to end the attempt with an
 * outcome. A publisher makes one attempt; notify decides whether and when to make another.
 */

/** The global fetch's shape; tests and notify may pass their own. */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** A platform call gets this long to answer; an upload of a file, longer. */
export const REQUEST_TIMEOUT_MS = 30_000;
export const UPLOAD_TIMEOUT_MS = 120_000;

/** Ends the attempt with `outcome`, from however deep in a publisher's steps. */
export class PublishStop extends Error {
  constructor(readonly outcome: PublishOutcome) {
    super(outcome.outcome === 'PUBLISHED' ? 'published' : outcome.reason);
  }
}

export function retry(reason: string, retryAfterMs?: number): PublishOutcome {
  return { outcome: 'RETRY', reason, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}

export function failed(reason: string, platformError: string): PublishOutcome {
  return { outcome: 'FAILED', reason, platformError };
}

/** A publisher that runs `steps` for each answer; a PublishStop thrown by any step is the attempt's outcome. */
export function publisherOf(
  platform: Platform,
  sourceKinds: readonly string[],
  steps: (answer: OutboundAnswer, source: OutboundSource) => Promise<PublishOutcome>,
): Publisher {
  return {
    platform,
    sourceKinds,
    publish: async (answer, source) => {
      try {
        return await steps(answer, source);
      } catch (error) {
        if (error instanceof PublishStop) return error.outcome;
        throw error;
      }
    },
  };
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * One HTTP exchange, the body read whole. No answer in time, a refused connection or a body cut
 * short is RETRY: the platform may or may not have acted, and only its own idempotency (VK's guid
 * and random_id) or notify's stored key can tell a repeat from a first call.
 */
export async function exchange(
  fetchImpl: FetchLike,
  url: string,
  init: RequestInit,
  platform: string,
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<HttpAnswer> {
  try {
    const response = await fetchImpl(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    return { status: response.status, headers: response.headers, text: await response.text() };
  } catch (error) {
    throw new PublishStop(retry(`${platform} не ответил (${describeError(error)}) — повторим позже`));
  }
}

/** The body as JSON, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A server error is the platform's trouble, not ours: worth another attempt. */
export function serverTrouble(platform: string, status: number, retryAfter?: number): PublishStop {
  return new PublishStop(retry(`${platform} временно недоступен (HTTP ${status}) — повторим позже`, retryAfter));
}

/** `Retry-After` in seconds (the form platforms use) as milliseconds. */
export function retryAfterHeader(headers: Headers): number | undefined {
  const value = headers.get('retry-after');
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim()) * 1000;
}

export type OutboundAttachment = OutboundAnswer['attachments'][number];

/** A file of the answer, fetched from Otklik's attachment storage to be uploaded to the platform. */
export interface FetchedFile {
  blob: Blob;
  fileName: string;
  contentType: string;
}

const EXTENSIONS: Readonly<Record<string, string>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
  'video/webm': 'webm',
  'video/x-matroska': 'mkv',
};

/** A file an official linked to is their say-so: fetched from the public internet only (SSRF, docs/security.md B8). */
const fetchLinkedFile: FetchLike = guardedFetch({ policy: PUBLIC_ONLY });

/**
 * The attachment's bytes. Its link is issued by Otklik's storage for a limited time: a link that
 * no longer works (404, 403, 410) will not work on a retry either, so the answer must be sent
 * with its files again; a storage that does not answer now may answer later. A link an official
 * gave (not `fromStorage`) goes through the SSRF guard; one that leads inside is FAILED.
 */
export async function fetchAttachment(
  fetchImpl: FetchLike,
  attachment: OutboundAttachment,
  index: number,
  linked: FetchLike = fetchLinkedFile,
): Promise<FetchedFile> {
  const what = `Вложение №${index + 1}`;
  let response: Response;
  let bytes: ArrayBuffer;
  try {
    const get = attachment.fromStorage ? fetchImpl : linked;
    response = await get(attachment.url, { signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS) });
    bytes = await response.arrayBuffer();
  } catch (error) {
    if (error instanceof EgressRefusedError) {
      throw new PublishStop(
        failed(
          `${what}: ссылка ведёт во внутреннюю сеть (${error.message}) — Отклик берёт файлы по ссылкам только из интернета; загрузите файл к ответу`,
          `attachment ${index + 1} refused: ${error.message}`,
        ),
      );
    }
    throw new PublishStop(
      retry(`${what} не удалось получить из хранилища Отклика (${describeError(error)}) — повторим позже`),
    );
  }
  if (response.status >= 500) {
    throw new PublishStop(retry(`${what}: хранилище Отклика временно недоступно (HTTP ${response.status})`));
  }
  if (!response.ok) {
    throw new PublishStop(
      failed(
        `${what} больше не доступно в хранилище Отклика (HTTP ${response.status}) — приложите файл к ответу заново`,
        `GET attachment ${index + 1}: HTTP ${response.status}`,
      ),
    );
  }
  const contentType =
    attachment.contentType ??
    response.headers.get('content-type')?.split(';')[0].trim() ??
    (attachment.type === 'PHOTO' ? 'image/jpeg' : 'video/mp4');
  const extension = EXTENSIONS[contentType] ?? (attachment.type === 'PHOTO' ? 'jpg' : 'mp4');
  const fileName = `${attachment.type === 'PHOTO' ? 'photo' : 'video'}-${index + 1}.${extension}`;
  return { blob: new Blob([new Uint8Array(bytes)], { type: contentType }), fileName, contentType };
}

/** A credential the source must have, or FAILED naming it: without it nothing can be sent. */
export function requireCredential(
  credentials: Readonly<Record<string, string>>,
  names: readonly string[],
  platform: string,
): string {
  for (const name of names) {
    const value = credentials[name];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  throw new PublishStop(
    failed(
      `В источнике ${platform} не задан ключ доступа (${names.join(' или ')}) — добавьте его в настройках источника`,
      `missing credential ${names.join(' | ')}`,
    ),
  );
}

/** The target could not be read: a message id of a form the platform's connector never gives. */
export function unreadableTarget(platform: string, externalId: string, expected: string): PublishStop {
  return new PublishStop(
    failed(
      `Не удалось понять, на какое сообщение ${platform} отвечать (${externalId}) — опубликуйте ответ вручную`,
      `target ${JSON.stringify(externalId)} is not ${expected}`,
    ),
  );
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'время ожидания истекло';
    const cause = (error as Error & { cause?: unknown }).cause;
    const code = cause instanceof Error ? (cause as Error & { code?: unknown }).code : undefined;
    return typeof code === 'string' ? code : error.message;
  }
  return String(error);
}
