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
import { matchesAnySecret } from './secrets';

/**
 * MAX's bot API webhook (https://dev.max.ru/docs-api/methods/POST/subscriptions): one Update per
 * POST. The source secret is the `secret` given to POST /subscriptions; MAX sends it back in this
 * header on every request.
 */
export const MAX_SECRET_HEADER = 'x-max-bot-api-secret';

/** MAX counts any status but 200 as a failed delivery and retries for up to 8 hours. */
const RECEIVED = textReply('ok');

/** The update types that carry a citizen's message or comment, and what each is to us. */
const READ = {
  message_created: 'MESSAGE',
  message_edited: 'EDIT',
  message_removed: 'DELETE',
  comment_created: 'MESSAGE',
  comment_edited: 'EDIT',
  comment_removed: 'DELETE',
} as const;
type ReadType = keyof typeof READ;

/** Why the other documented update types are not read (https://dev.max.ru/docs-api/objects/Update). */
const IGNORED: Readonly<Record<string, string>> = {
  message_callback: 'a button pressed under a bot message, not something written',
  message_chat_created: 'a chat opened from a bot button',
  bot_started: 'the citizen opened the dialog with the bot; what they write next arrives as message_created',
  bot_stopped: 'the citizen stopped the bot',
  bot_added: 'the bot was added to a chat or channel',
  bot_removed: 'the bot was removed from a chat or channel',
  user_added: 'someone joined a chat',
  user_removed: 'someone left a chat',
  chat_title_changed: "a chat's title changed",
  dialog_muted: 'the citizen muted the dialog',
  dialog_unmuted: 'the citizen unmuted the dialog',
  dialog_cleared: 'the citizen cleared the dialog history (the messages stay with us)',
  dialog_removed: 'the citizen removed the dialog (the messages stay with us)',
};

/** MAX's attachment types (the Attachment schema) that carry a link we can keep. */
const ATTACHMENT_TYPES: Readonly<Record<string, InboundAttachmentType>> = {
  image: 'PHOTO',
  video: 'VIDEO',
  audio: 'AUDIO',
  file: 'DOCUMENT',
  share: 'LINK',
};

/** A whole text that is only a command (`/start`): the bot's controls, not an appeal. */
const BOT_COMMAND = /^\/[a-z0-9_]{1,64}$/i;

export const maxConnector: InboundConnector = {
  path: 'max',
  sourceKind: 'MAX_BOT',
  methods: ['POST'],
  receive(request: InboundRequest, source: ConnectorSource): InboundVerdict {
    if (request.method !== 'POST') {
      return { kind: 'REFUSE', status: 400, reason: 'MAX delivers updates by POST only' };
    }
    if (!matchesAnySecret(request.headers[MAX_SECRET_HEADER], source.secrets)) {
      return {
        kind: 'REFUSE',
        status: 401,
        reason: `X-Max-Bot-Api-Secret is not source ${source.id}'s webhook secret`,
      };
    }
    const update = parseJsonObject(request.body);
    if (!update) return { kind: 'REFUSE', status: 400, reason: 'the body is not a JSON object' };
    const eventType = stringAt(update.update_type);
    const at = isoAt(update.timestamp);
    if (!eventType || !at || typeof update.timestamp !== 'number') {
      return {
        kind: 'REFUSE',
        status: 400,
        reason: 'update_type and timestamp (Unix milliseconds) are required: the body is not a MAX Update',
      };
    }
    const deliveryId = deliveryIdOf(update, eventType, request.body);
    const { events, ignored } = Object.hasOwn(READ, eventType)
      ? readUpdate(update, eventType as ReadType, at)
      : {
          events: [],
          ignored: `${eventType}: ${Object.hasOwn(IGNORED, eventType) ? IGNORED[eventType] : 'not a message a citizen writes'}`,
        };
    return {
      kind: 'DELIVERY',
      deliveryId,
      eventType,
      events,
      ...(ignored ? { ignored } : {}),
      reply: RECEIVED,
    };
  },
};

/**
 * MAX gives an update no id of its own. A retry repeats the update as it was, so its type, the
 * message it concerns and the time it happened name it: `message_created:mid.…:1775053255737`.
 * Two edits of one message happen at different times and stay two deliveries.
 */
function deliveryIdOf(update: JsonObject, eventType: string, body: Uint8Array): string {
  const message = objectAt(update.message);
  const subject =
    stringAt(objectAt(message?.body)?.mid) ??
    stringAt(update.message_id) ??
    stringAt(objectAt(update.callback)?.callback_id) ??
    stringAt(update.chat_id);
  if (!subject) return bodyDigest(body);
  const id = `${eventType}:${subject}:${String(update.timestamp)}`;
  return id.length <= 200 ? id : bodyDigest(body);
}

interface Reading {
  events: InboundEvent[];
  ignored?: string;
}

/**
 * An update that passed the secret but cannot be read is acknowledged and recorded, not refused:
 * MAX would only send it again, unchanged, for hours.
 */
function malformed(eventType: string, needed: string): Reading {
  return { events: [], ignored: `${eventType} (malformed: ${needed} is required)` };
}

function readUpdate(update: JsonObject, eventType: ReadType, at: string): Reading {
  if (READ[eventType] === 'DELETE') {
    const externalId = stringAt(update.message_id);
    if (!externalId) return malformed(eventType, 'message_id');
    const userId = stringAt(update.user_id);
    return {
      events: [{ type: 'DELETE', externalId, deletedAt: at, ...(userId ? { deletedBy: `max${userId}` } : {}) }],
    };
  }
  const message = objectAt(update.message);
  if (!message) return malformed(eventType, 'message');
  const read = readMessage(message, eventType);
  if (typeof read === 'string') return { events: [], ignored: `${eventType}: ${read}` };
  return {
    events: [
      READ[eventType] === 'EDIT' ? { type: 'EDIT', message: read, editedAt: at } : { type: 'MESSAGE', message: read },
    ],
  };
}

/** The message in Otklik's terms, or why it is not a citizen's message. */
function readMessage(message: JsonObject, eventType: ReadType): InboundMessage | string {
  const comment = eventType.startsWith('comment_');
  const recipient = objectAt(message.recipient);
  const chatId = stringAt(recipient?.chat_id);
  const sender = objectAt(message.sender);
  // Documented: sender "can be null if message has been posted on behalf of a channel".
  if (!comment && recipient?.chat_type === 'channel') return "a post of the administration's own channel";
  if (!sender) return 'posted on behalf of the channel';
  if (sender.is_bot === true) return 'sent by a bot';

  const body = objectAt(message.body);
  // "Body … could be null if message contains only forwarded message": the forward is the content.
  const link = objectAt(message.link);
  const forwarded = !body && link?.type === 'forward' ? objectAt(link.message) : undefined;
  const content = body ?? forwarded;
  const text = typeof content?.text === 'string' ? content.text : '';
  const attachments = arrayAt(content?.attachments).flatMap(readAttachment);
  if (attachments.length === 0) {
    if (text.trim() === '') return 'no text and no file';
    if (BOT_COMMAND.test(text.trim())) return `the bot command ${text.trim()}`;
  }

  const postedAt = isoAt(message.timestamp);
  const mid = stringAt(body?.mid);
  // A bare forward has no mid of its own: the chat, the forwarded message and the time name it.
  const externalId =
    mid ??
    (forwarded && chatId && postedAt
      ? `forward:${chatId}:${stringAt(forwarded.mid) ?? ''}:${String(message.timestamp)}`
      : undefined);
  if (!externalId || !postedAt) return 'malformed: body.mid and message.timestamp are required';

  const postId = stringAt(recipient?.post_id);
  const threadId = comment ? postId : chatId;
  const url = stringAt(message.url);
  const author = authorOf(sender);
  return {
    externalId,
    platform: 'MAX',
    ...(url && /^https?:\/\//.test(url) ? { url } : {}),
    text,
    postedAt,
    ...(author ? { author } : {}),
    ...(threadId ? { threadId } : {}),
    attachments,
  };
}

function authorOf(sender: JsonObject): InboundMessage['author'] {
  const userId = stringAt(sender.user_id);
  const fullName = [sender.first_name, sender.last_name]
    .filter((part): part is string => typeof part === 'string' && part !== '')
    .join(' ');
  const name = fullName || stringAt(sender.name);
  const username = stringAt(sender.username);
  if (!userId && !name) return undefined;
  return {
    ...(userId ? { id: `max${userId}` } : {}),
    ...(name ? { name } : {}),
    ...(username ? { url: `https://max.ru/${username}` } : {}),
  };
}

/** The attachment's public URL; MAX's `token` (for re-sending the file from the bot) is not kept. */
function readAttachment(value: unknown): InboundMessage['attachments'] {
  const attachment = objectAt(value);
  const type = ownAt(ATTACHMENT_TYPES, stringAt(attachment?.type));
  const url = stringAt(objectAt(attachment?.payload)?.url);
  return type && url && /^https?:\/\//.test(url) ? [{ type, url }] : [];
}
