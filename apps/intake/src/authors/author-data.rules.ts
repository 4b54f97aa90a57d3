import type { Viewer } from '@otklik/auth';
import { PLATFORMS, Platform } from '@otklik/contracts';
import type { MessageEntity } from '../messages/message.entity';
import type { AuthorRead } from '../personal-data/personal-data-read.recorder';
import { AuthorDataException } from './author-data.exception';

/** Who answers a data subject's request for their data (152-FZ, arts. 14 and 21). */
export const AUTHOR_DATA_ROLE = 'COORDINATOR';

export const MAX_AUTHOR_ID_LENGTH = 500;
export const MAX_REASON_LENGTH = 2000;
export const MAX_REFERENCE_LENGTH = 200;

/**
 * The organisations whose messages the viewer may export and erase: those where they are
 * COORDINATOR and, below them, what they see. Intake does not hold the organisation tree, only the
 * viewer's roles and what they see (their roles' organisations and everything below): when every
 * organisation the viewer holds a role in is one they coordinate, all they see lies below a
 * coordinator role; otherwise their other roles may be what reaches an organisation, and only the
 * coordinated ones themselves count (the same reasoning as sourceAccess, sources/source.rules.ts).
 */
export function coordinatedOrganizations(viewer: Viewer): string[] {
  const coordinated = new Set(viewer.roles.filter((r) => r.role === AUTHOR_DATA_ROLE).map((r) => r.organizationId));
  if (coordinated.size === 0) return [];
  const visible = new Set(viewer.visibleOrganizationIds);
  if (viewer.roles.every((r) => coordinated.has(r.organizationId))) return [...visible];
  return [...coordinated].filter((id) => visible.has(id));
}

/**
 * The organisation an erasure is recorded under: the viewer's first coordinator role (in the order
 * workflow lists them), so that whoever coordinates there reads the record.
 */
export function recordingOrganization(viewer: Viewer): string {
  const role = viewer.roles.find(
    (r) => r.role === AUTHOR_DATA_ROLE && viewer.visibleOrganizationIds.includes(r.organizationId),
  );
  if (!role) throw AuthorDataException.notCoordinator();
  return role.organizationId;
}

export interface AuthorKey {
  platform: Platform;
  authorId: string;
}

/** The author as intake stores them: the platform and the author's id on it, as given (trimmed). */
export function checkAuthorKey(input: { platform: string; authorId: string }): AuthorKey {
  if (!(PLATFORMS as readonly string[]).includes(input.platform)) {
    throw AuthorDataException.badInput('platform', `must be one of ${PLATFORMS.join(', ')}`);
  }
  const authorId = input.authorId.trim();
  if (authorId === '') throw AuthorDataException.badInput('authorId', 'is required (the author’s id on the platform)');
  if (authorId.length > MAX_AUTHOR_ID_LENGTH) {
    throw AuthorDataException.badInput('authorId', `is longer than ${MAX_AUTHOR_ID_LENGTH} characters`);
  }
  return { platform: input.platform as Platform, authorId };
}

/** Why, and on what request: both are kept with the erasure, so both are required. */
export function checkErasureGrounds(input: { reason: string; requestReference: string }): {
  reason: string;
  requestReference: string;
} {
  const reason = input.reason.trim();
  const requestReference = input.requestReference.trim();
  if (reason === '') throw AuthorDataException.badInput('reason', 'is required: say why the data is erased');
  if (reason.length > MAX_REASON_LENGTH) {
    throw AuthorDataException.badInput('reason', `is longer than ${MAX_REASON_LENGTH} characters`);
  }
  if (requestReference === '') {
    throw AuthorDataException.badInput('requestReference', 'is required: the number or reference of the request');
  }
  if (requestReference.length > MAX_REFERENCE_LENGTH) {
    throw AuthorDataException.badInput('requestReference', `is longer than ${MAX_REFERENCE_LENGTH} characters`);
  }
  return { reason, requestReference };
}

/**
 * What an export hands out of each message, as the read log names it (152-FZ): the author's
 * fields that have a value, as Message.author logs them, and EXPORT for the rest of the message.
 */
export function exportedReads(
  messages: readonly Pick<MessageEntity, 'id' | 'organizationId' | 'author'>[],
): AuthorRead[] {
  return messages.flatMap((m) => {
    const at = { messageId: m.id, organizationId: m.organizationId };
    const author = m.author ?? {};
    return [
      ...(author.id != null ? [{ ...at, field: 'AUTHOR_ID' as const }] : []),
      ...(author.name != null ? [{ ...at, field: 'AUTHOR_NAME' as const }] : []),
      ...(author.url != null ? [{ ...at, field: 'AUTHOR_URL' as const }] : []),
      { ...at, field: 'EXPORT' as const },
    ];
  });
}
