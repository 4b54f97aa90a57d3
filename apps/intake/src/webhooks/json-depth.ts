/**
 * The deepest nesting of arrays and objects a webhook body may have. Platforms nest a few levels
 * (a Telegram reply inside a message inside an Update); readers that recurse — class-transformer,
 * JSON.stringify, PostgreSQL's jsonb — run out of stack some thousands of levels down, and a
 * 1 MiB body can nest half a million.
 */
export const MAX_JSON_DEPTH = 100;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPENERS = new Set([0x5b, 0x7b]); // [ {
const CLOSERS = new Set([0x5d, 0x7d]); // ] }

/**
 * Whether the JSON text in `bytes` nests arrays and objects deeper than `limit`. Read from the
 * bytes, before anything parses them, in one pass without recursion (a JSON parser would build
 * the whole tree first, which is what the limit is there to spare). Brackets inside strings do
 * not count; UTF-8 never puts these ASCII bytes inside a multi-byte character. Malformed JSON is
 * left to the parser to refuse.
 */
export function nestsDeeperThan(bytes: Uint8Array, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (OPENERS.has(byte)) {
      if (++depth > limit) return true;
    } else if (CLOSERS.has(byte)) {
      depth--;
    }
  }
  return false;
}
