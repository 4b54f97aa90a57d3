import { createHash } from 'node:crypto';
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
 * VK's API (dev.vk.com/ru/reference, schema github.com/VKCOM/vk-api-schema, version 5.199):
 * `POST {VK_API_URL}/{method}` with the parameters, `access_token` and `v` form-encoded. VK answers
 * HTTP 200 with `{response}` or `{error: {error_code, error_msg}}`.
 *
 * Two keys. `accessToken`, the community's key, is enough for a comment on the wall
 * (`wall.createComment` takes user and group keys) and for private messages. VK's schema lists
 * photos.createComment, video.createComment, board.createComment, photos.getWallUploadServer and
 * video.save for user keys only — with a community key VK answers error 27 "method is unavailable
 * with group auth" — so answers there, and photos or videos in a comment, need `adminAccessToken`,
 * the user key of one of the community's administrators, and post as the community
 * (`from_group`).
 */
export const VK_API_VERSION = '5.199';

const VK = 'https://vk.com';
const PLATFORM = 'ВКонтакте';

/** The citizen's message, as intake's VK connector names it (libs/channels/src/inbound/vk.ts). */
export type VkTarget =
  /** A comment on a wall post (`wall-1_123_r9`), or the post itself (`wall-1_123`: a suggested post). */
  | { kind: 'WALL'; owner: number; post: number; replyTo?: number }
  | { kind: 'PHOTO'; owner: number; photo: number; replyTo: number }
  | { kind: 'VIDEO'; owner: number; video: number; replyTo: number }
  /** A post in a discussion board topic: board.createComment has no reply field. */
  | { kind: 'BOARD'; owner: number; topic: number; replyTo: number }
  /** A private message to the community: `msg-<peer_id>_<conversation_message_id>`. */
  | { kind: 'MESSAGE'; peer: number; conversationMessageId: number };

export function readVkTarget(externalId: string): VkTarget | undefined {
  const n = (value: string) => Number(value);
  let m = /^wall(-?\d{1,15})_(\d{1,15})(?:_r(\d{1,15}))?$/.exec(externalId);
  if (m) return { kind: 'WALL', owner: n(m[1]), post: n(m[2]), ...(m[3] ? { replyTo: n(m[3]) } : {}) };
  m = /^photo(-?\d{1,15})_(\d{1,15})_c(\d{1,15})$/.exec(externalId);
  if (m) return { kind: 'PHOTO', owner: n(m[1]), photo: n(m[2]), replyTo: n(m[3]) };
  m = /^video(-?\d{1,15})_(\d{1,15})_c(\d{1,15})$/.exec(externalId);
  if (m) return { kind: 'VIDEO', owner: n(m[1]), video: n(m[2]), replyTo: n(m[3]) };
  m = /^topic(-?\d{1,15})_(\d{1,15})_p(\d{1,15})$/.exec(externalId);
  if (m) return { kind: 'BOARD', owner: n(m[1]), topic: n(m[2]), replyTo: n(m[3]) };
  m = /^msg-(-?\d{1,15})_(\d{1,15})$/.exec(externalId);
  if (m) return { kind: 'MESSAGE', peer: n(m[1]), conversationMessageId: n(m[2]) };
  return undefined;
}

/**
 * messages.send's `random_id` (int32, "unique identifier to avoid resending the message"), the
 * same for every attempt of one answer: VK sends a message with a random_id it has seen only once.
 */
export function vkRandomId(idempotencyKey: string): number {
  const value = createHash('sha256').update(idempotencyKey).digest().readInt32BE(0) & 0x7fffffff;
  return value === 0 ? 1 : value;
}

/** What each VK error means for the answer: worth another attempt, or not, in an official's words. */
const VK_ERRORS: Readonly<Record<number, { retry: boolean; reason: string }>> = {
  1: { retry: true, reason: 'Неизвестная ошибка ВКонтакте — повторим позже' },
  5: {
    retry: false,
    reason: 'Ключ доступа сообщества ВКонтакте отозван или неверен — обновите его в настройках источника',
  },
  6: { retry: true, reason: 'ВКонтакте: слишком много запросов в секунду — повторим позже' },
  7: {
    retry: false,
    reason: 'У ключа доступа ВКонтакте нет прав на это действие — выдайте ключу права (стена, фото, сообщения)',
  },
  9: { retry: true, reason: 'ВКонтакте: слишком много однотипных действий подряд — повторим позже' },
  10: { retry: true, reason: 'Внутренняя ошибка ВКонтакте — повторим позже' },
  14: { retry: false, reason: 'ВКонтакте требует ввести капчу — опубликуйте ответ вручную' },
  15: {
    retry: false,
    reason: 'ВКонтакте: доступ запрещён — у сообщества или ключа нет права отвечать здесь',
  },
  17: {
    retry: false,
    reason: 'ВКонтакте требует подтвердить ключ доступа — получите новый ключ и обновите его в настройках источника',
  },
  18: { retry: false, reason: 'Страница автора удалена или заблокирована — ответить ему нельзя' },
  27: {
    retry: false,
    reason:
      'ВКонтакте не выполняет это действие с ключом сообщества — добавьте ключ администратора сообщества (adminAccessToken) в настройках источника',
  },
  28: { retry: false, reason: 'Ключ доступа приложения ВКонтакте неверен — обновите ключ в настройках источника' },
  29: { retry: true, reason: 'Исчерпан лимит запросов ВКонтакте для этого метода — повторим позже' },
  30: { retry: false, reason: 'Профиль автора закрыт — ответить ему нельзя' },
  36: { retry: true, reason: 'ВКонтакте не успел выполнить запрос — повторим позже' },
  43: { retry: true, reason: 'Раздел ВКонтакте временно недоступен — повторим позже' },
  100: {
    retry: false,
    reason: 'ВКонтакте отклонил запрос как неверный — возможно, сообщение автора удалено',
  },
  113: { retry: false, reason: 'ВКонтакте не знает такого пользователя — страница автора удалена' },
  200: { retry: false, reason: 'Нет доступа к альбому — ответить здесь нельзя' },
  203: { retry: false, reason: 'Нет доступа к сообществу — проверьте, что ключ выдан этим сообществом' },
  204: { retry: false, reason: 'Нет доступа к видео — оно удалено или скрыто' },
  210: { retry: false, reason: 'Запись недоступна — она удалена или скрыта' },
  211: { retry: false, reason: 'Комментарий автора недоступен — он удалён или скрыт' },
  212: { retry: false, reason: 'Сообщество не может комментировать эту запись: комментарии закрыты' },
  213: { retry: false, reason: 'Нет доступа к комментариям этой записи: комментарии закрыты или ограничены' },
  222: {
    retry: false,
    reason: 'ВКонтакте не принимает ссылки в комментариях к этой записи — уберите ссылку из ответа',
  },
  223: { retry: false, reason: 'Под этой записью слишком много ответов — ВКонтакте не принимает новые' },
  601: { retry: true, reason: 'ВКонтакте: сегодня выполнено слишком много действий — повторим позже' },
  801: { retry: false, reason: 'Комментарии к этому видео закрыты' },
  900: { retry: false, reason: 'Автор добавил сообщество в чёрный список — сообщение не отправить' },
  901: { retry: false, reason: 'Автор не разрешил сообществу присылать ему сообщения' },
  902: { retry: false, reason: 'Автор запретил такие сообщения настройками приватности' },
  917: { retry: false, reason: 'У сообщества нет доступа к этой беседе' },
  945: { retry: false, reason: 'Беседа отключена' },
};

/**
 * A VK error as an outcome. Codes not in the table are FAILED with VK's own text: a retry of a
 * refusal nobody understands would only repeat it.
 */
export function classifyVkError(method: string, code: number, message: string): PublishOutcome {
  const platformError = `${method}: error ${code}: ${message}`;
  const known = VK_ERRORS[code];
  if (!known) return failed(`ВКонтакте отказал: ${message} (код ${code})`, platformError);
  return known.retry ? retry(known.reason) : failed(known.reason, platformError);
}

export function createVkPublisher(apiUrl: string, fetchImpl: FetchLike = fetch): Publisher {
  return publisherOf('VK', ['VK_CALLBACK'], (answer, source) =>
    publishVk(new VkApi(apiUrl, fetchImpl), answer, source),
  );
}

async function publishVk(api: VkApi, answer: OutboundAnswer, source: OutboundSource): Promise<PublishOutcome> {
  const target = readVkTarget(answer.target.externalId);
  if (!target) throw unreadableTarget(PLATFORM, answer.target.externalId, 'a VK message id (wall…, photo…, msg-…)');
  const groupId = positiveInteger(source.settings.groupId);
  if (groupId === undefined) {
    throw new PublishStop(
      failed(
        'В источнике ВКонтакте не задан номер сообщества (groupId) — укажите его в настройках источника',
        'settings.groupId is missing',
      ),
    );
  }
  const keys: Keys = {
    community: requireCredential(source.credentials, ['accessToken'], PLATFORM),
    admin: source.credentials.adminAccessToken?.trim() || undefined,
  };
  const kinds = answer.attachments.map((a) => a.type);
  checkAdminKey(target, kinds, keys);
  const files = await Promise.all(answer.attachments.map((a, i) => fetchAttachment(api.fetchImpl, a, i)));
  if (target.kind === 'MESSAGE') return sendMessage(api, answer, target, groupId, keys, files, kinds);
  return comment(api, answer, target, groupId, keys, files, kinds);
}

interface Keys {
  community: string;
  admin?: string;
}

/**
 * Only a text comment on the wall and a private message with photos go with the community's key;
 * everything else takes the administrator's. Checked before anything is fetched or uploaded.
 */
function checkAdminKey(target: VkTarget, kinds: ReadonlyArray<'PHOTO' | 'VIDEO'>, keys: Keys): void {
  if (keys.admin !== undefined) return;
  let reason: string | undefined;
  if (target.kind === 'WALL' && kinds.length > 0) {
    reason =
      'ВКонтакте загружает фото и видео к комментарию только с ключом администратора сообщества: добавьте его (adminAccessToken) в настройках источника, уберите вложения или опубликуйте ответ вручную';
  } else if (target.kind === 'PHOTO' || target.kind === 'VIDEO' || target.kind === 'BOARD') {
    reason =
      'ВКонтакте позволяет отвечать под фото, видео и в обсуждениях только с ключом администратора сообщества: добавьте его (adminAccessToken) в настройках источника или опубликуйте ответ вручную';
  } else if (target.kind === 'MESSAGE' && kinds.includes('VIDEO')) {
    reason =
      'ВКонтакте загружает видео только с ключом администратора сообщества: добавьте его (adminAccessToken) в настройках источника, уберите видео или опубликуйте ответ вручную';
  }
  if (reason) {
    throw new PublishStop(
      failed(
        reason,
        `${target.kind}${kinds.length > 0 ? ` with ${kinds.join(', ')}` : ''} needs credentials.adminAccessToken (a user key)`,
      ),
    );
  }
}

async function comment(
  api: VkApi,
  answer: OutboundAnswer,
  target: Exclude<VkTarget, { kind: 'MESSAGE' }>,
  groupId: number,
  keys: Keys,
  files: FetchedFile[],
  kinds: Array<'PHOTO' | 'VIDEO'>,
): Promise<PublishOutcome> {
  const admin = keys.admin;
  const attachments: string[] = [];
  for (const [i, file] of files.entries()) {
    attachments.push(
      kinds[i] === 'PHOTO'
        ? await uploadWallPhoto(api, admin as string, groupId, file, i)
        : await uploadVideo(api, admin as string, groupId, file, i, false),
    );
  }
  const common = {
    message: answer.text,
    ...(attachments.length > 0 ? { attachments: attachments.join(',') } : {}),
    guid: answer.idempotencyKey,
  };
  switch (target.kind) {
    case 'WALL': {
      const created = objectOf(
        await api.call(
          'wall.createComment',
          {
            owner_id: target.owner,
            post_id: target.post,
            from_group: groupId,
            ...(target.replyTo !== undefined ? { reply_to_comment: target.replyTo } : {}),
            ...common,
          },
          keys.community,
        ),
      );
      const id = integerOf(created.comment_id, 'wall.createComment: comment_id');
      // A reply is shown in the thread of the comment it answers: VK's parents_stack names its root.
      const stack: unknown[] = Array.isArray(created.parents_stack) ? created.parents_stack : [];
      const thread = integerOrUndefined(stack[0]) ?? target.replyTo;
      return {
        outcome: 'PUBLISHED',
        externalId: `wall${target.owner}_${target.post}_r${id}`,
        url: `${VK}/wall${target.owner}_${target.post}?reply=${id}${thread !== undefined ? `&thread=${thread}` : ''}`,
      };
    }
    case 'PHOTO': {
      const id = integerOf(
        await api.call(
          'photos.createComment',
          {
            owner_id: target.owner,
            photo_id: target.photo,
            from_group: 1,
            reply_to_comment: target.replyTo,
            ...common,
          },
          admin as string,
        ),
        'photos.createComment',
      );
      return {
        outcome: 'PUBLISHED',
        externalId: `photo${target.owner}_${target.photo}_c${id}`,
        url: `${VK}/photo${target.owner}_${target.photo}`,
      };
    }
    case 'VIDEO': {
      const id = integerOf(
        await api.call(
          'video.createComment',
          {
            owner_id: target.owner,
            video_id: target.video,
            from_group: 1,
            reply_to_comment: target.replyTo,
            ...common,
          },
          admin as string,
        ),
        'video.createComment',
      );
      return {
        outcome: 'PUBLISHED',
        externalId: `video${target.owner}_${target.video}_c${id}`,
        url: `${VK}/video${target.owner}_${target.video}`,
      };
    }
    case 'BOARD': {
      const id = integerOf(
        await api.call(
          'board.createComment',
          { group_id: -target.owner, topic_id: target.topic, from_group: 1, ...common },
          admin as string,
        ),
        'board.createComment',
      );
      return {
        outcome: 'PUBLISHED',
        externalId: `topic${target.owner}_${target.topic}_p${id}`,
        url: `${VK}/topic${target.owner}_${target.topic}?post=${id}`,
      };
    }
  }
}

async function sendMessage(
  api: VkApi,
  answer: OutboundAnswer,
  target: Extract<VkTarget, { kind: 'MESSAGE' }>,
  groupId: number,
  keys: Keys,
  files: FetchedFile[],
  kinds: Array<'PHOTO' | 'VIDEO'>,
): Promise<PublishOutcome> {
  const attachments: string[] = [];
  for (const [i, file] of files.entries()) {
    attachments.push(
      kinds[i] === 'PHOTO'
        ? await uploadMessagePhoto(api, keys.community, target.peer, file, i)
        : await uploadVideo(api, keys.admin as string, groupId, file, i, true),
    );
  }
  const id = integerOf(
    await api.call(
      'messages.send',
      {
        peer_id: target.peer,
        random_id: vkRandomId(answer.idempotencyKey),
        message: answer.text,
        ...(attachments.length > 0 ? { attachment: attachments.join(',') } : {}),
        // A reply to the citizen's message, named by its id in the conversation (what intake keeps).
        forward: JSON.stringify({
          peer_id: target.peer,
          conversation_message_ids: [target.conversationMessageId],
          is_reply: 1,
        }),
      },
      keys.community,
    ),
    'messages.send',
  );
  return {
    outcome: 'PUBLISHED',
    externalId: `msg-${target.peer}_m${id}`,
    // Private: no public link; this opens the conversation in the community's inbox, for its admins.
    url: `${VK}/gim${groupId}?sel=${target.peer}`,
  };
}

/** photos.getWallUploadServer → the file to upload_url → photos.saveWallPhoto → `photo<owner>_<id>`. */
async function uploadWallPhoto(api: VkApi, key: string, groupId: number, file: FetchedFile, i: number) {
  const server = objectOf(await api.call('photos.getWallUploadServer', { group_id: groupId }, key));
  const uploaded = await api.upload(stringOf(server.upload_url, 'upload_url'), 'photo', file, i);
  const saved = firstOf(
    await api.call(
      'photos.saveWallPhoto',
      {
        group_id: groupId,
        server: String(uploaded.server),
        photo: String(uploaded.photo),
        hash: String(uploaded.hash),
      },
      key,
    ),
    'photos.saveWallPhoto',
  );
  return mediaId('photo', saved.owner_id, saved.id, undefined);
}

/** The same through the messages' upload server, which takes the community's key. */
async function uploadMessagePhoto(api: VkApi, key: string, peer: number, file: FetchedFile, i: number) {
  const server = objectOf(await api.call('photos.getMessagesUploadServer', { peer_id: peer }, key));
  const uploaded = await api.upload(stringOf(server.upload_url, 'upload_url'), 'photo', file, i);
  const saved = firstOf(
    await api.call(
      'photos.saveMessagesPhoto',
      { server: String(uploaded.server), photo: String(uploaded.photo), hash: String(uploaded.hash) },
      key,
    ),
    'photos.saveMessagesPhoto',
  );
  return mediaId('photo', saved.owner_id, saved.id, saved.access_key);
}

/** video.save (the community's video; private for a message) → the file to upload_url → `video<owner>_<id>`. */
async function uploadVideo(
  api: VkApi,
  key: string,
  groupId: number,
  file: FetchedFile,
  i: number,
  privateVideo: boolean,
) {
  const saved = objectOf(
    await api.call(
      'video.save',
      { group_id: groupId, name: file.fileName, wallpost: 0, ...(privateVideo ? { is_private: 1 } : {}) },
      key,
    ),
  );
  await api.upload(stringOf(saved.upload_url, 'upload_url'), 'video_file', file, i);
  // A private video is seen only with its access key.
  return mediaId('video', saved.owner_id, saved.video_id, privateVideo ? saved.access_key : undefined);
}

function mediaId(type: 'photo' | 'video', owner: unknown, id: unknown, accessKey: unknown): string {
  const key = typeof accessKey === 'string' && accessKey !== '' ? `_${accessKey}` : '';
  return `${type}${integerOf(owner, `${type} owner_id`)}_${integerOf(id, `${type} id`)}${key}`;
}

class VkApi {
  constructor(
    private readonly apiUrl: string,
    readonly fetchImpl: FetchLike,
  ) {}

  /** One method; its `response`, or a PublishStop with what VK's error means. */
  async call(method: string, params: Record<string, string | number>, key: string): Promise<unknown> {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) body.set(name, String(value));
    body.set('access_token', key);
    body.set('v', VK_API_VERSION);
    const answer = await exchange(
      this.fetchImpl,
      `${this.apiUrl.replace(/\/+$/, '')}/${method}`,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body },
      PLATFORM,
    );
    if (answer.status >= 500) throw serverTrouble(PLATFORM, answer.status);
    const json = parseJson(answer.text);
    const error = objectOrUndefined(objectOrUndefined(json)?.error);
    if (error) {
      const code = integerOrUndefined(error.error_code) ?? 0;
      throw new PublishStop(classifyVkError(method, code, typeof error.error_msg === 'string' ? error.error_msg : ''));
    }
    if (answer.status !== 200 || !objectOrUndefined(json) || !('response' in (json as object))) {
      throw new PublishStop(retry(`ВКонтакте ответил на ${method} непонятно (HTTP ${answer.status}) — повторим позже`));
    }
    return (json as { response: unknown }).response;
  }

  /**
   * A file to one of VK's upload servers (multipart, the field VK names). The server answers
   * JSON; `{error}` there means the file was not taken.
   */
  async upload(url: string, field: string, file: FetchedFile, i: number): Promise<Record<string, unknown>> {
    const form = new FormData();
    form.append(field, file.blob, file.fileName);
    const answer = await exchange(this.fetchImpl, url, { method: 'POST', body: form }, PLATFORM, UPLOAD_TIMEOUT_MS);
    if (answer.status >= 500) throw serverTrouble(PLATFORM, answer.status);
    const json = objectOrUndefined(parseJson(answer.text));
    if (answer.status !== 200 || !json) {
      throw new PublishStop(
        retry(`Сервер загрузки ВКонтакте ответил непонятно (HTTP ${answer.status}) — повторим позже`),
      );
    }
    if (json.error !== undefined || json.photo === '[]') {
      throw new PublishStop(
        failed(
          `ВКонтакте не принял вложение №${i + 1} (${file.fileName}) — проверьте формат и размер файла`,
          `upload ${field}: ${JSON.stringify(json.error ?? json)}`,
        ),
      );
    }
    return json;
  }
}

/** VK answered, but not with what its schema promises: an attempt later may get it right. */
function malformed(what: string): PublishStop {
  return new PublishStop(retry(`ВКонтакте прислал неполный ответ (${what}) — повторим позже`));
}

function objectOrUndefined(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function objectOf(value: unknown): Record<string, unknown> {
  const object = objectOrUndefined(value);
  if (!object) throw malformed('ожидался объект');
  return object;
}

function firstOf(value: unknown, what: string): Record<string, unknown> {
  const first = Array.isArray(value) ? objectOrUndefined(value[0]) : undefined;
  if (!first) throw malformed(what);
  return first;
}

function integerOrUndefined(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d{1,15}$/.test(value)) return Number(value);
  return undefined;
}

function integerOf(value: unknown, what: string): number {
  const integer = integerOrUndefined(value);
  if (integer === undefined) throw malformed(what);
  return integer;
}

function stringOf(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw malformed(what);
  return value;
}

function positiveInteger(value: unknown): number | undefined {
  const integer = integerOrUndefined(value);
  return integer !== undefined && integer > 0 ? integer : undefined;
}
