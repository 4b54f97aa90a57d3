/**
 * Feed items carry HTML (RSS descriptions, Atom html/xhtml content); a message keeps the text a
 * person reads. No DOM: tags are dropped, block ends become line breaks, entities are decoded.
 */

/**
 * The named entities that Russian and English sites actually use. HTML knows two thousand; an
 * unknown one stays as written, which a reader still understands.
 */
const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  ensp: '\u2002',
  emsp: '\u2003',
  thinsp: '\u2009',
  zwnj: '\u200c',
  zwj: '\u200d',
  lrm: '\u200e',
  rlm: '\u200f',
  shy: '\u00ad',
  laquo: '«',
  raquo: '»',
  lsaquo: '‹',
  rsaquo: '›',
  ldquo: '“',
  rdquo: '”',
  bdquo: '„',
  lsquo: '‘',
  rsquo: '’',
  sbquo: '‚',
  prime: '′',
  Prime: '″',
  ndash: '–',
  mdash: '—',
  minus: '−',
  hellip: '…',
  bull: '•',
  middot: '·',
  copy: '©',
  reg: '®',
  trade: '™',
  deg: '°',
  plusmn: '±',
  times: '×',
  divide: '÷',
  frac12: '½',
  frac14: '¼',
  frac34: '¾',
  sup2: '²',
  sup3: '³',
  micro: 'µ',
  para: '¶',
  sect: '§',
  euro: '€',
  cent: '¢',
  pound: '£',
  yen: '¥',
  curren: '¤',
  larr: '←',
  rarr: '→',
  uarr: '↑',
  darr: '↓',
  harr: '↔',
  le: '≤',
  ge: '≥',
  ne: '≠',
  asymp: '≈',
  infin: '∞',
  iexcl: '¡',
  iquest: '¿',
  acute: '´',
  uml: '¨',
  cedil: '¸',
  ordf: 'ª',
  ordm: 'º',
  not: '¬',
  macr: '¯',
  dagger: '†',
  Dagger: '‡',
  permil: '‰',
  loz: '◊',
  hearts: '♥',
  check: '✓',
};

const ENTITY = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));/g;

/** NUL is dropped (PostgreSQL refuses it); surrogates and what lies beyond Unicode become U+FFFD, as in browsers. */
function fromCodePoint(code: number): string {
  if (code === 0) return '';
  if ((code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) return '\ufffd';
  return String.fromCodePoint(code);
}

/** `&amp;`, `&#1055;`, `&#x41F;`, `&laquo;` → their characters; an unknown name stays as written. */
export function decodeEntities(text: string): string {
  return text.replace(ENTITY, (written, decimal?: string, hex?: string, name?: string) => {
    if (decimal !== undefined) return fromCodePoint(Number(decimal));
    if (hex !== undefined) return fromCodePoint(parseInt(hex, 16));
    return NAMED_ENTITIES[name as string] ?? written;
  });
}

/** Elements whose content is never shown. */
const HIDDEN = /<(script|style|noscript|template|head)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
const COMMENT = /<!--[\s\S]*?-->/g;
const CDATA = /<!\[CDATA\[([\s\S]*?)\]\]>/g;
/** Elements after which the text goes on on a new line. */
const BREAK =
  /<(?:br|hr)\b[^>]*>|<\/(?:p|div|li|ul|ol|h[1-6]|blockquote|pre|tr|table|section|article|figure|figcaption)\s*>/gi;
const LIST_ITEM = /<li\b[^>]*>/gi;
/** A tag: `<` then a letter, `/` or `!` — so that "a < b" in plain text survives. */
const TAG = /<[A-Za-z/!?][^>]*>/g;

/** What a reader sees of an HTML fragment: tags gone, paragraphs kept as blank-line-free lines, entities decoded. */
export function htmlToText(html: string): string {
  const text = html
    .replace(CDATA, '$1')
    .replace(COMMENT, '')
    .replace(HIDDEN, '')
    .replace(LIST_ITEM, '\n• ')
    .replace(BREAK, '\n')
    .replace(TAG, '');
  return tidyWhitespace(decodeEntities(text));
}

/**
 * Text of an XML element taken raw (a stop node): CDATA sections as they are, entities decoded
 * outside them. Then HTML is made text, plain text only tidied.
 */
export function xmlInnerToText(raw: string, kind: 'text' | 'html' | 'xhtml'): string {
  if (kind === 'xhtml') return htmlToText(raw);
  let unescaped = '';
  let last = 0;
  for (const match of raw.matchAll(CDATA)) {
    unescaped += decodeEntities(raw.slice(last, match.index)) + match[1];
    last = match.index + match[0].length;
  }
  unescaped += decodeEntities(raw.slice(last));
  return kind === 'html' ? htmlToText(unescaped) : tidyWhitespace(unescaped);
}

/** Spaces collapsed within lines (no-break spaces too), empty lines dropped, ends trimmed. */
export function tidyWhitespace(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.replace(/[\s\u00a0\u2000-\u200b\u202f\u205f\u3000]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}
