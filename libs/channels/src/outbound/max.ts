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
  retryAfterHeader,
  unreadableTarget,
  UPLOAD_TIMEOUT_MS,
} from './http';
import { JsonObject, objectAt, stringAt } from '../inbound/json-fields';
import type { OutboundAnswer, OutboundSource, PublishOutcome, Publisher } from './publisher';

/**
 * MAX's bot API (https://dev.max.ru/docs-api): `POST {MAX_API_URL}/messages?chat_id=…` with
 * `NewMessageBody` `{text, attachments, link: {type: 'reply', mid}}` as JSON; the bot's token in
 * the `Authorization` header (MAX no longer takes it as a query parameter). Errors come as HTTP
 * statuses with `{code, message}`; MAX allows two messages a second per chat.
 *
 * Files: `POST /uploads?type=image|video` gives an upload URL (and, for a video, the token to
 * attach); the file goes there as multipart field `data`; an image's upload answers
 * `{photos: {…: {token}}}`, attached as `{type: 'image', payload: {photos}}`.
 *
 * MAX has no idempotency field either; the guard is notify's stored key.
 */
const PLATFORM = 'MAX';

/** How long to wait when MAX is still processing an uploaded file ("attachment.not.ready"). */
const NOT_READY_RETRY_MS = 2_000;

/** The citizen's message: its `mid`, and the chat it is in (intake's MAX connector keeps it as the thread). */
export interface MaxTarget {
  chatId: number;
  /** Absent for a bare forward, which has no mid of its own to reply to. */
  mid?: string;
}

export function readMaxTarget(externalId: string, threadId: string | undefined): MaxTarget | undefined {
  const forward = /^forward:(-?\d{1,20}):/.exec(externalId);
  const chat = forward?.[1] ?? threadId;
  if (chat === undefined || !/^-?\d{1,20}$/.test(chat) || !Number.isSafeInteger(Number(chat))) return undefined;
  return { chatId: Number(chat), ...(forward ? {} : { mid: externalId }) };
}

/** A MAX refusal as an outcome, by its HTTP status and code. */
export function classifyMaxError(status: number, code: string, message: string, retryAfterMs?: number): PublishOutcome {
  const platformError = `HTTP ${status} ${code}: ${message}`;
  if (status === 429) {
    return retry('MAX: слишком много сообщений (не больше двух в секунду в один чат) — повторим позже', retryAfterMs);
  }
  if (status >= 500) return retry(`MAX временно недоступен (HTTP ${status}) — повторим позже`, retryAfterMs);
  if (code === 'attachment.not.ready') {
    return retry('MAX ещё обрабатывает вложение — повторим через несколько секунд', NOT_READY_RETRY_MS);
  }
  if (status === 401) {
    return failed('Токен бота MAX отозван или неверен — обновите его в настройках источника', platformError);
  }
  if (status === 403) {
    return failed(
      'Бот MAX не может писать в этот чат: нет прав, бота удалили из чата или автор его заблокировал',
      platformError,
    );
  }
  if (status === 404) {
    return failed('Чат или сообщение автора в MAX не найдены — они удалены или бота нет в чате', platformError);
  }
  return failed(`MAX отклонил сообщение: ${message || code || `HTTP ${status}`}`, platformError);
}

export function createMaxPublisher(apiUrl: string, fetchImpl: FetchLike = fetch): Publisher {
  return publisherOf('MAX', ['MAX_BOT'], (answer, source) => publishMax(apiUrl, fetchImpl, answer, source));
}

async function publishMax(
  apiUrl: string,
  fetchImpl: FetchLike,
  answer: OutboundAnswer,
  source: OutboundSource,
): Promise<PublishOutcome> {
  const target = readMaxTarget(answer.target.externalId, answer.target.threadId);
  if (!target) throw unreadableTarget(PLATFORM, answer.target.externalId, "a mid with the chat's id as the thread");
  // intake names the bot's token accessToken; botToken is taken too.
  const api = new MaxApi(
    apiUrl.replace(/\/+$/, ''),
    requireCredential(source.credentials, ['accessToken', 'botToken'], PLATFORM),
    fetchImpl,
  );
  const attachments: unknown[] = [];
  for (const [i, attachment] of answer.attachments.entries()) {
    const file = await fetchAttachment(fetchImpl, attachment, i);
    attachments.push(await api.upload(attachment.type === 'PHOTO' ? 'image' : 'video', file, i));
  }
  const sent = await api.json(`/messages?chat_id=${target.chatId}`, {
    text: answer.text,
    ...(attachments.length > 0 ? { attachments } : {}),
    ...(target.mid ? { link: { type: 'reply', mid: target.mid } } : {}),
  });
  const message = objectAt(sent.message);
  const mid = stringAt(objectAt(message?.body)?.mid);
  if (!message || !mid) throw malformed('POST /messages');
  const url = stringAt(message.url);
  return { outcome: 'PUBLISHED', externalId: mid, ...(url && /^https?:\/\//.test(url) ? { url } : {}) };
}

class MaxApi {
  constructor(
    private readonly apiUrl: string,
    private readonly token: string,
    private readonly fetchImpl: FetchLike,
  ) {}

  async json(path: string, body: unknown): Promise<JsonObject> {
    return this.call(`${this.apiUrl}${path}`, {
      method: 'POST',
      headers: { authorization: this.token, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  /** The file to MAX's upload server; the attachment to put in the message. */
  async upload(type: 'image' | 'video', file: FetchedFile, i: number): Promise<unknown> {
    const endpoint = await this.call(`${this.apiUrl}/uploads?type=${type}`, {
      method: 'POST',
      headers: { authorization: this.token },
    });
    const url = stringAt(endpoint.url);
    if (!url) throw malformed('POST /uploads');
    const form = new FormData();
    form.append('data', file.blob, file.fileName);
    const uploaded = await this.call(
      url,
      { method: 'POST', headers: { authorization: this.token }, body: form },
      UPLOAD_TIMEOUT_MS,
    );
    if (type === 'video') {
      const token = stringAt(endpoint.token);
      if (!token) throw malformed('POST /uploads?type=video: token');
      return { type: 'video', payload: { token } };
    }
    const photos = objectAt(uploaded.photos);
    if (!photos || Object.keys(photos).length === 0) {
      throw new PublishStop(
        failed(
          `MAX не принял вложение №${i + 1} (${file.fileName}) — проверьте формат и размер файла`,
          `upload image: ${JSON.stringify(uploaded)}`,
        ),
      );
    }
    return { type: 'image', payload: { photos } };
  }

  private async call(url: string, init: RequestInit, timeoutMs?: number): Promise<JsonObject> {
    const answer = await exchange(this.fetchImpl, url, init, PLATFORM, timeoutMs);
    const json = objectAt(parseJson(answer.text));
    if (answer.status < 200 || answer.status >= 300) {
      throw new PublishStop(
        classifyMaxError(
          answer.status,
          stringAt(json?.code) ?? '',
          stringAt(json?.message) ?? '',
          retryAfterHeader(answer.headers),
        ),
      );
    }
    if (!json) throw malformed(new URL(url).pathname);
    return json;
  }
}

function malformed(what: string): PublishStop {
  return new PublishStop(retry(`MAX ответил непонятно (${what}) — повторим позже`));
}
