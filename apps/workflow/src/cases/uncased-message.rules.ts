import type { Role } from '@otklik/contracts';
import type { MessageAcceptedV1 } from '@otklik/contracts';
import { isUuid } from '../graphql/uuid';

/**
 * Whether an accepted message is kept without a case (cl. 1: the regulation is about critical
 * messages): criticality found it not critical and screening flagged nothing. A flagged message
 * opens a case whatever criticality says, so that an official confirms or overrules the exclusion
 * (cl. 11). A message without criticality's verdict — from a producer older than it — is critical.
 * Replies and repeats are decided before this: they concern a case already there.
 */
export function keptWithoutCase(message: Pick<MessageAcceptedV1, 'criticality' | 'screening'>): boolean {
  const critical = message.criticality?.critical ?? true;
  const flagged = (message.screening?.reasons.length ?? 0) > 0;
  return !critical && !flagged;
}

/** Page sizes of the list (as the case list's). */
export const UNCASED_DEFAULT_PAGE_SIZE = 20;
export const UNCASED_MAX_PAGE_SIZE = 100;

/** Who may list the messages kept without a case and open a case from one, in their organisation or above. */
export const UNCASED_ROLES: readonly Role[] = ['OFFICIAL', 'COORDINATOR', 'RECEPTION'];

/** A position in the list of uncased messages, newest first: (received_at, message_id) of the last one seen. */
export interface UncasedCursor {
  at: Date;
  id: string;
}

/** Opaque to clients: base64url of the keys the list is ordered by, marked as this list's. */
export function encodeUncasedCursor(cursor: UncasedCursor): string {
  return Buffer.from(JSON.stringify(['UNCASED', cursor.at.toISOString(), cursor.id]), 'utf8').toString('base64url');
}

/** The cursor, or null when `value` is not one this list made. */
export function decodeUncasedCursor(value: string): UncasedCursor | null {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(value)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== 'UNCASED') return null;
  const [, at, id] = parsed as unknown[];
  if (typeof at !== 'string' || typeof id !== 'string' || !isUuid(id)) return null;
  const when = new Date(at);
  if (Number.isNaN(when.getTime()) || when.toISOString() !== at) return null;
  return { at: when, id };
}
