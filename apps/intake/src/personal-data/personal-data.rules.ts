import { hasRole, Viewer } from '@otklik/auth';
import { decodeKeysetCursor, encodeKeysetCursor } from '@otklik/persistence';

/**
 * What of a message the read log names: its author's fields that are personal data, and EXPORT —
 * the whole message handed out by exportAuthorData (text, versions, addresses, attachments, the
 * body as received), which tells of its author beyond those fields.
 */
export const PERSONAL_DATA_FIELDS = ['AUTHOR_ID', 'AUTHOR_NAME', 'AUTHOR_URL', 'EXPORT'] as const;
export type PersonalDataField = (typeof PERSONAL_DATA_FIELDS)[number];

/** Page sizes of personalDataReads. */
export const READS_DEFAULT_PAGE_SIZE = 20;
export const READS_MAX_PAGE_SIZE = 100;

/**
 * The organisations whose read log the viewer may see: where they are COORDINATOR, and below. As
 * with managing sources (source.rules.ts sourceAccess), intake holds no organisation tree: it knows
 * the viewer's roles and the organisations they see (their roles' organisations and everything
 * below). When every role of theirs is COORDINATOR, all they see is below a coordinator's role;
 * otherwise only the organisations where they hold it are certain, and only those are given
 * (never the reverse: a reader's role elsewhere never opens the log).
 */
export function auditedOrganizations(viewer: Viewer): string[] {
  if (!hasRole(viewer, 'COORDINATOR')) return [];
  if (viewer.roles.every((r) => r.role === 'COORDINATOR')) return [...viewer.visibleOrganizationIds];
  const coordinated = new Set(viewer.roles.filter((r) => r.role === 'COORDINATOR').map((r) => r.organizationId));
  return viewer.visibleOrganizationIds.filter((id) => coordinated.has(id));
}

/** A position in the log, newest first: (at, id) of the last read seen. */
export interface ReadsCursor {
  at: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);

/** Opaque to clients (libs/persistence keyset cursors), marked as this list's. */
export function encodeReadsCursor(cursor: ReadsCursor): string {
  return encodeKeysetCursor('READS', cursor);
}

/** The cursor, or null when `value` is not one this list made. */
export function decodeReadsCursor(value: string): ReadsCursor | null {
  return decodeKeysetCursor('READS', value);
}
