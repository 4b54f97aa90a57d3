import {
  InboundAttachmentType,
  InboundConnector,
  InboundMessage,
  InboundRequest,
  InboundVerdict,
  ConnectorSource,
  textReply,
} from './connector';
import { arrayAt, bodyDigest, isoAt, JsonObject, objectAt, ownAt, parseJsonObject, stringAt } from './json-fields';
import { matchesAnySecret } from './secrets';

/**
 * Odnoklassniki's Bot API for groups (https://apiok.ru/dev/graph_api/bot_api): messages written to
 * the group's chats, pushed as JSON to the URL registered with
 * `POST https://api.ok.ru/graph/me/subscribe {"url": …}`
 * (https://apiok.ru/dev/graph_api/methods/graph.user/graph.user.subscribe/post).
 *
 * OK signs nothing and sends no secret, so the URL registered carries the source secret:
 * `/webhooks/ok/{sourceId}?secret={secret}`, compared in constant time. Comments under the
 * group's topics are not available through OK's bot API: it reports chat events only.
 */
export const OK_SECRET_PARAMETER = 'secret';

/** apiok.ru's attachment types (graph.chat.messages) that carry a link we can keep. */
const ATTACHMENT_TYPES: Readonly<Record<string, InboundAttachmentType>> = {
  IMAGE: 'PHOTO',
  VIDEO: 'VIDEO',
  AUDIO: 'AUDIO',
  MUSIC: 'AUDIO',
  FILE: 'DOCUMENT',
  SHARE: 'LINK',
};

/** The reply does not matter to OK beyond its status: 200 within 5 seconds, or it sends again. */
const RECEIVED = textReply('ok');

export const okConnector: InboundConnector = {
  path: 'ok',
  sourceKind: 'OK_BOT',
  methods: ['POST'],
  receive(request: InboundRequest, source: ConnectorSource, now: Date): InboundVerdict {
    if (request.method !== 'POST') {
      return { kind: 'REFUSE', status: 400, reason: 'OK delivers chat events by POST only' };
    }
    if (!matchesAnySecret(request.query[OK_SECRET_PARAMETER], source.secrets)) {
      return {
        kind: 'REFUSE',
        status: 401,
        reason: `the URL's ?${OK_SECRET_PARAMETER}= is not source ${source.id}'s secret`,
      };
    }
    const update = parseJsonObject(request.body);
    if (!update) return { kind: 'REFUSE', status: 400, reason: 'the body is not a JSON object' };

    // The documented examples carry no webhookType; later deliveries name it. A body with a
    // message and no type is a new message.
    const eventType = stringAt(update.webhookType) ?? (objectAt(update.message) ? 'MESSAGE_CREATED' : 'UNKNOWN');
    const mid = stringAt(objectAt(update.message)?.mid);
    const deliveryId = mid ?? bodyDigest(request.body);
    if (eventType !== 'MESSAGE_CREATED') {
      return { kind: 'DELIVERY', deliveryId, eventType, events: [], ignored: eventType, reply: RECEIVED };
    }
    const message = readMessage(update, now);
    if (!message) {
      return {
        kind: 'DELIVERY',
        deliveryId,
        eventType,
        events: [],
        ignored: 'MESSAGE_CREATED with no mid, or with neither text nor attachments',
        reply: RECEIVED,
      };
    }
    return { kind: 'DELIVERY', deliveryId, eventType, events: [{ type: 'MESSAGE', message }], reply: RECEIVED };
  },
};

function readMessage(update: JsonObject, now: Date): InboundMessage | undefined {
  const message = objectAt(update.message);
  const externalId = stringAt(message?.mid);
  if (!message || !externalId) return undefined;
  const text = typeof message.text === 'string' ? message.text : '';
  const attachments = arrayAt(message.attachments).flatMap(readAttachment);
  if (text.trim() === '' && attachments.length === 0) return undefined;

  const sender = objectAt(update.sender);
  const userId = stringAt(sender?.user_id)?.replace(/^user:/, '');
  const name = stringAt(sender?.name);
  const chatId = stringAt(objectAt(update.recipient)?.chat_id);
  return {
    externalId,
    platform: 'OK',
    text,
    postedAt: isoAt(update.timestamp) ?? now.toISOString(),
    ...(userId || name
      ? {
          author: {
            ...(userId ? { id: userId, url: `https://ok.ru/profile/${userId}` } : {}),
            ...(name ? { name } : {}),
          },
        }
      : {}),
    ...(chatId ? { threadId: chatId } : {}),
    attachments,
  };
}

function readAttachment(value: unknown): InboundMessage['attachments'] {
  const attachment = objectAt(value);
  const type = ownAt(ATTACHMENT_TYPES, stringAt(attachment?.type));
  const url = stringAt(objectAt(attachment?.payload)?.url);
  return type && url && /^https?:\/\//.test(url) ? [{ type, url }] : [];
}
