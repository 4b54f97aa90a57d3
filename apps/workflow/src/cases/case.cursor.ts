import { isUuid } from '../graphql/uuid';

/** The orders of the case list (CaseSort in GraphQL). */
export type CaseOrder = 'NEWEST' | 'DUE_SOONEST';

/**
 * A position in the case list: the sort key and id of the last case seen — (detected_at, id)
 * newest first, or (next open due moment, id) soonest first.
 */
export interface CaseCursor {
  order: CaseOrder;
  at: Date;
  id: string;
}

/** Opaque to clients: base64url of the keys the list is ordered by (newest-first cursors keep their old form). */
export function encodeCaseCursor(cursor: CaseCursor): string {
  const keys = [cursor.at.toISOString(), cursor.id];
  const value = cursor.order === 'NEWEST' ? keys : ['DUE', ...keys];
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** The cursor, or null when `value` is not one this service made. */
export function decodeCaseCursor(value: string): CaseCursor | null {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(value)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed)) return null;
  const order: CaseOrder | undefined =
    parsed.length === 2 ? 'NEWEST' : parsed.length === 3 && parsed[0] === 'DUE' ? 'DUE_SOONEST' : undefined;
  if (!order) return null;
  const [at, id] = (parsed as unknown[]).slice(-2);
  if (typeof at !== 'string' || typeof id !== 'string' || !isUuid(id)) return null;
  const when = new Date(at);
  if (Number.isNaN(when.getTime()) || when.toISOString() !== at) return null;
  return { order, at: when, id };
}
