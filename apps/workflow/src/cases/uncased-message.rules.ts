import type { Role } from '@otklik/contracts';
import type { MessageAcceptedV1 } from '@otklik/contracts';
import { decodeKeysetCursor, encodeKeysetCursor } from '@otklik/persistence';

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

/** Opaque to clients (libs/persistence keyset cursors), marked as this list's. */
export function encodeUncasedCursor(cursor: UncasedCursor): string {
  return encodeKeysetCursor('UNCASED', cursor);
}

/** The cursor, or null when `value` is not one this list made. */
export function decodeUncasedCursor(value: string): UncasedCursor | null {
  return decodeKeysetCursor('UNCASED', value);
}
