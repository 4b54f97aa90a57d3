import type { Message, PhotoSize, Update, User } from '@grammyjs/types';
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
import { isoOfTime, objectAt, parseJsonObject } from './json-fields';
import { matchesAnySecret } from './secrets';

/**
 * Telegram's Bot API webhook (https://core.telegram.org/bots/api#setwebhook): one Update per
 * POST. The source secret is the `secret_token` given to setWebhook; Telegram sends it back in
 * this header on every request.
 */
export const TELEGRAM_SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/**
 * How a file Telegram delivered is kept: `tg-file:<file_id>`. A downloadable URL
 * (`{TELEGRAM_API_URL}/file/bot<token>/<file_path>`) holds the bot token and needs a getFile call
 * first, so it is built by whoever fetches the file, with the source's token, when it is needed.
 */
export const TELEGRAM_FILE_PREFIX = 'tg-file:';

/** Telegram looks at the status only; anything but 2xx is sent again. */
const RECEIVED = textReply('ok');

/** Update fields that carry a message a citizen may have written, and what each is to us. */
const MESSAGE_FIELDS = {
  message: 'MESSAGE',
  edited_message: 'EDIT',
  business_message: 'MESSAGE',
  edited_business_message: 'EDIT',
} as const;
type MessageField = keyof typeof MESSAGE_FIELDS;

/** A whole text that is only a command (`/start`, `/help@bot`): the bot's controls, not an appeal. */
const BOT_COMMAND = /^\/[a-z0-9_]{1,32}(@[a-z0-9_]{3,32})?$/i;

export const telegramConnector: InboundConnector = {
  path: 'telegram',
  sourceKind: 'TELEGRAM_BOT',
  methods: ['POST'],
  receive(request: InboundRequest, source: ConnectorSource): InboundVerdict {
    if (request.method !== 'POST') {
      return { kind: 'REFUSE', status: 400, reason: 'Telegram delivers updates by POST only' };
    }
    if (!matchesAnySecret(request.headers[TELEGRAM_SECRET_HEADER], source.secrets)) {
      return {
        kind: 'REFUSE',
        status: 401,
        reason: `X-Telegram-Bot-Api-Secret-Token is not source ${source.id}'s webhook secret token`,
      };
    }
    const body = parseJsonObject(request.body);
    if (!body) return { kind: 'REFUSE', status: 400, reason: 'the body is not a JSON object' };
    if (!Number.isSafeInteger(body.update_id)) {
      return { kind: 'REFUSE', status: 400, reason: 'update_id: must be an integer (the body is not an Update)' };
    }
    // "At most one of the optional fields can be present in any given update."
    const eventType = Object.keys(body).find((key) => key !== 'update_id') ?? 'none';
    const read = readUpdate(body as unknown as Update, eventType);
    return {
      kind: 'DELIVERY',
      deliveryId: String(body.update_id),
      eventType,
      events: read.events,
      ...(read.ignored ? { ignored: read.ignored } : {}),
      reply: RECEIVED,
    };
  },
};

interface Reading {
  events: InboundEvent[];
  ignored?: string;
}

function readUpdate(update: Update, eventType: string): Reading {
  if (Object.hasOwn(MESSAGE_FIELDS, eventType)) {
    const field = eventType as MessageField;
    const message: unknown = update[field];
    if (!isMessage(message)) return malformed(field, 'message_id, date and chat');
    const read = readMessage(message, field);
    if (typeof read === 'string') return { events: [], ignored: `${field}: ${read}` };
    return {
      events: [
        MESSAGE_FIELDS[field] === 'EDIT'
          ? { type: 'EDIT', message: read, ...editedAt(message.edit_date) }
          : { type: 'MESSAGE', message: read },
      ],
    };
  }
  if (eventType === 'deleted_business_messages') {
    const deleted = update.deleted_business_messages;
    const ids = Array.isArray(deleted?.message_ids) ? deleted.message_ids.filter(Number.isSafeInteger) : [];
    if (!deleted || typeof deleted.business_connection_id !== 'string' || !Number.isSafeInteger(deleted.chat?.id)) {
      return malformed(eventType, 'business_connection_id and chat');
    }
    const prefix = businessPrefix(deleted.business_connection_id);
    return {
      events: ids.map((id) => ({ type: 'DELETE', externalId: `${prefix}${deleted.chat.id}_${id}` })),
    };
  }
  if (eventType === 'channel_post' || eventType === 'edited_channel_post') {
    // A channel sends updates only to bots that administer it: the administration's own posts.
    // Citizens answer them in the linked discussion group, which arrives as `message`.
    return { events: [], ignored: `${eventType}: a post of the administration's own channel` };
  }
  return { events: [], ignored: `${eventType}: not a message a citizen writes` };
}

/**
 * An update that passed the secret but cannot be read is acknowledged and recorded, not refused:
 * refusing would only make Telegram send it again unchanged.
 */
function malformed(field: string, needed: string): Reading {
  return { events: [], ignored: `${field} (malformed: ${needed} are required)` };
}

/** Only the fields every Message has are checked; the rest are read where they are used. */
function isMessage(value: unknown): value is Message {
  const message = objectAt(value);
  const chat = objectAt(message?.chat);
  return (
    !!message &&
    !!chat &&
    Number.isSafeInteger(message.message_id) &&
    Number.isSafeInteger(message.date) &&
    Number.isSafeInteger(chat.id) &&
    typeof chat.type === 'string'
  );
}

/** The message in Otklik's terms, or why it is not a citizen's message. */
function readMessage(message: Message, field: MessageField): InboundMessage | string {
  const business = field === 'business_message' || field === 'edited_business_message';
  const notACitizen = whyNotACitizen(message, business);
  if (notACitizen) return notACitizen;

  const text =
    typeof message.text === 'string' ? message.text : typeof message.caption === 'string' ? message.caption : '';
  const attachments = attachmentsOf(message);
  if (attachments.length === 0) {
    if (text.trim() === '') return 'no text, caption or file (a service message, a sticker, a poll, …)';
    if (BOT_COMMAND.test(text.trim())) return `the bot command ${text.trim()}`;
  }

  const postedAt = isoOf(message.date);
  if (!postedAt) return `date ${message.date} is not a time (Unix seconds of the years 0–9999)`;

  const prefix = business ? businessPrefix(message.business_connection_id ?? '') : '';
  const url = urlOf(message);
  const author = authorOf(message.from);
  return {
    externalId: `${prefix}${message.chat.id}_${message.message_id}`,
    platform: 'TELEGRAM',
    ...(url ? { url } : {}),
    text,
    postedAt,
    ...(author ? { author } : {}),
    threadId: `${prefix}${threadOf(message)}`,
    attachments,
  };
}

/**
 * The administration's own messages and machines' are not appeals. Sent on behalf of a chat
 * (`sender_chat`) in a group are the group's anonymous administrators, the channel's posts copied
 * into its discussion group, and the channel answering there: all the administration's voice.
 */
function whyNotACitizen(message: Message, business: boolean): string | undefined {
  if (message.is_automatic_forward) return "the channel's post, copied into its discussion group";
  if (message.sender_chat) {
    return message.sender_chat.id === message.chat.id
      ? 'sent by an anonymous administrator of the group'
      : `sent on behalf of the ${message.sender_chat.type} ${message.sender_chat.id}`;
  }
  if (!message.from) return 'no sender';
  if (message.from.is_bot) return 'sent by a bot';
  // In a business chat the chat id is the customer's; the account's owner writes there too.
  if (business && (message.from.id !== message.chat.id || message.sender_business_bot)) {
    return 'sent by the business account, not to it';
  }
  return undefined;
}

/**
 * The conversation a message belongs to. A private chat is one conversation with one citizen. In
 * a group it is the message thread — the forum topic, the comments under a channel post (rooted at
 * the post's copy in the discussion group) or a reply chain — named by its first message, so every
 * comment under one post, replies to comments included, shares it. A group message that starts no
 * thread is the first message of its own.
 */
function threadOf(message: Message): string {
  if (message.chat.type === 'private') return String(message.chat.id);
  // A channel's direct-messages chat keeps one topic per citizen writing to the channel.
  const topic = message.direct_messages_topic?.topic_id;
  if (topic !== undefined) return `${message.chat.id}_topic${topic}`;
  const root = message.message_thread_id ?? message.reply_to_message?.message_id ?? message.message_id;
  return `${message.chat.id}_${root}`;
}

/** A public link where there is one: the comment under the channel post, or the group message. */
function urlOf(message: Message): string | undefined {
  const post = commentedPost(message);
  if (post?.username) return `https://t.me/${post.username}/${post.messageId}?comment=${message.message_id}`;
  const chat = message.chat;
  if ((chat.type === 'supergroup' || chat.type === 'channel') && chat.username) {
    return `https://t.me/${chat.username}/${message.message_id}`;
  }
  return undefined;
}

/**
 * The channel post a comment answers directly: a reply to the post's automatic copy in the
 * discussion group, whose forward_origin names the channel and the post.
 */
function commentedPost(message: Message): { username?: string; messageId: number } | undefined {
  const copy = message.reply_to_message;
  const origin = copy?.is_automatic_forward ? copy.forward_origin : undefined;
  if (origin?.type !== 'channel') return undefined;
  // Read without trusting the shape, as the rest of the origin: a delivery lacking `chat` is no reason to fail.
  const username = objectAt(origin.chat)?.username;
  return { username: typeof username === 'string' ? username : undefined, messageId: origin.message_id };
}

function authorOf(user: User | undefined): InboundMessage['author'] {
  if (!user) return undefined;
  const name = [user.first_name, user.last_name].filter((part) => typeof part === 'string' && part !== '').join(' ');
  return {
    id: `tg${user.id}`,
    ...(name ? { name } : {}),
    ...(user.username ? { url: `https://t.me/${user.username}` } : {}),
  };
}

/** The files a message carries, each by its file_id (see TELEGRAM_FILE_PREFIX). */
function attachmentsOf(message: Message): InboundMessage['attachments'] {
  const files: Array<[InboundAttachmentType, { file_id?: unknown } | undefined]> = [
    ['PHOTO', largest(message.photo)],
    // An animation comes with a `document` copy of itself "for backward compatibility".
    ['VIDEO', message.animation],
    ['VIDEO', message.video],
    ['VIDEO', message.video_note],
    ['DOCUMENT', message.animation ? undefined : message.document],
    ['AUDIO', message.voice],
    ['AUDIO', message.audio],
  ];
  return files.flatMap(([type, file]) =>
    typeof file?.file_id === 'string' && file.file_id !== ''
      ? [{ type, url: `${TELEGRAM_FILE_PREFIX}${file.file_id}` }]
      : [],
  );
}

/** A photo comes in several sizes; the largest is the one worth keeping. */
function largest(sizes: PhotoSize[] | undefined): PhotoSize | undefined {
  if (!Array.isArray(sizes)) return undefined;
  const area = (size: PhotoSize) => (Number(size.width) || 0) * (Number(size.height) || 0);
  return sizes
    .filter((size) => objectAt(size) !== undefined)
    .reduce<PhotoSize | undefined>((best, size) => (!best || area(size) > area(best) ? size : best), undefined);
}

/**
 * A business account's chats are its own, "independent from any potential bot chat which might
 * share the same identifier": their ids carry the connection, which a reply needs too.
 */
function businessPrefix(connectionId: string): string {
  return `business:${connectionId}:`;
}

function editedAt(editDate: unknown): { editedAt?: string } {
  const at = isoOf(editDate);
  return at ? { editedAt: at } : {};
}

/** Unix seconds as ISO 8601; none for what is not a whole number of seconds of the years 0–9999. */
function isoOf(unixSeconds: unknown): string | undefined {
  return Number.isSafeInteger(unixSeconds) ? isoOfTime((unixSeconds as number) * 1000) : undefined;
}
