/** Where a page of a user's feed (newest first) ends: the last notification's time and id. */
export interface FeedPosition {
  createdAt: Date;
  id: string;
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const POSITION = new RegExp(`^(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z)\\|(${UUID})$`);

/** An opaque Relay cursor. */
export function encodeCursor(position: FeedPosition): string {
  return Buffer.from(`${position.createdAt.toISOString()}|${position.id}`, 'utf8').toString('base64url');
}

/** The position a cursor stands for, or undefined when it is not one of ours (mangled, or made up). */
export function decodeCursor(cursor: string): FeedPosition | undefined {
  const match = POSITION.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) return undefined;
  const position = { createdAt: new Date(match[1]), id: match[2] };
  // Buffer decoding skips characters it does not know; only the exact encoding is accepted.
  if (Number.isNaN(position.createdAt.getTime()) || encodeCursor(position) !== cursor) return undefined;
  return position;
}
