import type { ResponseParameters } from '@grammyjs/types';
import { FailureQueue, readForm, ReceivedFile, ReceivedRequest, Reply, startHttp } from './fake-http';

/*
 * Enough of Telegram's Bot API for tests of a publisher, from https://core.telegram.org/bots/api:
 * `POST /bot<token>/<method>` with JSON, form-encoded or multipart/form-data parameters (files
 * uploaded in multipart, an album's through `attach://<name>`); every answer
 * `{ok: true, result}` or `{ok: false, error_code, description, parameters?}`. A reply to a
 * message the test deleted fails as Telegram's does unless allow_sending_without_reply is set.
 * Give a publisher `url` as TELEGRAM_API_URL.
 */

export interface FakeTelegramChat {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  username?: string;
  title?: string;
}

export interface FakeTelegramApiOptions {
  /** The bot's token; any other is 401 Unauthorized. */
  token: string;
  /** Chats the bot is in. None given: any chat id is a private chat (positive) or a supergroup (negative). */
  chats?: FakeTelegramChat[];
}

export interface FakeTelegramError {
  error_code: number;
  description: string;
  parameters?: ResponseParameters;
}

export interface FakeTelegramCall {
  method: string;
  /** Parameters; those sent as JSON objects (reply_parameters, media) parsed. */
  params: Record<string, unknown>;
  files: ReceivedFile[];
  error?: FakeTelegramError;
}

export interface FakeTelegramMessage {
  message_id: number;
  date: number;
  chat: FakeTelegramChat;
  from: { id: number; is_bot: true; first_name: string; username: string };
  text?: string;
  caption?: string;
  photo?: Array<{ file_id: string; file_unique_id: string; width: number; height: number; file_size: number }>;
  video?: { file_id: string; file_unique_id: string; width: number; height: number; duration: number };
  media_group_id?: string;
  reply_to_message?: { message_id: number; date: number; chat: FakeTelegramChat };
  business_connection_id?: string;
}

export interface FakeTelegramApi {
  /** TELEGRAM_API_URL. */
  readonly url: string;
  readonly calls: FakeTelegramCall[];
  /** Messages the bot sent, in order. */
  readonly sent: FakeTelegramMessage[];
  callsOf(method: string): FakeTelegramCall[];
  /** The next `times` calls of `method` (`*`: any) fail with `error`. */
  failNext(method: string, error: FakeTelegramError, times?: number): void;
  /** The citizen deleted the message: replies to it fail. */
  deleteMessage(chatId: number, messageId: number): void;
  /** The token is revoked (@BotFather /revoke): every call is 401. */
  revokeToken(): void;
  close(): Promise<void>;
}

/** Parameters the Bot API takes as JSON-serialized objects. */
const JSON_PARAMETERS = new Set(['reply_parameters', 'media', 'reply_markup', 'entities', 'caption_entities']);

const BOT = { id: 7000001, is_bot: true as const, first_name: 'Otklik', username: 'otklik_bot' };

class TelegramFailure extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
  ) {
    super(description);
  }
}

const badRequest = (text: string) => new TelegramFailure(400, `Bad Request: ${text}`);

export async function startFakeTelegramApi(options: FakeTelegramApiOptions): Promise<FakeTelegramApi> {
  const failures = new FailureQueue<FakeTelegramError>();
  const calls: FakeTelegramCall[] = [];
  const sent: FakeTelegramMessage[] = [];
  const deleted = new Set<string>();
  const nextIds = new Map<number, number>();
  let revoked = false;
  let albums = 0;

  const chatOf = (value: unknown): FakeTelegramChat => {
    const id = Number(value);
    if (value === undefined || value === '' || !Number.isSafeInteger(id)) throw badRequest('chat_id is empty');
    if (options.chats) {
      const chat = options.chats.find((c) => c.id === id);
      if (!chat) throw badRequest('chat not found');
      return chat;
    }
    return { id, type: id > 0 ? 'private' : 'supergroup' };
  };

  /** reply_parameters as Telegram checks it: the message answered must still be there. */
  const replyOf = (chat: FakeTelegramChat, value: unknown): FakeTelegramMessage['reply_to_message'] => {
    if (value === undefined) return undefined;
    const reply = value as { message_id?: number; allow_sending_without_reply?: boolean };
    if (typeof reply.message_id !== 'number') throw badRequest('message to be replied not found');
    if (deleted.has(`${chat.id}_${reply.message_id}`)) {
      if (reply.allow_sending_without_reply) return undefined;
      throw badRequest('message to be replied not found');
    }
    return { message_id: reply.message_id, date: Math.floor(Date.now() / 1000) - 60, chat };
  };

  const message = (
    params: Record<string, unknown>,
    content: Partial<FakeTelegramMessage>,
    chat = chatOf(params.chat_id),
  ): FakeTelegramMessage => {
    const replyTo = replyOf(chat, params.reply_parameters);
    const id = (nextIds.get(chat.id) ?? 100) + 1;
    nextIds.set(chat.id, id);
    const created: FakeTelegramMessage = {
      message_id: id,
      date: Math.floor(Date.now() / 1000),
      chat,
      from: BOT,
      ...content,
      ...(replyTo ? { reply_to_message: replyTo } : {}),
      ...(typeof params.business_connection_id === 'string'
        ? { business_connection_id: params.business_connection_id }
        : {}),
    };
    sent.push(created);
    return created;
  };

  const caption = (params: Record<string, unknown>): { caption?: string } => {
    if (typeof params.caption !== 'string' || params.caption === '') return {};
    if (params.caption.length > 1024) throw badRequest('message caption is too long');
    return { caption: params.caption };
  };

  const fileOf = (files: ReceivedFile[], reference: unknown, kind: string): ReceivedFile => {
    const name = typeof reference === 'string' && reference.startsWith('attach://') ? reference.slice(9) : undefined;
    const file = files.find((f) => f.field === (name ?? kind));
    if (!file)
      throw badRequest(name ? 'wrong file identifier/HTTP URL specified' : `there is no ${kind} in the request`);
    return file;
  };

  const photoOf = (file: ReceivedFile) => [
    {
      file_id: `photo-${file.size}-s`,
      file_unique_id: 'p1',
      width: 90,
      height: 90,
      file_size: Math.min(file.size, 1000),
    },
    { file_id: `photo-${file.size}`, file_unique_id: 'p2', width: 1280, height: 960, file_size: file.size },
  ];
  const videoOf = (file: ReceivedFile) => ({
    file_id: `video-${file.size}`,
    file_unique_id: 'v1',
    width: 1280,
    height: 720,
    duration: 10,
  });

  const methods: Record<string, (params: Record<string, unknown>, files: ReceivedFile[]) => unknown> = {
    getMe: () => BOT,
    sendMessage: (params) => {
      const text = typeof params.text === 'string' ? params.text : '';
      if (text.trim() === '') throw badRequest('message text is empty');
      if (text.length > 4096) throw badRequest('message is too long');
      return message(params, { text });
    },
    sendPhoto: (params, files) =>
      message(params, { photo: photoOf(fileOf(files, params.photo, 'photo')), ...caption(params) }),
    sendVideo: (params, files) =>
      message(params, { video: videoOf(fileOf(files, params.video, 'video')), ...caption(params) }),
    sendMediaGroup: (params, files) => {
      const media = Array.isArray(params.media) ? (params.media as Array<Record<string, unknown>>) : [];
      if (media.length < 2) throw badRequest('too few media in the group');
      if (media.length > 10) throw badRequest('too many media in the group');
      const chat = chatOf(params.chat_id);
      const groupId = `album-${++albums}`;
      // Resolved before any is sent: a bad item fails the album as a whole.
      const items = media.map((item) => {
        const file = fileOf(files, item.media, String(item.type));
        const text = caption(item);
        return item.type === 'video'
          ? { video: videoOf(file), ...text, media_group_id: groupId }
          : { photo: photoOf(file), ...text, media_group_id: groupId };
      });
      replyOf(chat, params.reply_parameters);
      return items.map((content) => message(params, content, chat));
    },
  };

  const serve = (method: string, request: ReceivedRequest): Reply => {
    const { fields, files } = readForm(request);
    const params: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(fields)) {
      params[name] = JSON_PARAMETERS.has(name) ? (JSON.parse(value) as unknown) : value;
    }
    const fail = (error: FakeTelegramError): Reply => {
      calls.push({ method, params, files, error });
      return { status: error.error_code, json: { ok: false, ...error } };
    };
    const queued = failures.take(method);
    if (queued) return fail(queued);
    const handler = methods[method];
    if (!handler) return fail({ error_code: 404, description: 'Not Found: method not found' });
    try {
      const result = handler(params, files);
      calls.push({ method, params, files });
      return { json: { ok: true, result } };
    } catch (error) {
      if (error instanceof TelegramFailure) return fail({ error_code: error.code, description: error.description });
      throw error;
    }
  };

  const running = await startHttp((request) => {
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(request.path);
    if (!match) return { status: 404, json: { ok: false, error_code: 404, description: 'Not Found' } };
    if (revoked || match[1] !== options.token) {
      return { status: 401, json: { ok: false, error_code: 401, description: 'Unauthorized' } };
    }
    return serve(match[2], request);
  });

  return {
    url: running.base,
    calls,
    sent,
    callsOf: (method) => calls.filter((c) => c.method === method),
    failNext: (method, error, times = 1) => failures.add(method, error, times),
    deleteMessage: (chatId, messageId) => void deleted.add(`${chatId}_${messageId}`),
    revokeToken: () => {
      revoked = true;
    },
    close: () => running.close(),
  };
}
