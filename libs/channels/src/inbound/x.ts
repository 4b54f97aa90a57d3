import { createHmac } from 'node:crypto';
import {
  ConnectorSource,
  InboundAttachmentType,
  InboundConnector,
  InboundEvent,
  InboundMessage,
  InboundRequest,
  InboundVerdict,
  jsonReply,
  textReply,
} from './connector';
import { arrayAt, bodyDigest, isoAt, JsonObject, objectAt, ownAt, parseJsonObject, stringAt } from './json-fields';
import { refuseUnlessTurnedOn } from './restricted';
import { matchesAnySecret } from './secrets';

/**
 * X's Account Activity API
 * (https://developer.x.com/en/docs/x-api/enterprise/account-activity-api/guides/securing-webhooks):
 * posts that reply to or mention the subscribed account, and their deletion. The source secret is
 * the app's consumer secret: it answers X's challenge-response check (GET with crc_token) and
 * signs every POST (`x-twitter-webhooks-signature`, base64 HMAC-SHA256 of the body).
 *
 * X gives a delivery no id of its own; the delivery id is the digest of the body.
 */
export const X_SIGNATURE_HEADER = 'x-twitter-webhooks-signature';
export const X_PLATFORM_NAMES = 'X (Twitter)';

const RECEIVED = textReply('ok');

const MEDIA_TYPES: Readonly<Record<string, InboundAttachmentType>> = {
  photo: 'PHOTO',
  video: 'VIDEO',
  animated_gif: 'VIDEO',
};

export const xConnector: InboundConnector = {
  path: 'x',
  sourceKind: 'X_ACTIVITY',
  methods: ['GET', 'POST'],
  receive(request: InboundRequest, source: ConnectorSource, now: Date): InboundVerdict {
    const turnedOff = refuseUnlessTurnedOn(source, X_PLATFORM_NAMES);
    if (turnedOff) return turnedOff;
    return request.method === 'GET' ? challengeResponse(request, source) : deliver(request, source, now);
  },
};

/** `sha256=` + base64 HMAC-SHA256 of `data` keyed with the consumer secret: X's CRC answer and body signature. */
export function xSignature(consumerSecret: string, data: string | Uint8Array): string {
  return `sha256=${createHmac('sha256', consumerSecret).update(data).digest('base64')}`;
}

function challengeResponse(request: InboundRequest, source: ConnectorSource): InboundVerdict {
  const crcToken = request.query.crc_token;
  if (!crcToken) return { kind: 'REFUSE', status: 400, reason: 'crc_token is missing' };
  // The current secret: X checks the answer against the consumer secret the app has now.
  const [current] = source.secrets;
  if (!current) return { kind: 'REFUSE', status: 403, reason: `source ${source.id} has no consumer secret` };
  return { kind: 'ANSWER', reply: jsonReply({ response_token: xSignature(current, crcToken) }) };
}

function deliver(request: InboundRequest, source: ConnectorSource, now: Date): InboundVerdict {
  const signature = request.headers[X_SIGNATURE_HEADER];
  if (!signature) return { kind: 'REFUSE', status: 401, reason: 'the x-twitter-webhooks-signature header is missing' };
  const expected = source.secrets.map((secret) => xSignature(secret, request.body));
  if (!matchesAnySecret(signature, expected)) {
    return {
      kind: 'REFUSE',
      status: 401,
      reason: `x-twitter-webhooks-signature is not the body's HMAC with source ${source.id}'s consumer secret`,
    };
  }
  const activity = parseJsonObject(request.body);
  if (!activity) return { kind: 'REFUSE', status: 400, reason: 'the body is not a JSON object' };

  const forUserId = stringAt(activity.for_user_id);
  const types = Object.keys(activity).filter((key) => key.endsWith('_events'));
  const events: InboundEvent[] = [];
  const ignored = new Set<string>(
    types.filter((type) => type !== 'tweet_create_events' && type !== 'tweet_delete_events'),
  );

  for (const value of arrayAt(activity.tweet_create_events)) {
    const read = readTweet(objectAt(value), forUserId, now);
    if ('message' in read) events.push({ type: 'MESSAGE', message: read.message });
    else ignored.add(read.ignored);
  }
  for (const value of arrayAt(activity.tweet_delete_events)) {
    const deletion = objectAt(value);
    const status = objectAt(deletion?.status);
    const externalId = stringAt(status?.id);
    if (!externalId) {
      ignored.add('tweet_delete_events without a status id');
      continue;
    }
    const deletedBy = stringAt(status?.user_id);
    events.push({
      type: 'DELETE',
      externalId,
      deletedAt: isoAt(deletion?.timestamp_ms) ?? now.toISOString(),
      ...(deletedBy ? { deletedBy } : {}),
    });
  }
  return {
    kind: 'DELIVERY',
    deliveryId: bodyDigest(request.body),
    eventType: types.length > 0 ? types.join(',') : 'unknown',
    events,
    ...(events.length === 0 ? { ignored: ignored.size > 0 ? [...ignored].join(', ') : 'no events' } : {}),
    reply: RECEIVED,
  };
}

/**
 * A post X reports to the account: replies and mentions are citizens' messages; the account's
 * own posts and bare reposts are not.
 */
function readTweet(
  tweet: JsonObject | undefined,
  forUserId: string | undefined,
  now: Date,
): { message: InboundMessage } | { ignored: string } {
  const id = stringAt(tweet?.id_str) ?? stringAt(tweet?.id);
  if (!tweet || !id) return { ignored: 'tweet_create_events without an id' };
  const user = objectAt(tweet.user);
  const authorId = stringAt(user?.id_str) ?? stringAt(user?.id);
  if (forUserId !== undefined && authorId === forUserId)
    return { ignored: "tweet_create_events the account's own post" };
  if (objectAt(tweet.retweeted_status)) return { ignored: 'tweet_create_events a repost' };

  const screenName = stringAt(user?.screen_name);
  const name = stringAt(user?.name) ?? screenName;
  const threadId = stringAt(tweet.in_reply_to_status_id_str) ?? stringAt(tweet.quoted_status_id_str);
  return {
    message: {
      externalId: id,
      platform: 'TWITTER',
      url: `https://x.com/${screenName ?? 'i/web'}/status/${id}`,
      text: fullText(tweet),
      postedAt: isoAt(tweet.timestamp_ms) ?? isoAt(tweet.created_at) ?? now.toISOString(),
      author: {
        ...(authorId ? { id: authorId } : {}),
        ...(name ? { name } : {}),
        ...(screenName ? { url: `https://x.com/${screenName}` } : {}),
      },
      ...(threadId ? { threadId } : {}),
      attachments: media(tweet),
      // One delivery may carry several posts: each keeps only its own.
      raw: tweet,
    },
  };
}

/** A post longer than 140 characters comes truncated, with the whole text in extended_tweet. */
function fullText(tweet: JsonObject): string {
  const extended = objectAt(tweet.extended_tweet);
  for (const text of [extended?.full_text, tweet.full_text, tweet.text]) {
    if (typeof text === 'string') return text;
  }
  return '';
}

function media(tweet: JsonObject): InboundMessage['attachments'] {
  const extended = objectAt(tweet.extended_tweet);
  const entities =
    objectAt(extended?.extended_entities) ?? objectAt(tweet.extended_entities) ?? objectAt(tweet.entities);
  return arrayAt(entities?.media).flatMap((value) => {
    const item = objectAt(value);
    const type = ownAt(MEDIA_TYPES, stringAt(item?.type));
    const url = stringAt(item?.media_url_https);
    return type && url ? [{ type, url }] : [];
  });
}
