/** A position in a list ordered by (a moment, an id): the last item a page showed. */
export interface KeysetPosition {
  at: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

/** Opaque to clients: base64url of `[tag, at, id]`, the tag naming the list it belongs to. */
export function encodeKeysetCursor(tag: string, position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([tag, position.at.toISOString(), position.id]), 'utf8').toString('base64url');
}

/** The position, or null when `value` is not a cursor of the list named `tag` (mangled, made up, another list's). */
export function decodeKeysetCursor(tag: string, value: string): KeysetPosition | null {
  if (!BASE64URL.test(value)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== tag) return null;
  const [, at, id] = parsed as unknown[];
  if (typeof at !== 'string' || typeof id !== 'string' || !UUID.test(id)) return null;
  const when = new Date(at);
  if (Number.isNaN(when.getTime()) || when.toISOString() !== at) return null;
  return { at: when, id };
}
