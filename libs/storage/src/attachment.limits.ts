/*
 * What a draft may carry (REQUIREMENTS cl. 10: "photo or video where there is some"): the
 * content types and the largest size of each kind of attachment. Every check of an upload —
 * when it is announced, when its bytes arrive, when a store takes them — reads this table.
 */

export const ATTACHMENT_KINDS = ['PHOTO', 'VIDEO'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

const MB = 1024 * 1024;

export interface AttachmentLimit {
  /** Accepted `Content-Type`s, lower-case, without parameters. */
  readonly contentTypes: readonly string[];
  /** The largest file, in bytes. */
  readonly maxBytes: number;
}

export const ATTACHMENT_LIMITS: Readonly<Record<AttachmentKind, AttachmentLimit>> = {
  PHOTO: { contentTypes: ['image/jpeg', 'image/png', 'image/webp', 'image/gif'], maxBytes: 20 * MB },
  VIDEO: { contentTypes: ['video/mp4', 'video/quicktime', 'video/webm'], maxBytes: 200 * MB },
};

/** `image/JPEG; charset=x` → `image/jpeg`: what the limits compare. */
export function bareContentType(value: string): string {
  return value.split(';')[0].trim().toLowerCase();
}

/** "20 MB", "1.5 MB", "640 bytes": sizes as a person reads them in a refusal. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < MB) return `${Math.round((bytes / 1024) * 10) / 10} KB`;
  return `${Math.round((bytes / MB) * 10) / 10} MB`;
}

export interface AttachmentProblem {
  code: 'UNKNOWN_KIND' | 'UNSUPPORTED_TYPE' | 'BAD_SIZE' | 'TOO_LARGE';
  /** What is wrong and what would be accepted, for the person who tried. */
  message: string;
}

/** Why a file of this kind, type and size may not be attached, or null when it may. */
export function attachmentProblem(kind: string, contentType: string, size: number): AttachmentProblem | null {
  if (!(ATTACHMENT_KINDS as readonly string[]).includes(kind)) {
    return { code: 'UNKNOWN_KIND', message: `an attachment is a ${ATTACHMENT_KINDS.join(' or a ')}; got "${kind}"` };
  }
  const limit = ATTACHMENT_LIMITS[kind as AttachmentKind];
  if (!limit.contentTypes.includes(bareContentType(contentType ?? ''))) {
    return {
      code: 'UNSUPPORTED_TYPE',
      message: `a ${kind} must be ${limit.contentTypes.join(', ')}; got "${contentType}"`,
    };
  }
  if (!Number.isSafeInteger(size) || size <= 0) {
    return { code: 'BAD_SIZE', message: `the size of a file is its number of bytes, at least 1; got ${size}` };
  }
  if (size > limit.maxBytes) {
    const [max, given] = [formatBytes(limit.maxBytes), formatBytes(size)];
    // Just over the cap, both round alike: then the bytes tell them apart.
    const sizes =
      max === given ? `${max} (${limit.maxBytes} bytes); this one is ${size} bytes` : `${max}; this one is ${given}`;
    return { code: 'TOO_LARGE', message: `a ${kind} may be at most ${sizes}` };
  }
  return null;
}
