import { createHash } from 'node:crypto';
import type { AttachmentType, StoredAttachment, StoredAuthor } from '../messages/message.entity';
import { MAX_ATTACHMENTS, MAX_TEXT_LENGTH } from '../webhooks/generic-message.dto';
import type { FeedEntry } from './feed.parser';

/** What of a feed entry becomes a message (with platform WEBSITE, the source and the raw item beside). */
export interface FeedMessage {
  externalId: string;
  url?: string;
  text: string;
  postedAt: Date;
  author?: StoredAuthor;
  attachments: StoredAttachment[];
  /** The feed's address: a site's items are one thread, as a community's posts are. */
  threadId: string;
}

/** The generic webhook's limits, so a feed's message is one the webhook would have taken. */
const MAX_ID_LENGTH = 500;
const MAX_URL_LENGTH = 2000;
const MAX_NAME_LENGTH = 500;
/** A date this far ahead is a site's wrong clock: the message is dated when it was read instead. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

/**
 * Time zones RFC 822 dates carry that Date.parse does not know. Russian sites write MSK.
 * (Date.parse knows UT, GMT and the North American ones.)
 */
const ZONES: Record<string, string> = { MSK: '+0300', MSD: '+0400', YEKT: '+0500', NOVT: '+0700', KRAT: '+0700' };

/** A feed's date (RFC 822 or RFC 3339), or undefined when it cannot be read. */
export function parseFeedDate(written: string | undefined): Date | undefined {
  if (!written) return undefined;
  const withZone = written.trim().replace(/\b([A-Z]{3,4})$/, (zone) => ZONES[zone] ?? zone);
  const time = Date.parse(withZone);
  return Number.isNaN(time) ? undefined : new Date(time);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** PostgreSQL refuses NUL and halves of surrogate pairs standing alone. */
const storable = (text: string): string =>
  text
    .replace(/\u0000/g, '')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

function httpUrl(value: string | undefined): string | undefined {
  if (!value || value.length > MAX_URL_LENGTH) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? value : undefined;
  } catch {
    return undefined;
  }
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  // Cut before a surrogate pair rather than through it.
  const cut = /[\ud800-\udbff]/.test(text[max - 2]) ? max - 2 : max - 1;
  return `${text.slice(0, cut)}…`;
}

/** The title, then the body unless it merely repeats the title (sites often open the body with it). */
function textOf(entry: FeedEntry): string {
  const { title, body } = entry;
  if (!body) return title;
  if (!title || body.startsWith(title)) return body;
  return `${title}\n\n${body}`;
}

function attachmentType(mediaType: string | undefined): AttachmentType {
  if (mediaType?.startsWith('image/')) return 'PHOTO';
  if (mediaType?.startsWith('video/')) return 'VIDEO';
  if (mediaType?.startsWith('audio/')) return 'AUDIO';
  return 'DOCUMENT';
}

/**
 * The message a feed entry makes, or null for an entry with no text at all. Its external id is
 * the entry's guid/id, else its link, else a hash of its text, so that the same entry read
 * again is the same message. An entry whose text changed later keeps its id and is therefore
 * a duplicate here; edits are message changes' business.
 */
export function feedMessageOf(entry: FeedEntry, feedUrl: string, now: Date): FeedMessage | null {
  const text = truncate(storable(textOf(entry)), MAX_TEXT_LENGTH);
  if (text === '') return null;
  const url = httpUrl(entry.link);
  const id = entry.id ?? entry.link;
  const externalId = id && id.length <= MAX_ID_LENGTH ? storable(id) : `sha256:${sha256(id ?? text)}`;
  const published = parseFeedDate(entry.published);
  const postedAt = published && published.getTime() <= now.getTime() + FUTURE_TOLERANCE_MS ? published : now;
  const name = entry.author?.name ? truncate(storable(entry.author.name), MAX_NAME_LENGTH) : undefined;
  const authorUrl = httpUrl(entry.author?.url);
  return {
    externalId,
    url,
    text,
    postedAt,
    author: name || authorUrl ? { ...(name ? { name } : {}), ...(authorUrl ? { url: authorUrl } : {}) } : undefined,
    attachments: entry.enclosures
      .flatMap((e) => {
        const enclosure = httpUrl(e.url);
        return enclosure ? [{ type: attachmentType(e.mediaType), url: enclosure }] : [];
      })
      .slice(0, MAX_ATTACHMENTS),
    threadId: feedUrl.length <= MAX_ID_LENGTH ? feedUrl : `sha256:${sha256(feedUrl)}`,
  };
}

/** The raw item as kept with the message: JSON that PostgreSQL's jsonb accepts. */
export function storableRaw(value: unknown): unknown {
  if (typeof value === 'string') return storable(value);
  if (Array.isArray(value)) return value.map(storableRaw);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storable(k), storableRaw(v)]));
  }
  return value;
}
