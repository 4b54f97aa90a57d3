/**
 * A draft answer as it will go out on the citizen's platform (REQUIREMENTS cl. 10): the text as
 * sent, its length as the platform counts it, and every reason it would not fit, each a sentence
 * an official can act on.
 */
import type { Platform } from '@otklik/contracts';
import { AttachmentKind, Figure, MB, PLATFORM_LIMITS, PlatformLimits } from './platform-limits';
import { codePointCount, countLength } from './text-length';

export interface DraftAttachment {
  readonly type: AttachmentKind;
  readonly contentType?: string;
  readonly sizeBytes?: number;
}

export interface Draft {
  readonly text: string;
  readonly attachments: readonly DraftAttachment[];
}

export interface DraftPreview {
  readonly platform: Platform;
  /** As it will be sent: see normaliseDraftText. */
  readonly text: string;
  /** Counted the way the platform counts (PLATFORM_LIMITS[platform].counting). */
  readonly length: number;
  /** The caption limit when the text travels as the media's caption, else the text limit; null: none known. */
  readonly maxLength: number | null;
  readonly sentAsCaption: boolean;
  readonly attachmentCount: number;
  readonly maxAttachments: number | null;
  /** True exactly when there are no problems. */
  readonly fits: boolean;
  readonly problems: readonly string[];
  /** Figures applied here that the platform's documentation does not confirm, or checks that could not be made. */
  readonly caveats: readonly string[];
}

/**
 * The text as it will be sent: line breaks as LF, more than two blank lines in a row cut to two
 * (a line of spaces counts as blank), no whitespace at either end.
 */
export function normaliseDraftText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\n(?:[^\S\n]*\n){3,}/g, '\n\n\n')
    .trim();
}

export function previewDraft(platform: Platform, draft: Draft): DraftPreview {
  const limits = limitsOf(platform);
  const text = normaliseDraftText(draft.text);
  const length = countLength(text, limits.counting.value);
  const { attachments } = draft;
  const sentAsCaption = attachments.length > 0 && limits.captionLimit !== null;
  const lengthLimit = sentAsCaption && limits.captionLimit ? limits.captionLimit : limits.textLimit;
  const problems = [
    ...textProblems(limits, text, length, lengthLimit.value, sentAsCaption, attachments),
    ...attachmentProblems(limits, attachments),
  ];
  return Object.freeze({
    platform,
    text,
    length,
    maxLength: lengthLimit.value,
    sentAsCaption,
    attachmentCount: attachments.length,
    maxAttachments: limits.maxAttachments.value,
    fits: problems.length === 0,
    problems: Object.freeze(problems),
    caveats: Object.freeze(caveats(limits, text, lengthLimit, attachments)),
  });
}

/** The problems alone, for a check before publication. */
export function validateDraftForPlatform(platform: Platform, draft: Draft): readonly string[] {
  return previewDraft(platform, draft).problems;
}

function limitsOf(platform: Platform): PlatformLimits {
  const limits = (PLATFORM_LIMITS as Partial<Record<string, PlatformLimits>>)[platform];
  if (!limits) throw new Error(`channels: no limits for platform ${String(platform)}`);
  return limits;
}

function textProblems(
  limits: PlatformLimits,
  text: string,
  length: number,
  maxLength: number | null,
  sentAsCaption: boolean,
  attachments: readonly DraftAttachment[],
): string[] {
  const { name } = limits;
  if (text === '') return [`${name}: the text is empty — write the answer before publishing it.`];
  if (maxLength === null || length <= maxLength) return [];
  const counted = `the text is ${count(length)} characters${countingHint(limits, text, length)}`;
  const shorten = `shorten it by ${count(length - maxLength)}`;
  if (sentAsCaption) {
    const separately = attachments.length === 1 ? `the ${NOUN[attachments[0].type]}` : 'them';
    return [
      `${name}: ${counted}; with ${mediaPhrase(attachments)} it is sent as a caption, at most ${count(maxLength)} — ${shorten} or send ${separately} separately.`,
    ];
  }
  return [`${name}: ${counted}; a reply there takes at most ${count(maxLength)} — ${shorten}.`];
}

/** Says why the count differs from what the official sees, when it does. */
function countingHint(limits: PlatformLimits, text: string, length: number): string {
  if (length === codePointCount(text)) return '';
  if (limits.counting.value === 'twitter-weighted') {
    return ` as ${limits.name} counts them (a link counts 23, an emoji or a Chinese, Japanese or Korean character 2)`;
  }
  return ` as ${limits.name} counts them (an emoji and some rare characters count 2)`;
}

function attachmentProblems(limits: PlatformLimits, attachments: readonly DraftAttachment[]): string[] {
  const { name } = limits;
  if (attachments.length === 0) return [];
  const kinds = limits.attachmentKinds.value;
  if (kinds.length === 0) {
    return [`${name}: a reply there carries text only — remove ${theAttachments(attachments)}.`];
  }
  const problems: string[] = [];
  for (const kind of new Set(attachments.map((attachment) => attachment.type))) {
    if (kinds.includes(kind)) continue;
    const n = attachments.filter((attachment) => attachment.type === kind).length;
    problems.push(
      `${name}: a reply there cannot carry ${NOUNS[kind]} — remove the ${n === 1 ? NOUN[kind] : `${n} ${NOUNS[kind]}`}.`,
    );
  }
  const max = limits.maxAttachments.value;
  if (max !== null && attachments.length > max) {
    problems.push(
      `${name}: there are ${count(attachments.length)} attachments; a reply there takes at most ${count(max)} — remove ${count(attachments.length - max)}.`,
    );
  }
  const videos = attachments.filter((attachment) => attachment.type === 'VIDEO').length;
  if (limits.videoAlone.value && videos > 0 && attachments.length > 1) {
    const photos = attachments.length - videos;
    const fix =
      photos > 0 ? `publish the video alone, or the ${nounFor(photos, 'PHOTO')} without it` : 'keep one video';
    problems.push(
      `${name}: a video must be a reply's only attachment, and this one has ${count(attachments.length)} (${mediaPhrase(attachments)}) — ${fix}.`,
    );
  }
  attachments.forEach((attachment, index) => {
    if (!kinds.includes(attachment.type)) return;
    const which = `attachment ${index + 1} (${NOUN[attachment.type]})`;
    const maxBytes = limits.maxBytes[attachment.type]?.value;
    const size = attachment.sizeBytes;
    if (maxBytes !== undefined && size !== undefined && Number.isFinite(size) && size > maxBytes) {
      problems.push(
        `${name}: ${which} is ${megabytes(size, 'up')} MB; a ${NOUN[attachment.type]} there may be at most ${megabytes(maxBytes, 'down')} MB — compress it or replace it.`,
      );
    }
    const accepted = limits.contentTypes[attachment.type]?.value;
    const type = attachment.contentType === undefined ? undefined : mediaType(attachment.contentType);
    if (accepted && type !== undefined && !accepted.includes(type)) {
      problems.push(
        `${name}: ${which} is ${type}; a ${NOUN[attachment.type]} there must be ${orList(accepted.map(formatName))} — convert it.`,
      );
    }
  });
  return problems;
}

function caveats(
  limits: PlatformLimits,
  text: string,
  lengthLimit: Figure<number | null>,
  attachments: readonly DraftAttachment[],
): string[] {
  const { name } = limits;
  const notes: string[] = [];
  if (lengthLimit.value === null) {
    notes.push(`${name}: no limit on the text's length is known; it was not checked.`);
  } else if (!lengthLimit.verified) {
    notes.push(
      `${name}: the limit of ${count(lengthLimit.value)} characters is not confirmed by the platform's documentation.`,
    );
  }
  if (lengthLimit.value !== null && !limits.counting.verified && countLength(text, 'utf16') !== codePointCount(text)) {
    notes.push(
      `${name}: emoji and some rare characters were counted as 2, the stricter reading of the platform's documentation.`,
    );
  }
  if (attachments.length > 0) {
    const max = limits.maxAttachments;
    if (max.value === null) notes.push(`${name}: no limit on the number of attachments is known; it was not checked.`);
    else if (!max.verified) {
      notes.push(
        `${name}: the limit of ${count(max.value)} attachments is not confirmed by the platform's documentation.`,
      );
    }
    if (!limits.attachmentKinds.verified) {
      notes.push(`${name}: which kinds of attachment a reply takes is not confirmed by the platform's documentation.`);
    }
  }
  return notes;
}

const NOUN: Readonly<Record<AttachmentKind, string>> = { PHOTO: 'photo', VIDEO: 'video' };
const NOUNS: Readonly<Record<AttachmentKind, string>> = { PHOTO: 'photos', VIDEO: 'videos' };
const nounFor = (n: number, kind: AttachmentKind): string => (n === 1 ? NOUN[kind] : NOUNS[kind]);

const number = new Intl.NumberFormat('en-US');
const count = (value: number): string => number.format(value);

/** Sizes in MB with one decimal, rounded away from the limit so that "over" never reads as equal. */
function megabytes(bytes: number, round: 'up' | 'down'): string {
  const tenths = round === 'up' ? Math.ceil(bytes / (MB / 10)) : Math.floor(bytes / (MB / 10));
  return number.format(tenths / 10);
}

/** "a photo", "2 photos and a video". */
function mediaPhrase(attachments: readonly DraftAttachment[]): string {
  const parts = (['PHOTO', 'VIDEO'] as const)
    .map((kind) => [kind, attachments.filter((attachment) => attachment.type === kind).length] as const)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => (n === 1 ? `a ${NOUN[kind]}` : `${count(n)} ${NOUNS[kind]}`));
  return parts.join(' and ');
}

function theAttachments(attachments: readonly DraftAttachment[]): string {
  return attachments.length === 1 ? `the ${NOUN[attachments[0].type]}` : `the ${count(attachments.length)} attachments`;
}

/** A MIME type without parameters, lower case; "image/jpg", which some clients send, as "image/jpeg". */
function mediaType(contentType: string): string {
  const type = contentType.split(';')[0].trim().toLowerCase();
  return type === 'image/jpg' ? 'image/jpeg' : type;
}

const FORMAT_NAMES: Readonly<Record<string, string>> = {
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/gif': 'GIF',
  'image/tiff': 'TIFF',
  'image/bmp': 'BMP',
  'image/heic': 'HEIC',
  'video/mp4': 'MP4',
  'video/quicktime': 'MOV',
  'video/x-matroska': 'MKV',
  'video/webm': 'WEBM',
};
const formatName = (type: string): string => FORMAT_NAMES[type] ?? type;

function orList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
