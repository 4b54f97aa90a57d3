/**
 * What a reply may be on each platform (REQUIREMENTS cl. 10, "the answer fits the platform's
 * format"): one table, every figure with where it comes from. A figure is `verified` only when
 * an official page of the platform (or its own published schema) states it; otherwise the note
 * says what it rests on. A `null` limit means none is known and none is checked.
 */
import type { Platform } from '@otklik/contracts';
import type { CountingRule } from './text-length';

export const ATTACHMENT_KINDS = ['PHOTO', 'VIDEO'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

export interface Source {
  readonly url: string;
  /** A short quote, or the method and field the figure comes from. */
  readonly says: string;
}

export interface Figure<T> {
  readonly value: T;
  readonly verified: boolean;
  readonly sources: readonly Source[];
  /** Why the figure is not verified, or how it is applied. */
  readonly note?: string;
}

export interface PlatformLimits {
  readonly platform: Platform;
  /** As an official reads it in a sentence. */
  readonly name: string;
  /** How Otklik's answer appears there. */
  readonly replyAs: string;
  readonly counting: Figure<CountingRule>;
  /** The longest reply text. */
  readonly textLimit: Figure<number | null>;
  /** Where attached media carries the text as its caption, the longest caption; null: the text limit applies with media too. */
  readonly captionLimit: Figure<number> | null;
  readonly maxAttachments: Figure<number | null>;
  readonly attachmentKinds: Figure<readonly AttachmentKind[]>;
  /** Largest file per kind, in bytes (1 MB = 1,000,000 bytes, the stricter reading of "MB"). */
  readonly maxBytes: Readonly<Partial<Record<AttachmentKind, Figure<number>>>>;
  /** Media types the platform takes per kind; a kind without an entry is not checked. */
  readonly contentTypes: Readonly<Partial<Record<AttachmentKind, Figure<readonly string[]>>>>;
  /** True where a video must be the only attachment (X: up to 4 photos, or 1 video). */
  readonly videoAlone: Figure<boolean>;
}

export const MB = 1_000_000;

const TELEGRAM_API = 'https://core.telegram.org/bots/api';
const MAX_NEW_MESSAGE = 'https://dev.max.ru/docs-api/objects/NewMessageBody';
const MAX_ATTACHMENT_TYPES = 'https://dev.max.ru/docs-api/use-cases/sending-messages/attachment-types';
const VK_SCHEMA = 'https://github.com/VKCOM/vk-api-schema/blob';
const VK_LIMITS = 'https://github.com/SevereCloud/vk-limits/blob/master/src/data.ts';
const TWITTER_TEXT = 'https://github.com/twitter/twitter-text/blob/master/config/v3.json';
const IG_REPLIES =
  'https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-comment/replies';
const FB_COMMENTS = 'https://developers.facebook.com/docs/graph-api/reference/object/comments';

function verified<T>(value: T, ...sources: Source[]): Figure<T> {
  return Object.freeze({ value, verified: true, sources: Object.freeze(sources) });
}

function unverified<T>(value: T, note: string, ...sources: Source[]): Figure<T> {
  return Object.freeze({ value, verified: false, sources: Object.freeze(sources), note });
}

const STRICTER_COUNT =
  'The documentation says "characters" without saying of what; UTF-16 code units are counted because that is never more lenient than code points (an emoji counts 2).';
const NOT_ALONE = unverified(false, 'No rule found that keeps a video apart from other attachments.');
const PHOTO_AND_VIDEO = Object.freeze(['PHOTO', 'VIDEO'] as const);

/** Where Otklik does not publish through an API, the official does it by hand and the place's own rules apply. */
function byHand(platform: Platform, name: string, replyAs: string, why: string): PlatformLimits {
  return Object.freeze({
    platform,
    name,
    replyAs,
    counting: unverified<CountingRule>('codepoints', why),
    textLimit: unverified(null, why),
    captionLimit: null,
    maxAttachments: unverified(null, why),
    attachmentKinds: unverified(PHOTO_AND_VIDEO, why),
    maxBytes: Object.freeze({}),
    contentTypes: Object.freeze({}),
    videoAlone: NOT_ALONE,
  });
}

export const PLATFORM_LIMITS: Readonly<Record<Platform, PlatformLimits>> = Object.freeze({
  TELEGRAM: Object.freeze({
    platform: 'TELEGRAM',
    name: 'Telegram',
    replyAs:
      'a bot message replying to the citizen (Bot API sendMessage; with media sendPhoto, sendVideo or sendMediaGroup)',
    counting: unverified<CountingRule>(
      'utf16',
      'The Bot API states its limits in "characters" and measures message entities in UTF-16 code units. A third-party live test (github.com/FerroxLabs/wayland/issues/934) had 4,096 emoji (8,192 UTF-16 units) accepted, i.e. code points; UTF-16 is kept because it is never more lenient.',
      {
        url: `${TELEGRAM_API}#messageentity`,
        says: 'MessageEntity.offset: "Offset in UTF-16 code units to the start of the entity"',
      },
    ),
    textLimit: verified(4096, {
      url: `${TELEGRAM_API}#sendmessage`,
      says: 'sendMessage.text: "Text of the message to be sent, 1-4096 characters after entities parsing"',
    }),
    captionLimit: verified(
      1024,
      {
        url: `${TELEGRAM_API}#sendphoto`,
        says: 'sendPhoto.caption: "Photo caption …, 0-1024 characters after entities parsing"',
      },
      {
        url: `${TELEGRAM_API}#sendvideo`,
        says: 'sendVideo.caption: "Video caption …, 0-1024 characters after entities parsing"',
      },
    ),
    maxAttachments: verified(10, {
      url: `${TELEGRAM_API}#sendmediagroup`,
      says: 'sendMediaGroup.media: "A JSON-serialized array describing messages to be sent, must include 2-10 items"',
    }),
    attachmentKinds: verified(PHOTO_AND_VIDEO, {
      url: `${TELEGRAM_API}#sendmediagroup`,
      says: 'sendMediaGroup: "Use this method to send a group of photos, videos, documents or audios as an album"',
    }),
    maxBytes: Object.freeze({
      PHOTO: verified(10 * MB, {
        url: `${TELEGRAM_API}#sendphoto`,
        says: 'sendPhoto.photo: "The photo must be at most 10 MB in size"',
      }),
      VIDEO: verified(50 * MB, {
        url: `${TELEGRAM_API}#sendvideo`,
        says: 'sendVideo: "Bots can currently send video files of up to 50 MB in size"',
      }),
    }),
    contentTypes: Object.freeze({
      VIDEO: verified(Object.freeze(['video/mp4']), {
        url: `${TELEGRAM_API}#sendvideo`,
        says: 'sendVideo: "Telegram clients support MPEG4 videos (other formats may be sent as Document)"',
      }),
    }),
    videoAlone: NOT_ALONE,
  }),

  MAX: Object.freeze({
    platform: 'MAX',
    name: 'MAX',
    replyAs: 'a bot message in the chat or under the post (MAX Bot API POST /messages, NewMessageBody)',
    counting: unverified<CountingRule>('utf16', STRICTER_COUNT, {
      url: MAX_NEW_MESSAGE,
      says: 'NewMessageBody.text: "до 4000 символов"',
    }),
    textLimit: verified(4000, { url: MAX_NEW_MESSAGE, says: 'NewMessageBody.text: "до 4000 символов"' }),
    // Text and attachments travel in one NewMessageBody, under the same text limit.
    captionLimit: null,
    maxAttachments: verified(12, {
      url: MAX_NEW_MESSAGE,
      says: 'NewMessageBody.attachments: "Общее количество вложений не должно превышать общее ограничение — 12"',
    }),
    attachmentKinds: verified(PHOTO_AND_VIDEO, {
      url: MAX_ATTACHMENT_TYPES,
      says: 'attachment types "image" (Изображения) and "video" (Видеофайлы)',
    }),
    maxBytes: Object.freeze({
      PHOTO: verified(50 * MB, {
        url: MAX_ATTACHMENT_TYPES,
        says: 'image: "Максимальный размер одного изображения: до 50 МБ или не более 7680 × 7680 px"',
      }),
      VIDEO: verified(250 * MB, {
        url: MAX_ATTACHMENT_TYPES,
        says: 'video: "Максимальный размер одного видео: до 250 МБ"',
      }),
    }),
    contentTypes: Object.freeze({
      PHOTO: verified(
        Object.freeze(['image/jpeg', 'image/png', 'image/gif', 'image/tiff', 'image/bmp', 'image/heic']),
        { url: MAX_ATTACHMENT_TYPES, says: 'image: "Доступные форматы: JPG, JPEG, PNG, GIF, TIFF, BMP, HEIC"' },
      ),
      VIDEO: verified(Object.freeze(['video/mp4', 'video/quicktime', 'video/x-matroska', 'video/webm']), {
        url: MAX_ATTACHMENT_TYPES,
        says: 'video: "Доступные форматы: MP4, MOV, MKV, WEBM"',
      }),
    }),
    videoAlone: NOT_ALONE,
  }),

  VK: Object.freeze({
    platform: 'VK',
    name: 'VK',
    replyAs: 'a comment from the community under the post (wall.createComment), or a community message (messages.send)',
    counting: unverified<CountingRule>(
      'utf16',
      "VK's schema states maxLength, which JSON Schema counts in code points, but how VK's servers count is not documented; UTF-16 code units are counted because that is never more lenient (an emoji counts 2).",
    ),
    textLimit: unverified(
      9000,
      "VK's own schema gives 9,000 for messages.send; wall.createComment (a comment under a post) documents no limit, so 9,000 is applied to comments unconfirmed.",
      { url: `${VK_SCHEMA}/master/messages/methods.json`, says: 'messages.send.message: "maxLength": 9000' },
      {
        url: `${VK_SCHEMA}/master/wall/methods.json`,
        says: 'wall.createComment.message: "Text of the comment." (no maxLength)',
      },
    ),
    captionLimit: null,
    maxAttachments: unverified(
      10,
      'Neither method documents a count; 10 is from a community collection of VK limits, not from VK.',
      { url: VK_LIMITS, says: 'Чаты — "Вложения к сообщению": "до 10 вложений"' },
    ),
    attachmentKinds: verified(PHOTO_AND_VIDEO, {
      url: `${VK_SCHEMA}/master/wall/methods.json`,
      says: "wall.createComment.attachments: \"'photo' - photo, 'video' - video, 'audio' - audio, 'doc' - document\"",
    }),
    maxBytes: Object.freeze({
      PHOTO: unverified(50 * MB, 'From a community collection of VK limits citing vk.com/dev/upload_files.', {
        url: VK_LIMITS,
        says: 'Фотографии — "Размер файла": "не более 50 МБ"',
      }),
    }),
    contentTypes: Object.freeze({
      PHOTO: unverified(
        Object.freeze(['image/jpeg', 'image/png', 'image/gif']),
        'From a community collection of VK limits citing vk.com/dev/upload_files.',
        { url: VK_LIMITS, says: 'Фотографии — "Допустимые форматы": "JPG, PNG, GIF"' },
      ),
    }),
    videoAlone: NOT_ALONE,
  }),

  TWITTER: Object.freeze({
    platform: 'TWITTER',
    name: 'X (Twitter)',
    replyAs: 'a reply post (X API v2 POST /2/tweets with reply.in_reply_to_tweet_id)',
    counting: verified<CountingRule>('twitter-weighted', {
      url: TWITTER_TEXT,
      says: '"scale": 100, "defaultWeight": 200, "emojiParsingEnabled": true, "transformedURLLength": 23, ranges of weight 100',
    }),
    textLimit: verified(280, { url: TWITTER_TEXT, says: '"maxWeightedTweetLength": 280' }),
    captionLimit: null,
    maxAttachments: unverified(
      4,
      'Stated by client libraries and X community answers; the X API page itself was not found in the stored documentation.',
      {
        url: 'https://docs.ropensci.org/rtweet/reference/post_tweet.html',
        says: 'media: "Length 1 … video media OR up-to length 4 … static images"',
      },
    ),
    attachmentKinds: unverified(PHOTO_AND_VIDEO, 'As for the attachment count.', {
      url: 'https://docs.ropensci.org/rtweet/reference/post_tweet.html',
      says: 'media: "video media OR … static images"',
    }),
    maxBytes: Object.freeze({}),
    contentTypes: Object.freeze({}),
    videoAlone: unverified(true, 'As for the attachment count.', {
      url: 'https://docs.ropensci.org/rtweet/reference/post_tweet.html',
      says: 'media: "Length 1 character vector with a file path to video media OR up-to length 4 … static images"',
    }),
  }),

  INSTAGRAM: Object.freeze({
    platform: 'INSTAGRAM',
    name: 'Instagram',
    replyAs: 'a reply to the comment (Instagram Graph API POST /{ig-comment-id}/replies)',
    counting: unverified<CountingRule>('utf16', STRICTER_COUNT),
    textLimit: unverified(
      2200,
      'Meta documents no length for a reply; 2,200 is the caption limit that publishing services and client tools apply to comments too.',
      {
        url: IG_REPLIES,
        says: 'POST /{ig-comment-id}/replies: "{message} (required) — The text to be included in the comment."',
      },
      { url: 'https://ayrshare.com/apis/post/social-networks/instagram', says: '"Maximum 2,200 post characters."' },
    ),
    captionLimit: null,
    maxAttachments: verified(0, {
      url: IG_REPLIES,
      says: 'POST /{ig-comment-id}/replies?message={message}: the only parameter is the text',
    }),
    attachmentKinds: verified(Object.freeze([] as AttachmentKind[]), {
      url: IG_REPLIES,
      says: 'POST /{ig-comment-id}/replies?message={message}: the only parameter is the text',
    }),
    maxBytes: Object.freeze({}),
    contentTypes: Object.freeze({}),
    videoAlone: NOT_ALONE,
  }),

  FACEBOOK: Object.freeze({
    platform: 'FACEBOOK',
    name: 'Facebook',
    replyAs: 'a comment from the Page under the post (Graph API POST /{object-id}/comments)',
    counting: unverified<CountingRule>('utf16', STRICTER_COUNT),
    textLimit: unverified(null, "The Graph API reference gives no length for a comment's message; none is checked.", {
      url: FB_COMMENTS,
      says: 'comments edge, publishing: message',
    }),
    captionLimit: null,
    maxAttachments: unverified(
      1,
      'A comment takes one of attachment_id, attachment_url or source (one photo); read from the parameter list, which the stored copy of the page did not show in full.',
      { url: FB_COMMENTS, says: 'comments edge, publishing: attachment_id | attachment_url | source' },
    ),
    attachmentKinds: unverified(Object.freeze(['PHOTO'] as AttachmentKind[]), 'As for the attachment count.', {
      url: FB_COMMENTS,
      says: 'comments edge, publishing: attachment_id (an unpublished photo) | attachment_url | source',
    }),
    maxBytes: Object.freeze({}),
    contentTypes: Object.freeze({}),
    videoAlone: NOT_ALONE,
  }),

  OK: byHand(
    'OK',
    'Odnoklassniki',
    'a comment from the group under the topic',
    'No OK API method for commenting was found, and mediatopic.post (apiok.ru/dev/methods/rest/mediatopic/mediatopic.post) states no text length; the official publishes by hand and nothing is checked.',
  ),
  WEBSITE: byHand(
    'WEBSITE',
    'Website',
    'published by hand where the message was found',
    "Otklik does not publish to websites; the site's own rules apply and nothing is checked.",
  ),
  EMAIL: byHand(
    'EMAIL',
    'Email',
    'an email to the author',
    'Mail has no text limit; attachment size is set by each mail server and is not known here.',
  ),
  OTHER: byHand(
    'OTHER',
    'Other platform',
    'published by hand on the platform',
    'The platform is not known; nothing is checked.',
  ),
});
