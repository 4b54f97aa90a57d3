/**
 * Criticality reads words, not obfuscations: lower case, ё as е, a letter repeated three times
 * or more read once ("спасибооо", "уррра"), HTML tags and entities (website and archive text)
 * and links left out, each word with its [start, end) in the original so that the evidence is
 * what the author wrote. libs/screening's reader is not exported and does more than this needs
 * (look-alikes, spelt-out letters); its choice of patterns over a stemmer is followed here.
 */

export interface Word {
  /** Lower case, ё as е, runs of three or more of one letter as one. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** A sentence as one line of words joined by single spaces, which the lexicon's patterns run over. */
export interface Sentence {
  readonly words: readonly Word[];
  readonly line: string;
  /** Where each word starts in `line`. */
  readonly at: readonly number[];
  /** It ends with a question mark. */
  readonly question: boolean;
  readonly start: number;
  readonly end: number;
}

export interface Reading {
  readonly sentences: readonly Sentence[];
  /** Links (http, www, t.me, vk.com …) as they stand in the text. */
  readonly links: ReadonlyArray<{ readonly start: number; readonly end: number }>;
  /** Letters or digits outside links and markup. */
  readonly hasWords: boolean;
}

const LINK =
  /(?:https?:\/\/|www\.)[^\s<>"'`]+|\b(?:t\.me|vk\.com|vk\.cc|ok\.ru|youtu\.be|youtube\.com|dzen\.ru)\/[^\s<>"'`]*/giu;
const MARKUP = /<\/?[a-z!][^<>]*>|&(?:[a-z]+|#\d+);/giu;
const WORD = /[\p{L}\p{N}]+/gu;
/** Short words after which a full stop is an abbreviation, not a sentence end: "ул. Ленина", "д. 5". */
const ABBREVIATIONS = new Set([
  'ул', 'д', 'г', 'с', 'п', 'пер', 'пр', 'пл', 'кв', 'мкр', 'им', 'ст', 'тел', 'т', 'р', 'руб', 'обл', 'р-н', 'х', 'пос', 'дер', 'стр', 'корп',
]); // prettier-ignore

function wordText(raw: string): string {
  return raw
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/(\p{L})\1{2,}/gu, '$1');
}

/** Spans to read past: markup, and links outside it (an <a href> tag's address is markup; its text is read). */
function hidden(text: string): Array<{ start: number; end: number; link: boolean }> {
  const spans: Array<{ start: number; end: number; link: boolean }> = [];
  for (const m of text.matchAll(MARKUP)) spans.push({ start: m.index, end: m.index + m[0].length, link: false });
  for (const m of text.matchAll(LINK)) {
    const start = m.index;
    const end = start + m[0].length;
    if (!spans.some((s) => start < s.end && s.start < end)) spans.push({ start, end, link: true });
  }
  return spans.sort((a, b) => a.start - b.start);
}

function sentenceOf(words: readonly Word[], question: boolean): Sentence {
  const at: number[] = [];
  let line = '';
  for (const word of words) {
    if (line) line += ' ';
    at.push(line.length);
    line += word.text;
  }
  return { words, line, at, question, start: words[0].start, end: words[words.length - 1].end };
}

/** The text's words in sentences: . ! ? … ; and new lines end a sentence, except after an abbreviation. */
export function read(text: string): Reading {
  const skip = hidden(text);
  // Words and hidden spans both come in the order of the text: one walk over each.
  let span = 0;
  const isHidden = (at: number): boolean => {
    while (span < skip.length && skip[span].end <= at) span += 1;
    return span < skip.length && skip[span].start <= at;
  };
  const words: Array<Word & { breakAfter: boolean; questionAfter: boolean }> = [];
  for (const m of text.matchAll(WORD)) {
    if (isHidden(m.index)) continue;
    words.push({
      text: wordText(m[0]),
      start: m.index,
      end: m.index + m[0].length,
      breakAfter: false,
      questionAfter: false,
    });
  }
  const links = skip.filter((s) => s.link);
  let link = 0;
  words.forEach((word, i) => {
    const next = words[i + 1];
    while (link < links.length && links[link].start < word.end) link += 1;
    const between = text.slice(word.end, next ? next.start : text.length).replace(MARKUP, ' ');
    const fullStopOnly = /^[\s.]*$/.test(between) && /\./.test(between) && !/\n/.test(between);
    const abbreviation = fullStopOnly && ABBREVIATIONS.has(word.text);
    word.questionAfter = /\?/.test(between);
    word.breakAfter = /[.!?…;\n]/.test(between) && !abbreviation;
    // A link ends what came before it: "подробнее https://… Продам" is two sentences.
    if (next && link < links.length && links[link].end <= next.start) word.breakAfter = true;
  });
  const sentences: Sentence[] = [];
  let current: Word[] = [];
  for (const word of words) {
    current.push({ text: word.text, start: word.start, end: word.end });
    if (word.breakAfter) {
      sentences.push(sentenceOf(current, word.questionAfter));
      current = [];
    }
  }
  if (current.length > 0) sentences.push(sentenceOf(current, words[words.length - 1].questionAfter));
  return {
    sentences,
    links: links.map(({ start, end }) => ({ start, end })),
    hasWords: words.length > 0,
  };
}
