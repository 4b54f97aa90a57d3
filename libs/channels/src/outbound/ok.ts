import { JsonObject, objectAt, stringAt } from '../inbound/json-fields';
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
  serverTrouble,
  unreadableTarget,
  UPLOAD_TIMEOUT_MS,
} from './http';
import type { OutboundAnswer, OutboundSource, PublishOutcome, Publisher } from './publisher';

/**
 * Odnoklassniki's bot API for groups (https://apiok.ru/dev/graph_api/bot_api):
 * `POST {OK_API_URL}/graph/me/messages/<chat_id>?access_token=…` with
 * `{recipient: {chat_id}, message: {text, reply_to, attachment(s)}}` as JSON (graph.user.messages).
 * Errors: the code in the `invocation-error` header and `{error_code, error_msg}` in the body
 * (https://apiok.ru/dev/errors).
 *
 * Files: `GET /graph/me/fileUploadUrl?type=IMAGE|VIDEO` gives an upload URL (and a video's token);
 * the file is POSTed there as the body with its own Content-Type; an image's upload answers its
 * token. At most 5 attachments per message.
 *
 * Assumed where apiok.ru says nothing: `message.reply_to` takes the mid of the message answered
 * (it is in OK's message object and in bots written for this API, not on the method's page); the
 * answer to a sent message carries `message_id`; an image upload answers
 * `{photos: {<id>: {token}}}` as OK's photo upload does. No idempotency field exists.
 */
const PLATFORM = 'Одноклассники';
const MAX_ATTACHMENTS = 5;

/** The citizen's message: its mid, and its chat (`chat:…`, intake's OK connector keeps it as the thread). */
export interface OkTarget {
  chatId: string;
  mid: string;
}

export function readOkTarget(externalId: string, threadId: string | undefined): OkTarget | undefined {
  if (!threadId || !/^[\w:.-]{1,200}$/.test(threadId) || externalId === '') return undefined;
  return { chatId: threadId, mid: externalId };
}

/** What OK's error codes mean for the answer (https://apiok.ru/dev/errors). */
const OK_ERRORS: Readonly<Record<number, { retry: boolean; reason: string }>> = {
  1: { retry: true, reason: 'Неизвестная ошибка Одноклассников — повторим позже' },
  2: { retry: true, reason: 'Сервис Одноклассников временно недоступен — повторим позже' },
  7: { retry: true, reason: 'Одноклассники временно заблокировали это действие — повторим позже' },
  8: { retry: true, reason: 'Одноклассники: слишком много запросов подряд — повторим позже' },
  9: {
    retry: false,
    reason: 'Одноклассники заблокировали запросы с адреса Отклика — обратитесь в поддержку ОК',
  },
  10: {
    retry: false,
    reason: 'У ключа доступа группы в Одноклассниках нет прав писать в этот чат',
  },
  11: { retry: true, reason: 'Исчерпан лимит запросов к Одноклассникам — повторим позже' },
  100: { retry: false, reason: 'Одноклассники отклонили запрос как неверный — возможно, чат или сообщение удалены' },
  102: {
    retry: false,
    reason: 'Ключ доступа группы в Одноклассниках истёк — получите новый и обновите его в настройках источника',
  },
  103: {
    retry: false,
    reason: 'Ключ доступа группы в Одноклассниках неверен — обновите его в настройках источника',
  },
  300: { retry: false, reason: 'Чат или сообщение автора в Одноклассниках не найдены' },
};

export function classifyOkError(code: number, message: string): PublishOutcome {
  const platformError = `error ${code}: ${message}`;
  const known = OK_ERRORS[code];
  if (!known) return failed(`Одноклассники отказали: ${message || `код ${code}`}`, platformError);
  return known.retry ? retry(known.reason) : failed(known.reason, platformError);
}

export function createOkPublisher(apiUrl: string, fetchImpl: FetchLike = fetch): Publisher {
  return publisherOf('OK', ['OK_BOT'], (answer, source) => publishOk(apiUrl, fetchImpl, answer, source));
}

async function publishOk(
  apiUrl: string,
  fetchImpl: FetchLike,
  answer: OutboundAnswer,
  source: OutboundSource,
): Promise<PublishOutcome> {
  const target = readOkTarget(answer.target.externalId, answer.target.threadId);
  if (!target) throw unreadableTarget(PLATFORM, answer.target.externalId, "a mid with the chat's id as the thread");
  if (answer.attachments.length > MAX_ATTACHMENTS) {
    throw new PublishStop(
      failed(
        `Одноклассники принимают не больше ${MAX_ATTACHMENTS} вложений в сообщении — уберите лишние`,
        `${answer.attachments.length} attachments, at most ${MAX_ATTACHMENTS}`,
      ),
    );
  }
  const api = new OkApi(apiUrl.replace(/\/+$/, ''), requireCredential(source.credentials, ['accessToken'], PLATFORM));
  const attachments: unknown[] = [];
  for (const [i, attachment] of answer.attachments.entries()) {
    const file = await fetchAttachment(fetchImpl, attachment, i);
    attachments.push(await api.upload(fetchImpl, attachment.type === 'PHOTO' ? 'IMAGE' : 'VIDEO', file, i));
  }
  const sent = await api.call(fetchImpl, `/graph/me/messages/${chatPath(target.chatId)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json;charset=utf-8' },
    body: JSON.stringify({
      recipient: { chat_id: target.chatId },
      message: {
        text: answer.text,
        reply_to: target.mid,
        ...(attachments.length === 1 ? { attachment: attachments[0] } : {}),
        ...(attachments.length > 1 ? { attachments } : {}),
      },
    }),
  });
  if (sent.success === false) {
    throw new PublishStop(failed('Одноклассники не отправили сообщение', `success: false ${JSON.stringify(sent)}`));
  }
  const id = stringAt(sent.message_id) ?? stringAt(sent.mid);
  // Chat messages have no public address; without an id the answer is still named, by its key.
  return { outcome: 'PUBLISHED', externalId: id ?? `${target.chatId}:${answer.idempotencyKey}` };
}

/** `chat:C3ecb9d02a600` stays readable in the path, as OK writes it. */
function chatPath(chatId: string): string {
  return encodeURIComponent(chatId).replace(/%3A/gi, ':');
}

class OkApi {
  constructor(
    private readonly apiUrl: string,
    private readonly token: string,
  ) {}

  async call(fetchImpl: FetchLike, path: string, init: RequestInit, timeoutMs?: number): Promise<JsonObject> {
    const separator = path.includes('?') ? '&' : '?';
    const url = `${this.apiUrl}${path}${separator}access_token=${encodeURIComponent(this.token)}`;
    return this.read(await exchange(fetchImpl, url, init, PLATFORM, timeoutMs));
  }

  /** GET fileUploadUrl → the file POSTed as the body → the token to attach. */
  async upload(fetchImpl: FetchLike, type: 'IMAGE' | 'VIDEO', file: FetchedFile, i: number): Promise<unknown> {
    const endpoint = await this.call(fetchImpl, `/graph/me/fileUploadUrl?type=${type}`, { method: 'GET' });
    const url = stringAt(endpoint.url);
    if (!url) throw malformed('fileUploadUrl');
    const uploaded = this.read(
      await exchange(
        fetchImpl,
        url,
        { method: 'POST', headers: { 'content-type': file.contentType }, body: file.blob },
        PLATFORM,
        UPLOAD_TIMEOUT_MS,
      ),
    );
    const token =
      type === 'VIDEO'
        ? stringAt(endpoint.token)
        : (stringAt(uploaded.token) ??
          Object.values(objectAt(uploaded.photos) ?? {})
            .map((photo) => stringAt(objectAt(photo)?.token))
            .find((t) => t !== undefined));
    if (!token) {
      throw new PublishStop(
        failed(
          `Одноклассники не приняли вложение №${i + 1} (${file.fileName}) — проверьте формат и размер файла`,
          `upload ${type}: ${JSON.stringify(uploaded)}`,
        ),
      );
    }
    return { type, payload: { token } };
  }

  private read(answer: { status: number; headers: Headers; text: string }): JsonObject {
    if (answer.status >= 500) throw serverTrouble(PLATFORM, answer.status);
    const json = objectAt(parseJson(answer.text));
    const headerCode = answer.headers.get('invocation-error');
    const code = headerCode !== null && /^\d+$/.test(headerCode) ? Number(headerCode) : json?.error_code;
    if (typeof code === 'number') {
      throw new PublishStop(classifyOkError(code, stringAt(json?.error_msg) ?? ''));
    }
    if (answer.status !== 200 || !json) throw malformed(`HTTP ${answer.status}`);
    return json;
  }
}

function malformed(what: string): PublishStop {
  return new PublishStop(retry(`Одноклассники ответили непонятно (${what}) — повторим позже`));
}
