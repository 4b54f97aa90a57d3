import type { ApiResponse, Message, ReplyParameters, ResponseParameters } from '@grammyjs/types';
import { PLATFORM_LIMITS } from '../platform-limits';
import { countLength } from '../text-length';
import {
  exchange,
  failed,
  FetchedFile,
  fetchAttachment,
  FetchLike,
  parseJson,
  publisherOf,
  PublishStop,
  requireCredential,
  retry,
  unreadableTarget,
  UPLOAD_TIMEOUT_MS,
} from './http';
import type { OutboundAnswer, OutboundSource, PublishOutcome, Publisher } from './publisher';

/**
 * Telegram's Bot API (https://core.telegram.org/bots/api): `POST {TELEGRAM_API_URL}/bot<token>/<method>`,
 * JSON, or multipart/form-data when files are uploaded. Every answer is `{ok: true, result}` or
 * `{ok: false, error_code, description, parameters?}`.
 *
 * The answer is a bot message replying to the citizen's (`reply_parameters` with
 * `allow_sending_without_reply: false`: a deleted message is a failure, not a reply to nothing).
 * With one file it is the photo or video with the text as its caption when the text fits 1,024
 * characters; with several, an album (sendMediaGroup, the caption on the first). A longer text
 * goes as its own message after the files.
 *
 * The Bot API has no idempotency field: a call whose answer was lost may have posted. The guard is
 * notify's stored key; what remains is said in docs/channels.md ("Publishing").
 */
const PLATFORM = 'Telegram';

/** How long a later part of an answer waits for Telegram's flood control before giving up. */
const CONTINUATION_WAIT_LIMIT_MS = 30_000;

/** The citizen's message, as intake's Telegram connector names it: `[business:<id>:]<chat_id>_<message_id>`. */
export interface TelegramTarget {
  chatId: number;
  messageId: number;
  businessConnectionId?: string;
}

export function readTelegramTarget(externalId: string): TelegramTarget | undefined {
  const m = /^(?:business:([^:]+):)?(-?\d{1,20})_(\d{1,15})$/.exec(externalId);
  if (!m) return undefined;
  const chatId = Number(m[2]);
  if (!Number.isSafeInteger(chatId)) return undefined;
  return { chatId, messageId: Number(m[3]), ...(m[1] ? { businessConnectionId: m[1] } : {}) };
}

/** Telegram's refusals, matched on its description (the codes alone do not say enough). */
const REFUSALS: ReadonlyArray<{ code?: number; match: RegExp; reason: string }> = [
  {
    match: /message to (be )?repl(y|ied) not found|reply message not found/i,
    reason: 'Сообщение автора в Telegram удалено — ответить на него нельзя',
  },
  { match: /bot was blocked by the user/i, reason: 'Автор заблокировал бота в Telegram — ответ не доставить' },
  { match: /bot was kicked|bot is not a member/i, reason: 'Бота удалили из этого чата Telegram' },
  { match: /user is deactivated/i, reason: 'Аккаунт автора в Telegram удалён' },
  {
    match: /not enough rights|have no rights|CHAT_WRITE_FORBIDDEN|CHAT_RESTRICTED/i,
    reason: 'У бота нет прав писать в этот чат Telegram — выдайте ему права или опубликуйте ответ вручную',
  },
  { match: /chat not found/i, reason: 'Чат Telegram не найден — бот удалён из него или чат удалён' },
  {
    match: /upgraded to a supergroup/i,
    reason: 'Группа Telegram стала супергруппой, и сообщение автора осталось в старой — опубликуйте ответ вручную',
  },
  { match: /too long/i, reason: 'Текст длиннее, чем принимает Telegram, — сократите ответ' },
  {
    match:
      /wrong file|failed to get HTTP URL|IMAGE_PROCESS_FAILED|PHOTO_|VIDEO_|file is too big|wrong type of the web page content/i,
    reason: 'Telegram не принял вложение — проверьте формат и размер файла',
  },
  { match: /can't initiate conversation/i, reason: 'Автор не начинал диалог с ботом — бот не может ему написать' },
];

/** A Telegram error as an outcome. */
export function classifyTelegramError(
  method: string,
  code: number,
  description: string,
  parameters?: ResponseParameters,
): PublishOutcome {
  const platformError = `${method}: ${code} ${description}`;
  if (code === 429) {
    const seconds = parameters?.retry_after;
    return retry(
      `Telegram ограничил частоту сообщений${seconds !== undefined ? ` на ${seconds} с` : ''} — повторим позже`,
      seconds !== undefined ? seconds * 1000 : undefined,
    );
  }
  if (code >= 500) return retry(`Telegram временно недоступен (${code}) — повторим позже`);
  if (code === 401) {
    return failed('Токен бота Telegram отозван или неверен — обновите его в настройках источника', platformError);
  }
  const known = REFUSALS.find((r) => r.match.test(description));
  if (known) return failed(known.reason, platformError);
  return failed(`Telegram отказал: ${description}`, platformError);
}

export function createTelegramPublisher(apiUrl: string, fetchImpl: FetchLike = fetch): Publisher {
  return publisherOf('TELEGRAM', ['TELEGRAM_BOT'], (answer, source) =>
    publishTelegram(apiUrl, fetchImpl, answer, source),
  );
}

async function publishTelegram(
  apiUrl: string,
  fetchImpl: FetchLike,
  answer: OutboundAnswer,
  source: OutboundSource,
): Promise<PublishOutcome> {
  const target = readTelegramTarget(answer.target.externalId);
  if (!target) throw unreadableTarget(PLATFORM, answer.target.externalId, '<chat_id>_<message_id>');
  const api = new TelegramApi(apiUrl, requireCredential(source.credentials, ['botToken'], PLATFORM), fetchImpl);
  const files = await Promise.all(answer.attachments.map((a, i) => fetchAttachment(fetchImpl, a, i)));
  const media = files.map((file, i) => ({ file, type: answer.attachments[i].type }));

  const base: SendBase = {
    chat_id: target.chatId,
    ...(target.businessConnectionId ? { business_connection_id: target.businessConnectionId } : {}),
    reply_parameters: { message_id: target.messageId, allow_sending_without_reply: false },
  };
  const limits = PLATFORM_LIMITS.TELEGRAM;
  const text = answer.text;
  const captionFits = countLength(text, limits.counting.value) <= (limits.captionLimit?.value ?? 1024);

  // The steps of the answer, in order; what the citizen sees first is sent first.
  const steps: Array<() => Promise<Message>> = [];
  const albums = chunks(media, limits.maxAttachments.value ?? 10);
  albums.forEach((album, i) => {
    const caption = i === 0 && captionFits && text !== '' ? text : undefined;
    steps.push(() => api.sendMedia(base, album, caption));
  });
  if (media.length === 0 || (!captionFits && text !== '')) {
    steps.push(() => api.send('sendMessage', { ...base, text }));
  }

  // The message that carries the text is the answer: the text's own, else the first album's.
  const answerStep = media.length > 0 && steps.length > albums.length ? steps.length - 1 : 0;
  let sent: Message | undefined;
  for (const [i, step] of steps.entries()) {
    const message = i === 0 ? await step() : await continuation(step, i);
    if (i === answerStep) sent = message;
  }
  if (sent === undefined) throw malformed('sendMessage');
  const chat = sent.chat as { username?: string; type: string };
  const publicChat = (chat.type === 'supergroup' || chat.type === 'channel') && chat.username;
  const prefix = target.businessConnectionId ? `business:${target.businessConnectionId}:` : '';
  return {
    outcome: 'PUBLISHED',
    externalId: `${prefix}${sent.chat.id}_${sent.message_id}`,
    ...(publicChat ? { url: `https://t.me/${chat.username}/${sent.message_id}` } : {}),
  };
}

/**
 * A later part of an answer whose first part is already out. Retrying the whole answer would show
 * the citizen the first part twice, so it is not left to notify: Telegram's flood control is
 * waited out here once, and any other failure is FAILED with what went out and what did not.
 */
async function continuation(step: () => Promise<Message>, index: number): Promise<Message> {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof PublishStop) || error.outcome.outcome === 'PUBLISHED') throw error;
    const wait = error.outcome.outcome === 'RETRY' ? error.outcome.retryAfterMs : undefined;
    if (wait !== undefined && wait <= CONTINUATION_WAIT_LIMIT_MS) {
      await new Promise((resolve) => setTimeout(resolve, wait));
      try {
        return await step();
      } catch (again) {
        throw partial(again, index);
      }
    }
    throw partial(error, index);
  }
}

function partial(error: unknown, index: number): unknown {
  if (!(error instanceof PublishStop) || error.outcome.outcome === 'PUBLISHED') return error;
  const cause = error.outcome;
  return new PublishStop(
    failed(
      `В Telegram ушла только часть ответа (отправлено сообщений: ${index}), остальное — нет: ${cause.reason}. Допубликуйте остальное вручную`,
      cause.outcome === 'FAILED' ? cause.platformError : `after ${index} message(s): ${cause.reason}`,
    ),
  );
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

/** What every message of the answer carries: where it goes and what it replies to. */
interface SendBase {
  chat_id: number;
  business_connection_id?: string;
  reply_parameters: ReplyParameters;
}

interface Media {
  file: FetchedFile;
  type: 'PHOTO' | 'VIDEO';
}

class TelegramApi {
  constructor(
    private readonly apiUrl: string,
    private readonly token: string,
    private readonly fetchImpl: FetchLike,
  ) {}

  /** A method without files, as JSON. */
  send(method: string, params: SendBase & Record<string, unknown>): Promise<Message> {
    return this.call<Message>(method, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
    });
  }

  /** One photo or video (sendPhoto / sendVideo), or an album of 2–10 (sendMediaGroup), uploaded. */
  async sendMedia(base: SendBase, album: Media[], caption: string | undefined): Promise<Message> {
    const form = new FormData();
    form.append('chat_id', String(base.chat_id));
    if (base.business_connection_id) form.append('business_connection_id', base.business_connection_id);
    form.append('reply_parameters', JSON.stringify(base.reply_parameters));
    if (album.length === 1) {
      const [{ file, type }] = album;
      const field = type === 'PHOTO' ? 'photo' : 'video';
      form.append(field, file.blob, file.fileName);
      if (caption !== undefined) form.append('caption', caption);
      return this.call<Message>(type === 'PHOTO' ? 'sendPhoto' : 'sendVideo', { method: 'POST', body: form }, true);
    }
    const media = album.map(({ file, type }, i) => {
      form.append(`file${i}`, file.blob, file.fileName);
      return {
        type: type === 'PHOTO' ? 'photo' : 'video',
        media: `attach://file${i}`,
        ...(i === 0 && caption !== undefined ? { caption } : {}),
      };
    });
    form.append('media', JSON.stringify(media));
    const sent = await this.call<Message[]>('sendMediaGroup', { method: 'POST', body: form }, true);
    if (!Array.isArray(sent) || sent.length === 0) throw malformed('sendMediaGroup');
    return sent[0];
  }

  private async call<T>(method: string, init: RequestInit, upload = false): Promise<T> {
    const answer = await exchange(
      this.fetchImpl,
      `${this.apiUrl.replace(/\/+$/, '')}/bot${this.token}/${method}`,
      init,
      PLATFORM,
      upload ? UPLOAD_TIMEOUT_MS : undefined,
    );
    const json = parseJson(answer.text) as ApiResponse<T> | undefined;
    if (typeof json !== 'object' || json === null || typeof json.ok !== 'boolean') {
      if (answer.status >= 500) throw new PublishStop(retry(`Telegram временно недоступен (HTTP ${answer.status})`));
      throw malformed(method);
    }
    if (!json.ok) {
      throw new PublishStop(
        classifyTelegramError(method, json.error_code ?? answer.status, json.description ?? '', json.parameters),
      );
    }
    const result = json.result as unknown;
    if (typeof result !== 'object' || result === null) throw malformed(method);
    if (!Array.isArray(result) && !isMessage(result)) throw malformed(method);
    return result as T;
  }
}

function isMessage(value: object): value is Message {
  const message = value as Partial<Message>;
  return Number.isSafeInteger(message.message_id) && typeof message.chat?.id === 'number';
}

function malformed(method: string): PublishStop {
  return new PublishStop(retry(`Telegram ответил на ${method} непонятно — повторим позже`));
}
