import { createHash } from 'node:crypto';
import {
  ConnectorSource,
  InboundAttachmentType,
  InboundConnector,
  InboundEvent,
  InboundMessage,
  InboundRequest,
  InboundVerdict,
  textReply,
} from './connector';
import { isoOfTime, ownAt } from './json-fields';
import { matchesAnySecret } from './secrets';

/**
 * VK's Callback API (dev.vk.com/ru/api/callback/getting-started): VK POSTs one JSON event
 * `{ type, group_id, event_id, v, object, secret }` per request and retries until the answer is
 * the text `ok`. The `confirmation` event is answered with the community's confirmation string.
 * The source's secret is the server's "secret key", which VK puts in every body.
 *
 * Read: comments on the community's wall, photos, videos and discussion boards (new, edited,
 * deleted, restored), suggested posts and posts of users on its wall, and private messages to
 * the community (new, edited). The community's own comments, posts and outgoing messages are
 * its answers, not citizens' messages: ignored. Every other event type is answered `ok` and
 * recorded as ignored.
 */
export const vkConnector: InboundConnector = {
  path: 'vk',
  sourceKind: 'VK_CALLBACK',
  methods: ['POST'],
  receive: receiveVk,
};

/** A VK JSON object read without trusting its shape: a field of the wrong type reads as absent. */
type VkObject = Readonly<Record<string, unknown>>;

const VK = 'https://vk.com';

function receiveVk(request: InboundRequest, source: ConnectorSource, now: Date): InboundVerdict {
  const body = parseBody(request.body);
  if (!body) return refuse(400, 'the body is not a JSON object (VK sends one event as JSON)');
  const type = body.type;
  if (typeof type !== 'string' || type === '') return refuse(400, 'type: is required');
  const groupId = integerAt(source.settings.groupId);
  if (groupId === undefined || groupId <= 0) {
    return refuse(403, `source "${source.id}" has no VK community id (settings.groupId) to check group_id against`);
  }
  const givenGroup = integerAt(body.group_id);

  if (type === 'confirmation') {
    if (givenGroup !== groupId) return refuse(403, otherCommunity(givenGroup, groupId));
    const confirmation = source.settings.confirmation;
    if (typeof confirmation !== 'string' || confirmation === '') {
      return refuse(403, `source "${source.id}" has no confirmation string (settings.confirmation) to answer VK with`);
    }
    return { kind: 'ANSWER', reply: textReply(confirmation) };
  }

  if (!matchesAnySecret(stringAt(body.secret), source.secrets)) {
    return refuse(401, 'secret does not match the secret key of this source');
  }
  if (givenGroup !== groupId) return refuse(403, otherCommunity(givenGroup, groupId));

  const read = readEvent(type, objectAt(body.object) ?? {}, { groupId, now });
  return {
    kind: 'DELIVERY',
    // event_id came with API 5.103; a retry of an older event is the same bytes again.
    deliveryId: stringAt(body.event_id) ?? `sha256:${createHash('sha256').update(request.body).digest('hex')}`,
    eventType: type,
    events: read.events,
    ...(read.ignored ? { ignored: read.ignored } : {}),
    reply: textReply('ok'),
  };
}

interface Context {
  groupId: number;
  now: Date;
}

interface Read {
  events: InboundEvent[];
  /** Why nothing was read, for the log. */
  ignored?: string;
}

/** A comment's kind: where it lives, its ids and its link. */
interface CommentKind {
  /** The id of what is commented (post, photo, video, topic) in the object. */
  parentKey: string;
  /** The owner of what is commented, in the object of a new/edited comment, then of a deleted one. */
  ownerKeys: readonly string[];
  deletedOwnerKeys: readonly string[];
  /** `wall-1_123`, `photo-1_456`, `video-1_789`, `topic-1_12`. */
  thread: (owner: number, parent: number) => string;
  /** The comment's letter in its external id: `wall-1_123_r9`. */
  mark: string;
  url: (owner: number, parent: number, comment: VkObject, id: number) => string;
}

const WALL: CommentKind = {
  parentKey: 'post_id',
  ownerKeys: ['post_owner_id', 'owner_id'],
  deletedOwnerKeys: ['owner_id'],
  thread: (owner, post) => `wall${owner}_${post}`,
  mark: 'r',
  url: (owner, post, comment, id) => {
    // A reply within a comment's thread is shown in that thread.
    const thread = integerAt(arrayAt(comment.parents_stack)[0]);
    return `${VK}/wall${owner}_${post}?reply=${id}${thread === undefined ? '' : `&thread=${thread}`}`;
  },
};

const PHOTO: CommentKind = {
  parentKey: 'photo_id',
  ownerKeys: ['photo_owner_id', 'owner_id'],
  deletedOwnerKeys: ['owner_id'],
  thread: (owner, photo) => `photo${owner}_${photo}`,
  mark: 'c',
  url: (owner, photo) => `${VK}/photo${owner}_${photo}`,
};

const VIDEO: CommentKind = {
  parentKey: 'video_id',
  ownerKeys: ['video_owner_id', 'owner_id'],
  deletedOwnerKeys: ['owner_id'],
  thread: (owner, video) => `video${owner}_${video}`,
  mark: 'c',
  url: (owner, video) => `${VK}/video${owner}_${video}`,
};

const BOARD: CommentKind = {
  parentKey: 'topic_id',
  ownerKeys: ['topic_owner_id'],
  deletedOwnerKeys: ['topic_owner_id'],
  thread: (owner, topic) => `topic${owner}_${topic}`,
  mark: 'p',
  url: (owner, topic, _comment, id) => `${VK}/topic${owner}_${topic}?post=${id}`,
};

/** Comment events by type: which kind, and what it means. A restored comment is a message again. */
const COMMENT_EVENTS: Readonly<Record<string, { kind: CommentKind; change: 'NEW' | 'EDIT' | 'DELETE' }>> = {
  wall_reply_new: { kind: WALL, change: 'NEW' },
  wall_reply_edit: { kind: WALL, change: 'EDIT' },
  wall_reply_restore: { kind: WALL, change: 'NEW' },
  wall_reply_delete: { kind: WALL, change: 'DELETE' },
  photo_comment_new: { kind: PHOTO, change: 'NEW' },
  photo_comment_edit: { kind: PHOTO, change: 'EDIT' },
  photo_comment_restore: { kind: PHOTO, change: 'NEW' },
  photo_comment_delete: { kind: PHOTO, change: 'DELETE' },
  video_comment_new: { kind: VIDEO, change: 'NEW' },
  video_comment_edit: { kind: VIDEO, change: 'EDIT' },
  video_comment_restore: { kind: VIDEO, change: 'NEW' },
  video_comment_delete: { kind: VIDEO, change: 'DELETE' },
  board_post_new: { kind: BOARD, change: 'NEW' },
  board_post_edit: { kind: BOARD, change: 'EDIT' },
  board_post_restore: { kind: BOARD, change: 'NEW' },
  board_post_delete: { kind: BOARD, change: 'DELETE' },
};

/** The event types read; every other one is answered `ok` and ignored. */
export const VK_READ_EVENT_TYPES: readonly string[] = [
  ...Object.keys(COMMENT_EVENTS),
  'wall_post_new',
  'message_new',
  'message_edit',
];

function readEvent(type: string, object: VkObject, context: Context): Read {
  const comment = ownAt(COMMENT_EVENTS, type);
  if (comment) {
    return comment.change === 'DELETE'
      ? readDeletedComment(type, comment.kind, object)
      : readComment(type, comment.kind, comment.change, object, context);
  }
  switch (type) {
    case 'wall_post_new':
      return readWallPost(object, context);
    case 'message_new':
      // From API 5.103 the message comes in `object.message`, beside `client_info`.
      return readPrivateMessage(type, objectAt(object.message) ?? object, 'NEW', context);
    case 'message_edit':
      return readPrivateMessage(type, object, 'EDIT', context);
    default:
      return { events: [], ignored: type };
  }
}

function readComment(
  type: string,
  kind: CommentKind,
  change: 'NEW' | 'EDIT',
  object: VkObject,
  context: Context,
): Read {
  const id = integerAt(object.id);
  const parent = integerAt(object[kind.parentKey]);
  const owner = firstInteger(object, kind.ownerKeys);
  const from = integerAt(object.from_id);
  if (id === undefined || parent === undefined || owner === undefined || from === undefined) {
    return malformed(type, `id, ${kind.parentKey}, ${kind.ownerKeys.join(' or ')} and from_id`);
  }
  if (from === -context.groupId) return { events: [], ignored: `${type} (the community's own comment)` };
  const thread = kind.thread(owner, parent);
  const message: InboundMessage = {
    externalId: `${thread}_${kind.mark}${id}`,
    platform: 'VK',
    url: kind.url(owner, parent, object, id),
    text: textAt(object.text),
    postedAt: postedAt(object.date, context.now),
    author: authorOf(from),
    threadId: thread,
    attachments: attachmentsOf(object.attachments),
    raw: object,
  };
  return { events: [change === 'NEW' ? { type: 'MESSAGE', message } : { type: 'EDIT', message }] };
}

function readDeletedComment(type: string, kind: CommentKind, object: VkObject): Read {
  const id = integerAt(object.id);
  const parent = integerAt(object[kind.parentKey]);
  const owner = firstInteger(object, kind.deletedOwnerKeys);
  if (id === undefined || parent === undefined || owner === undefined) {
    return malformed(type, `id, ${kind.parentKey} and ${kind.deletedOwnerKeys.join(' or ')}`);
  }
  const deleter = integerAt(object.deleter_id);
  return {
    events: [
      {
        type: 'DELETE',
        externalId: `${kind.thread(owner, parent)}_${kind.mark}${id}`,
        ...(deleter === undefined || deleter === 0 ? {} : { deletedBy: vkIdOf(deleter) }),
      },
    ],
  };
}

/**
 * A new post on the community's wall is a citizen's when it is a suggested post (`post_type`
 * suggest, offered to the community's editors) or was written by a user on an open wall; the
 * community's own posts (and postponed ones, which only it can make) are not.
 */
function readWallPost(object: VkObject, context: Context): Read {
  const type = 'wall_post_new';
  const id = integerAt(object.id);
  const owner = integerAt(object.owner_id);
  const from = integerAt(object.from_id);
  if (id === undefined || owner === undefined || from === undefined) return malformed(type, 'id, owner_id and from_id');
  const postType = stringAt(object.post_type) ?? 'post';
  if (postType === 'postpone') return { events: [], ignored: `${type} (a postponed post of the community)` };
  if (postType !== 'suggest' && from === -context.groupId) {
    return { events: [], ignored: `${type} (the community's own post)` };
  }
  const post = `wall${owner}_${id}`;
  const message: InboundMessage = {
    externalId: post,
    platform: 'VK',
    url: `${VK}/${post}`,
    text: textAt(object.text),
    postedAt: postedAt(object.date, context.now),
    author: authorOf(from),
    threadId: post,
    attachments: attachmentsOf(object.attachments),
    raw: object,
  };
  return { events: [{ type: 'MESSAGE', message }] };
}

/**
 * A private message to the community. Its id in a conversation (`conversation_message_id`) is
 * the same in message_new and message_edit; `id` stands in where it is absent. Outgoing
 * messages (`out` 1) are the community's answers.
 */
function readPrivateMessage(type: string, object: VkObject, change: 'NEW' | 'EDIT', context: Context): Read {
  const peer = integerAt(object.peer_id);
  const from = integerAt(object.from_id);
  const inConversation = positive(integerAt(object.conversation_message_id)) ?? positive(integerAt(object.id));
  if (peer === undefined || from === undefined || inConversation === undefined) {
    return malformed(type, 'peer_id, from_id and conversation_message_id or id');
  }
  if (integerAt(object.out) === 1 || from === -context.groupId) {
    return { events: [], ignored: `${type} (the community's own message)` };
  }
  const message: InboundMessage = {
    externalId: `msg-${peer}_${inConversation}`,
    platform: 'VK',
    // Private: no public link; this opens the conversation in the community's inbox, for its admins.
    url: `${VK}/gim${context.groupId}?sel=${peer}`,
    text: textAt(object.text),
    postedAt: postedAt(object.date, context.now),
    author: authorOf(from),
    threadId: `msg-${peer}`,
    attachments: attachmentsOf(object.attachments),
    raw: object,
  };
  return { events: [change === 'NEW' ? { type: 'MESSAGE', message } : { type: 'EDIT', message }] };
}

/** A VK attachment as a link Otklik can show; stickers, polls, goods and the like are left out. */
function attachmentsOf(value: unknown): InboundMessage['attachments'] {
  const read: InboundMessage['attachments'] = [];
  for (const item of arrayAt(value)) {
    const attachment = objectAt(item);
    const type = stringAt(attachment?.type);
    const content = type === undefined ? undefined : objectAt(attachment?.[type]);
    if (type === undefined || content === undefined) continue;
    const found = attachmentOf(type, content);
    if (found && /^https?:\/\//.test(found.url)) read.push(found);
  }
  return read;
}

function attachmentOf(type: string, content: VkObject): { type: InboundAttachmentType; url: string } | undefined {
  const owner = integerAt(content.owner_id);
  const id = integerAt(content.id);
  const own = (prefix: string) =>
    owner === undefined || id === undefined ? undefined : `${VK}/${prefix}${owner}_${id}`;
  const as = (kind: InboundAttachmentType, url: string | undefined) => (url ? { type: kind, url } : undefined);
  switch (type) {
    case 'photo':
      return as('PHOTO', largestPhoto(content));
    case 'posted_photo':
      return as('PHOTO', stringAt(content.photo_604) ?? stringAt(content.photo_130));
    case 'video':
      return as('VIDEO', own('video'));
    case 'doc':
      return as('DOCUMENT', stringAt(content.url));
    case 'link':
      return as('LINK', stringAt(content.url));
    case 'audio':
      return as('AUDIO', own('audio'));
    case 'audio_message':
      return as('AUDIO', stringAt(content.link_mp3) ?? stringAt(content.link_ogg));
    case 'wall':
      // A post shared into a comment or message: owner in `to_id` (older) or `owner_id`.
      return as('LINK', id === undefined ? undefined : `${VK}/wall${integerAt(content.to_id) ?? owner}_${id}`);
    default:
      return undefined;
  }
}

/** The largest copy of a photo: `sizes` (API 5.77+), or the `photo_<width>` fields of older versions. */
function largestPhoto(photo: VkObject): string | undefined {
  let best: { area: number; url: string } | undefined;
  for (const item of arrayAt(photo.sizes)) {
    const size = objectAt(item);
    const url = stringAt(size?.url) ?? stringAt(size?.src);
    if (!url) continue;
    const area = (integerAt(size?.width) ?? 0) * (integerAt(size?.height) ?? 0);
    if (!best || area > best.area) best = { area, url };
  }
  if (best) return best.url;
  const widths = Object.keys(photo)
    .map((key) => /^photo_(\d+)$/.exec(key))
    .filter((m): m is RegExpExecArray => m !== null && typeof photo[m[0]] === 'string')
    .sort((a, b) => Number(b[1]) - Number(a[1]));
  return widths.length > 0 ? (photo[widths[0][0]] as string) : undefined;
}

/** `id42` for a user, `club1` for a community (negative ids), as VK names pages. */
function vkIdOf(from: number): string {
  return from < 0 ? `club${-from}` : `id${from}`;
}

function authorOf(from: number): InboundMessage['author'] {
  const id = vkIdOf(from);
  return { id, url: `${VK}/${id}` };
}

/** When VK says it was written; when it arrived if VK says nothing usable (none, or no time of years 0–9999). */
function postedAt(date: unknown, now: Date): string {
  const seconds = integerAt(date);
  return (seconds !== undefined && seconds > 0 && isoOfTime(seconds * 1000)) || now.toISOString();
}

/**
 * A genuine event whose object lacks what it needs is answered `ok` all the same: refusing
 * would only make VK send it again, unchanged, until it switches the server off.
 */
function malformed(type: string, needed: string): Read {
  return { events: [], ignored: `${type} (malformed: ${needed} are required)` };
}

function refuse(status: 400 | 401 | 403, reason: string): InboundVerdict {
  return { kind: 'REFUSE', status, reason };
}

function otherCommunity(given: number | undefined, expected: number): string {
  return `group_id ${given ?? '(none)'} is not this source's community (${expected})`;
}

function parseBody(body: Uint8Array): VkObject | undefined {
  try {
    return objectAt(JSON.parse(Buffer.from(body).toString('utf8')));
  } catch {
    return undefined;
  }
}

function objectAt(value: unknown): VkObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as VkObject) : undefined;
}

function arrayAt(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function stringAt(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function textAt(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** VK's ids are integers, negative for communities; some come as strings. */
function integerAt(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d{1,15}$/.test(value)) return Number(value);
  return undefined;
}

function firstInteger(object: VkObject, keys: readonly string[]): number | undefined {
  for (const key of keys) {
    const value = integerAt(object[key]);
    if (value !== undefined) return value;
  }
  return undefined;
}

function positive(value: number | undefined): number | undefined {
  return value !== undefined && value > 0 ? value : undefined;
}
