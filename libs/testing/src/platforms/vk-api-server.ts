import { createHash } from 'node:crypto';
import { FailureQueue, readForm, ReceivedRequest, Reply, startHttp } from './fake-http';

/*
 * Enough of VK's API for tests of a publisher, from its documentation and schema
 * (dev.vk.com/ru/reference, github.com/VKCOM/vk-api-schema 5.199): `POST /method/<name>` with
 * form-encoded parameters, `access_token` and `v`; HTTP 200 with `{response}` or
 * `{error: {error_code, error_msg, request_params}}`. Keys are checked as VK does: an unknown or
 * revoked key is error 5, a community key on a method VK allows only to users' keys is error 27.
 * Comments remember their `guid` and messages their `random_id`: the same one again gets the
 * first answer back and posts nothing. The upload servers VK hands out live on the same server.
 * Give a publisher `url` as VK_API_URL.
 */

export interface FakeVkApiOptions {
  /** The community the keys belong to. Default 1. */
  groupId?: number;
  /** The community's keys. None given: any key that is not an admin's is taken as the community's. */
  communityTokens?: string[];
  /** Users' keys (a community administrator's). */
  adminTokens?: string[];
}

export interface FakeVkError {
  error_code: number;
  error_msg: string;
}

export interface FakeVkCall {
  method: string;
  /** Every parameter but access_token. */
  params: Record<string, string>;
  key: string;
  error?: FakeVkError;
}

export interface FakeVkComment {
  method: 'wall.createComment' | 'photos.createComment' | 'video.createComment' | 'board.createComment';
  /** The wall's, photo's or video's owner; for a board, minus the group. */
  ownerId: number;
  /** The post, photo, video or topic commented. */
  parentId: number;
  id: number;
  replyTo?: number;
  fromGroup?: string;
  message: string;
  attachments: string[];
  guid?: string;
  parentsStack: number[];
}

export interface FakeVkMessage {
  peerId: number;
  id: number;
  randomId: number;
  message: string;
  attachments: string[];
  /** messages.send's `forward`, parsed. */
  forward?: unknown;
  replyTo?: number;
}

export interface FakeVkUpload {
  server: 'wall' | 'messages' | 'video';
  field: string;
  fileName?: string;
  contentType?: string;
  size: number;
}

export interface FakeVkApi {
  /** VK_API_URL: `http://127.0.0.1:<port>/method`. */
  readonly url: string;
  readonly calls: FakeVkCall[];
  readonly comments: FakeVkComment[];
  readonly messages: FakeVkMessage[];
  readonly uploads: FakeVkUpload[];
  callsOf(method: string): FakeVkCall[];
  /** The next `times` calls of `method` (`*`: any) answer VK's error `code`. */
  failNext(method: string, code: number, options?: { times?: number; message?: string }): void;
  /** From now on the key is refused as revoked (error 5). */
  revoke(key: string): void;
  close(): Promise<void>;
}

/** VK's own texts for the errors tests ask for. */
const MESSAGES: Readonly<Record<number, string>> = {
  1: 'Unknown error occurred',
  3: 'Unknown method passed',
  5: 'User authorization failed: invalid access_token (4).',
  6: 'Too many requests per second',
  7: 'Permission to perform this action is denied',
  8: 'Invalid request: v (version) is required',
  9: 'Flood control',
  10: 'Internal server error',
  14: 'Captcha needed',
  15: 'Access denied',
  18: 'User was deleted or banned',
  27: 'Group authorization failed: method is unavailable with group auth.',
  29: 'Rate limit reached',
  30: 'This profile is private',
  100: 'One of the parameters specified was missing or invalid',
  113: 'Invalid user id',
  121: 'Invalid hash',
  210: "Access to wall's post denied",
  211: "Access to wall's comment denied",
  212: 'Access to post comments denied',
  213: 'Access to status replies denied',
  222: 'Hyperlinks are forbidden',
  223: 'Too many replies',
  801: 'Comments for this video are closed',
  900: "Can't send messages for users from blacklist",
  901: "Can't send messages for users without permission",
  902: "Can't send messages to this user due to their privacy settings",
};

/** Methods VK's schema lists for user keys only (`access_token_type: ["user"]`). */
const USER_KEYS_ONLY = new Set([
  'photos.getWallUploadServer',
  'photos.saveWallPhoto',
  'photos.createComment',
  'video.createComment',
  'board.createComment',
  'video.save',
]);

class VkFailure extends Error {
  constructor(
    readonly code: number,
    detail?: string,
  ) {
    super(detail ? `${MESSAGES[code] ?? 'Error'}: ${detail}` : (MESSAGES[code] ?? 'Error'));
  }
}

export async function startFakeVkApi(options: FakeVkApiOptions = {}): Promise<FakeVkApi> {
  const groupId = options.groupId ?? 1;
  const admins = new Set(options.adminTokens ?? []);
  const community = new Set(options.communityTokens ?? []);
  const revoked = new Set<string>();
  const failures = new FailureQueue<FakeVkError>();
  const calls: FakeVkCall[] = [];
  const comments: FakeVkComment[] = [];
  const messages: FakeVkMessage[] = [];
  const uploads: FakeVkUpload[] = [];
  /** What an upload server handed out, by the `photo` string it returned: its hash and server. */
  const uploadedPhotos = new Map<string, { hash: string; server: number }>();
  const savedVideos = new Map<number, { uploaded: boolean }>();
  /** First answers by guid / random_id: a repeat gets the same. */
  const byGuid = new Map<string, unknown>();
  const byRandomId = new Map<string, unknown>();
  let nextId = 1000;
  let base = '';

  const keyKind = (key: string): 'community' | 'admin' | undefined => {
    if (key === '' || revoked.has(key)) return undefined;
    if (admins.has(key)) return 'admin';
    if (community.size === 0 ? true : community.has(key)) return 'community';
    return undefined;
  };

  const integer = (params: Record<string, string>, name: string, required = true): number | undefined => {
    const value = params[name];
    if (value === undefined || value === '') {
      if (required) throw new VkFailure(100, `${name} is undefined`);
      return undefined;
    }
    if (!/^-?\d+$/.test(value)) throw new VkFailure(100, `${name} not integer`);
    return Number(value);
  };

  const list = (value: string | undefined): string[] => (value ? value.split(',').filter(Boolean) : []);

  const once = (store: Map<string, unknown>, key: string | undefined, create: () => unknown): unknown => {
    if (key === undefined) return create();
    if (!store.has(key)) store.set(key, create());
    return store.get(key);
  };

  const comment = (
    method: FakeVkComment['method'],
    params: Record<string, string>,
    ownerId: number,
    parentId: number,
    answer: (created: FakeVkComment) => unknown,
  ): unknown => {
    const message = params.message ?? '';
    const attachments = list(params.attachments);
    if (message === '' && attachments.length === 0) throw new VkFailure(100, 'message is empty or invalid');
    const replyTo = integer(params, 'reply_to_comment', false);
    const guid = params.guid || undefined;
    return once(byGuid, guid && `${method}:${ownerId}_${parentId}:${guid}`, () => {
      // A reply is shown in the thread of the comment it answers, whose root heads the stack.
      const parent = comments.find((c) => c.method === method && c.ownerId === ownerId && c.id === replyTo);
      const created: FakeVkComment = {
        method,
        ownerId,
        parentId,
        id: nextId++,
        ...(replyTo !== undefined ? { replyTo } : {}),
        ...(params.from_group !== undefined ? { fromGroup: params.from_group } : {}),
        message,
        attachments,
        ...(guid ? { guid } : {}),
        parentsStack: replyTo === undefined ? [] : [parent?.parentsStack[0] ?? replyTo],
      };
      comments.push(created);
      return answer(created);
    });
  };

  const methods: Record<string, (params: Record<string, string>) => unknown> = {
    'wall.createComment': (params) => {
      const fromGroup = integer(params, 'from_group', false);
      if (fromGroup !== undefined && fromGroup !== 0 && fromGroup !== groupId) {
        throw new VkFailure(15, 'no access to this community');
      }
      return comment(
        'wall.createComment',
        params,
        integer(params, 'owner_id', false) ?? 0,
        integer(params, 'post_id') as number,
        (c) => ({ comment_id: c.id, parents_stack: c.parentsStack }),
      );
    },
    'photos.createComment': (params) =>
      comment(
        'photos.createComment',
        params,
        integer(params, 'owner_id', false) ?? 0,
        integer(params, 'photo_id') as number,
        (c) => c.id,
      ),
    'video.createComment': (params) =>
      comment(
        'video.createComment',
        params,
        integer(params, 'owner_id', false) ?? 0,
        integer(params, 'video_id') as number,
        (c) => c.id,
      ),
    'board.createComment': (params) =>
      comment(
        'board.createComment',
        params,
        -(integer(params, 'group_id') as number),
        integer(params, 'topic_id') as number,
        (c) => c.id,
      ),
    'messages.send': (params) => {
      const peerId = integer(params, 'peer_id') as number;
      const randomId = integer(params, 'random_id') as number;
      const message = params.message ?? '';
      const attachments = list(params.attachment);
      if (message === '' && attachments.length === 0) throw new VkFailure(100, 'message is empty or invalid');
      return once(byRandomId, randomId === 0 ? undefined : `${peerId}:${randomId}`, () => {
        const sent: FakeVkMessage = {
          peerId,
          id: nextId++,
          randomId,
          message,
          attachments,
          ...(params.forward ? { forward: JSON.parse(params.forward) as unknown } : {}),
          ...(params.reply_to ? { replyTo: Number(params.reply_to) } : {}),
        };
        messages.push(sent);
        return sent.id;
      });
    },
    'photos.getWallUploadServer': (params) => ({
      album_id: -14,
      upload_url: `${base}/upload/wall?group_id=${integer(params, 'group_id', false) ?? 0}`,
      user_id: 0,
    }),
    'photos.getMessagesUploadServer': () => ({
      album_id: -3,
      upload_url: `${base}/upload/messages`,
      group_id: groupId,
    }),
    'photos.saveWallPhoto': (params) => [savedPhoto(params, -(integer(params, 'group_id', false) ?? groupId))],
    'photos.saveMessagesPhoto': (params) => [{ ...savedPhoto(params, -groupId), access_key: 'msgkey' }],
    'video.save': (params) => {
      const id = nextId++;
      savedVideos.set(id, { uploaded: false });
      const owner = -(integer(params, 'group_id', false) ?? groupId);
      return {
        upload_url: `${base}/upload/video?video_id=${id}`,
        video_id: id,
        owner_id: owner,
        title: params.name ?? '',
        description: '',
        access_key: 'videokey',
      };
    },
  };

  const savedPhoto = (params: Record<string, string>, ownerId: number) => {
    const photo = params.photo ?? '';
    if (photo === '[]' || photo === '') throw new VkFailure(100, 'photos_list is invalid');
    const issued = uploadedPhotos.get(photo);
    if (!issued || issued.hash !== params.hash || String(issued.server) !== params.server) throw new VkFailure(121);
    return { id: nextId++, owner_id: ownerId, album_id: -14, date: Math.floor(Date.now() / 1000), sizes: [] };
  };

  const callMethod = (method: string, request: ReceivedRequest): Reply => {
    const { fields } = readForm(request);
    const key = fields.access_token ?? '';
    const params = { ...fields };
    delete params.access_token;
    const requestParams = Object.entries(params).map(([k, value]) => ({ key: k, value }));
    const fail = (error: FakeVkError): Reply => {
      calls.push({ method, params, key, error });
      return { json: { error: { ...error, request_params: requestParams } } };
    };
    try {
      if (!params.v) throw new VkFailure(8);
      if (key === '') throw new VkFailure(5, 'no access_token passed.');
      const kind = keyKind(key);
      if (!kind) throw new VkFailure(5);
      const queued = failures.take(method);
      if (queued) return fail(queued);
      if (kind === 'community' && USER_KEYS_ONLY.has(method)) throw new VkFailure(27);
      const serve = methods[method];
      if (!serve) throw new VkFailure(3);
      const response = serve(params);
      calls.push({ method, params, key });
      return { json: { response } };
    } catch (error) {
      if (error instanceof VkFailure) return fail({ error_code: error.code, error_msg: error.message });
      throw error;
    }
  };

  /** VK's upload servers: the file in its multipart field, JSON back (`{error}` when no file came). */
  const upload = (server: FakeVkUpload['server'], request: ReceivedRequest): Reply => {
    const { files } = readForm(request);
    const field = server === 'video' ? 'video_file' : 'photo';
    const file = files.find((f) => f.field === field);
    uploads.push({ server, field, fileName: file?.fileName, contentType: file?.contentType, size: file?.size ?? 0 });
    if (server === 'video') {
      const videoId = Number(request.query.get('video_id'));
      const saved = savedVideos.get(videoId);
      if (!file || !saved) return { json: { error: 'ERR_UPLOAD_BAD_VIDEO: no video_file' } };
      saved.uploaded = true;
      return { json: { size: file.size, video_id: videoId, video_hash: md5(file.bytes) } };
    }
    const serverId = server === 'wall' ? 101 : 102;
    if (!file) return { json: { server: serverId, photo: '[]', hash: md5('') } };
    const photo = JSON.stringify([{ photo: md5(file.bytes).slice(0, 10), sizes: [], kid: md5(file.fileName ?? '') }]);
    const hash = md5(photo);
    uploadedPhotos.set(photo, { hash, server: serverId });
    return { json: { server: serverId, photo, hash } };
  };

  const running = await startHttp((request) => {
    const method = /^\/method\/([\w.]+)$/.exec(request.path)?.[1];
    if (method) return callMethod(method, request);
    const server = /^\/upload\/(wall|messages|video)$/.exec(request.path)?.[1] as FakeVkUpload['server'] | undefined;
    if (server && request.method === 'POST') return upload(server, request);
    return { status: 404, text: 'Not Found' };
  });
  base = running.base;

  return {
    url: `${running.base}/method`,
    calls,
    comments,
    messages,
    uploads,
    callsOf: (method) => calls.filter((c) => c.method === method),
    failNext(method, code, { times = 1, message } = {}) {
      failures.add(method, { error_code: code, error_msg: message ?? MESSAGES[code] ?? `Error ${code}` }, times);
    },
    revoke: (key) => void revoked.add(key),
    close: () => running.close(),
  };
}

function md5(data: string | Buffer): string {
  return createHash('md5')
    .update(typeof data === 'string' ? data : new Uint8Array(data))
    .digest('hex');
}
