import { createHmac } from 'node:crypto';
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
import { arrayAt, bodyDigest, isoAt, JsonObject, objectAt, ownAt, parseJsonObject, stringAt } from './json-fields';
import { refuseUnlessTurnedOn } from './restricted';
import { matchesAnySecret } from './secrets';

/**
 * Meta's Webhooks (https://developers.facebook.com/docs/graph-api/webhooks/getting-started):
 * comments under a Facebook Page's posts (Page object, `feed` field) and under an Instagram
 * professional account's media (Instagram object, `comments` field), both to one app's callback
 * URL. The source secret is the app secret, which signs every POST (`X-Hub-Signature-256`); the
 * verify token Meta echoes when the URL is registered is credentials.verifyToken.
 *
 * Meta gives a delivery no id of its own and may batch several changes in one; the delivery id is
 * the digest of the body, so a retry of the same bytes is stored once.
 */
export const META_SIGNATURE_HEADER = 'x-hub-signature-256';
export const META_PLATFORM_NAMES = 'Facebook and Instagram (Meta)';

/** Meta's documented answer to a delivery; anything but 200 makes it send again. */
const RECEIVED = textReply('EVENT_RECEIVED');

const COMMENT_VERBS: Readonly<Record<string, InboundEvent['type']>> = {
  add: 'MESSAGE',
  edited: 'EDIT',
  remove: 'DELETE',
};

export const metaConnector: InboundConnector = {
  path: 'meta',
  sourceKind: 'META_WEBHOOK',
  methods: ['GET', 'POST'],
  receive(request: InboundRequest, source: ConnectorSource, now: Date): InboundVerdict {
    const turnedOff = refuseUnlessTurnedOn(source, META_PLATFORM_NAMES);
    if (turnedOff) return turnedOff;
    return request.method === 'GET' ? verify(request, source) : deliver(request, source, now);
  },
};

/** Meta's verification request: hub.mode=subscribe, our verify token, and a challenge to echo. */
function verify(request: InboundRequest, source: ConnectorSource): InboundVerdict {
  const verifyToken = source.credentials.verifyToken;
  if (!verifyToken) {
    return { kind: 'REFUSE', status: 403, reason: `source ${source.id} has no verify token (credentials.verifyToken)` };
  }
  if (request.query['hub.mode'] !== 'subscribe') {
    return { kind: 'REFUSE', status: 403, reason: 'hub.mode is not subscribe' };
  }
  if (!matchesAnySecret(request.query['hub.verify_token'], [verifyToken])) {
    return { kind: 'REFUSE', status: 403, reason: `hub.verify_token is not source ${source.id}'s verify token` };
  }
  const challenge = request.query['hub.challenge'];
  if (!challenge) return { kind: 'REFUSE', status: 400, reason: 'hub.challenge is missing' };
  return { kind: 'ANSWER', reply: textReply(challenge) };
}

function deliver(request: InboundRequest, source: ConnectorSource, now: Date): InboundVerdict {
  const signature = request.headers[META_SIGNATURE_HEADER];
  if (!signature) return { kind: 'REFUSE', status: 401, reason: 'the X-Hub-Signature-256 header is missing' };
  // Hex, so its case carries nothing; Meta writes it in lower case.
  const expected = source.secrets.map(
    (secret) => `sha256=${createHmac('sha256', secret).update(request.body).digest('hex')}`,
  );
  if (!matchesAnySecret(signature.toLowerCase(), expected)) {
    return {
      kind: 'REFUSE',
      status: 401,
      reason: `X-Hub-Signature-256 is not the body's HMAC with source ${source.id}'s app secret`,
    };
  }
  const notification = parseJsonObject(request.body);
  if (!notification) return { kind: 'REFUSE', status: 400, reason: 'the body is not a JSON object' };

  const object = stringAt(notification.object) ?? 'unknown';
  const events: InboundEvent[] = [];
  const types = new Set<string>();
  const ignored = new Set<string>();
  for (const entryValue of arrayAt(notification.entry)) {
    const entry = objectAt(entryValue);
    if (!entry) continue;
    for (const changeValue of arrayAt(entry.changes)) {
      const change = objectAt(changeValue);
      const field = stringAt(change?.field) ?? 'unknown';
      types.add(`${object}.${field}`);
      const value = objectAt(change?.value);
      const read = value ? readChange(object, field, entry, value, now) : undefined;
      if (read && 'event' in read) events.push(read.event);
      else ignored.add(read?.ignored ?? `${object}.${field}`);
    }
  }
  return {
    kind: 'DELIVERY',
    deliveryId: bodyDigest(request.body),
    eventType: types.size > 0 ? [...types].join(',') : object,
    events,
    ...(events.length === 0
      ? { ignored: ignored.size > 0 ? [...ignored].join(', ') : `${object} with no changes` }
      : {}),
    reply: RECEIVED,
  };
}

type Read = { event: InboundEvent } | { ignored: string };

function readChange(object: string, field: string, entry: JsonObject, value: JsonObject, now: Date): Read {
  if (object === 'page' && field === 'feed') return readPageFeed(entry, value, now);
  if (object === 'instagram' && field === 'comments') return readInstagramComment(entry, value, now);
  return { ignored: `${object}.${field}` };
}

/** A Page feed change; only comments are citizens' messages (posts and reactions are not). */
function readPageFeed(entry: JsonObject, value: JsonObject, now: Date): Read {
  const item = stringAt(value.item) ?? 'unknown';
  const verb = stringAt(value.verb) ?? 'unknown';
  const type = ownAt(COMMENT_VERBS, verb);
  const commentId = stringAt(value.comment_id);
  if (item !== 'comment' || !type || !commentId) return { ignored: `page.feed ${item} ${verb}` };
  const from = objectAt(value.from);
  if (stringAt(from?.id) === stringAt(entry.id)) return { ignored: "page.feed the Page's own comment" };

  const changedAt = isoAt(entry.time) ?? now.toISOString();
  if (type === 'DELETE') return { event: { type, externalId: commentId, deletedAt: changedAt } };

  const postId = stringAt(value.post_id);
  const authorId = stringAt(from?.id);
  const authorName = stringAt(from?.name);
  const url = facebookCommentUrl(postId, commentId);
  const message: InboundMessage = {
    externalId: commentId,
    platform: 'FACEBOOK',
    ...(url ? { url } : {}),
    text: typeof value.message === 'string' ? value.message : '',
    postedAt: isoAt(value.created_time) ?? changedAt,
    ...(authorId || authorName
      ? { author: { ...(authorId ? { id: authorId } : {}), ...(authorName ? { name: authorName } : {}) } }
      : {}),
    ...(postId ? { threadId: postId } : {}),
    attachments: [...linkAttachment('PHOTO', value.photo), ...linkAttachment('VIDEO', value.video)],
    // One delivery may carry many people's comments: each keeps only its own change.
    raw: value,
  };
  return { event: type === 'EDIT' ? { type, message, editedAt: changedAt } : { type: 'MESSAGE', message } };
}

/** A new comment on the account's media. Meta sends no webhook when one is edited or deleted. */
function readInstagramComment(entry: JsonObject, value: JsonObject, now: Date): Read {
  const commentId = stringAt(value.id);
  if (!commentId) return { ignored: 'instagram.comments without an id' };
  const from = objectAt(value.from);
  const authorId = stringAt(from?.id);
  if (authorId !== undefined && authorId === stringAt(entry.id)) {
    return { ignored: "instagram.comments the account's own comment" };
  }
  const username = stringAt(from?.username);
  const mediaId = stringAt(objectAt(value.media)?.id);
  return {
    event: {
      type: 'MESSAGE',
      message: {
        externalId: commentId,
        platform: 'INSTAGRAM',
        text: typeof value.text === 'string' ? value.text : '',
        postedAt: isoAt(entry.time) ?? now.toISOString(),
        ...(authorId || username
          ? {
              author: {
                ...(authorId ? { id: authorId } : {}),
                ...(username
                  ? { name: username, url: `https://www.instagram.com/${encodeURIComponent(username)}/` }
                  : {}),
              },
            }
          : {}),
        ...(mediaId ? { threadId: mediaId } : {}),
        attachments: [],
        raw: value,
      },
    },
  };
}

/**
 * A Page post id is `{pageId}_{postNumber}`, a comment id `{postNumber}_{commentNumber}`; the
 * comment's permalink is built from them, as facebook.com links comments.
 */
function facebookCommentUrl(postId: string | undefined, commentId: string): string | undefined {
  const post = /^(\d+)_(\d+)$/.exec(postId ?? '');
  const comment = /^\d+_(\d+)$/.exec(commentId);
  if (!post || !comment) return undefined;
  return `https://www.facebook.com/${post[1]}/posts/${post[2]}?comment_id=${comment[1]}`;
}

function linkAttachment(type: InboundAttachmentType, value: unknown): InboundMessage['attachments'] {
  const url = stringAt(value);
  return url && /^https:\/\//.test(url) ? [{ type, url }] : [];
}
