import { isUuid } from '../graphql/uuid';

/** A position in the newest-first case list: the (detected_at, id) of the last case seen. */
export interface CaseCursor {
  detectedAt: Date;
  id: string;
}

/** Opaque to clients: base64url of the two keys the list is ordered by. */
export function encodeCaseCursor(cursor: CaseCursor): string {
  return Buffer.from(JSON.stringify([cursor.detectedAt.toISOString(), cursor.id]), 'utf8').toString('base64url');
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
  if (!Array.isArray(parsed) || parsed.length !== 2) return null;
  const [at, id] = parsed as unknown[];
  if (typeof at !== 'string' || typeof id !== 'string' || !isUuid(id)) return null;
  const detectedAt = new Date(at);
  if (Number.isNaN(detectedAt.getTime()) || detectedAt.toISOString() !== at) return null;
  return { detectedAt, id };
}
