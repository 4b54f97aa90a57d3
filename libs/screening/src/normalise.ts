/**
 * Hand-written rather than a stemmer or a morphology library: what screening needs is to undo
 * obfuscation (look-alike Latin letters and digits, symbols and spaces between letters, repeated
 * letters, transliteration) while keeping every letter's place in the original text, so that the
 * evidence is the span as the author wrote it. Snowball (snowball-stemmers, natural) only strips
 * endings, so it misses prefixed mat ("на-хуй", "за-еб-ал") and anything obfuscated; `az` (the
 * OpenCorpora morphology for JS) was last published in 2017 and loads its dictionaries
 * asynchronously, and its lemmas would not see through "х.у.й" either. The lexicons in data/ list
 * word forms as patterns instead.
 */

/** A word as screening reads it: normalised letters, each with the [start, end) of what it came from. */
export interface Word {
  /** Lowercase Cyrillic, ё as е, runs of one letter collapsed to one; '*' stands for a masked letter. */
  readonly text: string;
  readonly starts: readonly number[];
  readonly ends: readonly number[];
}

/** A word of running text, with what separates it from the previous one. */
export interface Token extends Word {
  /** A sentence ends before this word (. ! ? ; or a new line). */
  readonly sentenceStart: boolean;
  /** A comma, colon or bracket stands before this word, within its sentence. */
  readonly commaBefore: boolean;
  /** What follows the word in the original, up to the next word (its punctuation). */
  readonly after: string;
}

/** Latin letters, digits and symbols that look like Cyrillic letters (after lower-casing). */
const LOOK_ALIKE: Readonly<Record<string, string>> = {
  a: 'а', b: 'в', c: 'с', e: 'е', h: 'н', k: 'к', m: 'м', n: 'п', o: 'о', p: 'р', r: 'г', t: 'т', u: 'и', x: 'х', y: 'у',
  '3': 'з', '0': 'о', '6': 'б', '4': 'ч', '@': 'а', $: 'с',
}; // prettier-ignore

/** Transliteration, longest first; digits and symbols fall back to LOOK_ALIKE. */
const TRANSLIT: ReadonlyArray<readonly [string, string]> = [
  ['shch', 'щ'], ['sch', 'щ'], ['sh', 'ш'], ['ch', 'ч'], ['zh', 'ж'], ['kh', 'х'], ['ts', 'ц'],
  ['ya', 'я'], ['ja', 'я'], ['ia', 'я'], ['yu', 'ю'], ['ju', 'ю'], ['yo', 'е'], ['jo', 'е'], ['ye', 'е'],
  ['a', 'а'], ['b', 'б'], ['c', 'ц'], ['d', 'д'], ['e', 'е'], ['f', 'ф'], ['g', 'г'], ['h', 'х'], ['i', 'и'],
  ['j', 'й'], ['k', 'к'], ['l', 'л'], ['m', 'м'], ['n', 'н'], ['o', 'о'], ['p', 'п'], ['q', 'к'], ['r', 'р'],
  ['s', 'с'], ['t', 'т'], ['u', 'у'], ['v', 'в'], ['w', 'в'], ['x', 'х'], ['z', 'з'], ["'", 'ь'],
]; // prettier-ignore

const VOWELS = 'аеиоуыэюя';
const isLetter = (ch: string): boolean => /\p{L}/u.test(ch);
const isLatin = (ch: string): boolean => ch >= 'a' && ch <= 'z';
const isSymbolLetter = (ch: string): boolean => ch in LOOK_ALIKE && !isLetter(ch);
const MASK = /[*#]/;
const SENTENCE_END = /[.!?;\n…]/;
const CLAUSE_BREAK = /[,:()«»"]/;

/** One letter of a raw word: lower-cased, not yet mapped to Cyrillic. */
interface RawLetter {
  readonly ch: string;
  readonly start: number;
  readonly end: number;
}

interface RawWord {
  readonly letters: readonly RawLetter[];
  readonly sentenceStart: boolean;
  readonly commaBefore: boolean;
  readonly after: string;
  /** The whitespace-delimited chunk the word belongs to. */
  readonly chunk: number;
  /** The word is its chunk's only character ("х у й"), no punctuation beside it. */
  readonly alone: boolean;
}

/**
 * Splits text into words at whitespace and punctuation. Digits and look-alike symbols count as
 * letters only inside a word that has a letter ("3аебал", "п@дла"), so "2024" or "5%" stay out;
 * '*' or '#' between letters is a masked letter ("х*й").
 */
function rawWords(text: string): RawWord[] {
  const words: RawWord[] = [];
  const chunks = [...text.matchAll(/\S+/gu)];
  let sentenceStart = true;
  let commaBefore = false;
  let previousChunkEnd = 0;
  chunks.forEach((chunk, chunkIndex) => {
    const begin = chunk.index;
    const body = chunk[0];
    if (/\n/.test(text.slice(previousChunkEnd, begin))) sentenceStart = true;
    previousChunkEnd = begin + body.length;
    const chars = [...body];
    // A lone look-alike between spelt-out letters is a letter too: "п и 3 д а".
    const spelt = (step: number): boolean => {
      let other = chunkIndex + step;
      while (chunks[other] && !/[\p{L}\d@$]/u.test(chunks[other][0])) other += step;
      return (
        chunks[other] !== undefined &&
        [...chunks[other][0]].length === 1 &&
        (isLetter(chunks[other][0]) || chunks[other][0].toLowerCase() in LOOK_ALIKE)
      );
    };
    const loneLookAlike = chars.length === 1 && chars[0].toLowerCase() in LOOK_ALIKE && (spelt(-1) || spelt(1));
    const hasLetter = loneLookAlike || chars.some(isLetter);
    let offset = begin;
    const positions = chars.map((ch) => {
      const at = offset;
      offset += ch.length;
      return at;
    });
    const content = chars.map((ch) => {
      if (isLetter(ch)) return true;
      if (hasLetter && (/\d/.test(ch) || isSymbolLetter(ch))) return true;
      return false;
    });
    // A mask is a letter only between two content characters of the chunk: "х*й", "бл**ь".
    const isMask = chars.map((ch, i) => {
      if (!MASK.test(ch)) return false;
      let before = i - 1;
      while (before >= 0 && MASK.test(chars[before])) before -= 1;
      let next = i + 1;
      while (next < chars.length && MASK.test(chars[next])) next += 1;
      return before >= 0 && content[before] && next < chars.length && content[next];
    });
    let current: RawLetter[] = [];
    let separators = '';
    const flush = (): void => {
      if (current.length === 0) return;
      const alone = chars.length === 1 && current.length === 1;
      words.push({ letters: current, sentenceStart, commaBefore, after: '', chunk: chunkIndex, alone });
      sentenceStart = false;
      commaBefore = false;
      current = [];
    };
    chars.forEach((ch, i) => {
      if (content[i] || isMask[i]) {
        if (current.length === 0) {
          if (SENTENCE_END.test(separators)) sentenceStart = true;
          if (CLAUSE_BREAK.test(separators)) commaBefore = true;
          separators = '';
        }
        current.push({ ch: isMask[i] ? '*' : ch.toLowerCase(), start: positions[i], end: positions[i] + ch.length });
        return;
      }
      flush();
      separators += ch;
      const previous = words[words.length - 1];
      if (previous) words[words.length - 1] = { ...previous, after: previous.after + ch };
    });
    flush();
    if (SENTENCE_END.test(separators)) sentenceStart = true;
    if (CLAUSE_BREAK.test(separators)) commaBefore = true;
    separators = '';
  });
  return words;
}

function collapse(letters: readonly { ch: string; start: number; end: number }[]): Word {
  let text = '';
  const starts: number[] = [];
  const ends: number[] = [];
  for (const letter of letters) {
    if (text.length > 0 && text[text.length - 1] === letter.ch) {
      ends[ends.length - 1] = letter.end;
      continue;
    }
    text += letter.ch;
    starts.push(letter.start);
    ends.push(letter.end);
  }
  return { text, starts, ends };
}

/** Cyrillic as it stands, Latin letters and symbols read as the Cyrillic letters they look like. */
function lookAlike(letters: readonly RawLetter[]): Word {
  return collapse(letters.map((l) => ({ ...l, ch: l.ch === 'ё' ? 'е' : (LOOK_ALIKE[l.ch] ?? l.ch) })));
}

/** Latin sequences read as transliterated Russian ("blyad", "pizdec", "nahui"). */
function transliterated(letters: readonly RawLetter[]): Word {
  const out: { ch: string; start: number; end: number }[] = [];
  let i = 0;
  while (i < letters.length) {
    const rest = letters
      .slice(i, i + 4)
      .map((l) => l.ch)
      .join('');
    const rule =
      isLatin(letters[i].ch) || letters[i].ch === "'" ? TRANSLIT.find(([from]) => rest.startsWith(from)) : undefined;
    if (rule) {
      const [from, to] = rule;
      let ch = to;
      // y between vowels or after one is й ("huy", "nahuy"); elsewhere ы ("pizdy").
      if (from === 'y') ch = i > 0 && VOWELS.includes(out[out.length - 1]?.ch ?? '') ? 'й' : 'ы';
      out.push({ ch, start: letters[i].start, end: letters[i + from.length - 1].end });
      i += from.length;
    } else {
      const ch = letters[i].ch;
      out.push({ ...letters[i], ch: ch === 'ё' ? 'е' : (LOOK_ALIKE[ch] ?? ch) });
      i += 1;
    }
  }
  return collapse(out);
}

/** The readings of one raw word: look-alike, and transliterated when it has Latin; masks kept and dropped. */
function readings(letters: readonly RawLetter[]): Word[] {
  const withoutMasks = letters.filter((l) => l.ch !== '*');
  const sources =
    withoutMasks.length !== letters.length && withoutMasks.length > 0 ? [letters, withoutMasks] : [letters];
  const result: Word[] = [];
  for (const source of sources) {
    result.push(lookAlike(source));
    if (source.some((l) => isLatin(l.ch))) result.push(transliterated(source));
  }
  const seen = new Set<string>();
  return result.filter((w) => {
    const key = `${w.text}@${w.starts[0]}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The words of running text, each read once (look-alikes mapped), for phrase rules. */
export function tokens(text: string): Token[] {
  return rawWords(text).map((raw) => {
    const word = lookAlike(raw.letters);
    return { ...word, sentenceStart: raw.sentenceStart, commaBefore: raw.commaBefore, after: raw.after };
  });
}

/**
 * Every way of reading the text's words for word-level rules: each word alone, each
 * whitespace-delimited chunk with its inner punctuation removed ("пи.зда", "ху-й"), and each
 * run of single letters separated by spaces or symbols glued together ("п и з д а", "х.у.й").
 */
export function candidateWords(text: string): Word[] {
  const raws = rawWords(text);
  const groups: RawLetter[][] = raws.map((r) => [...r.letters]);
  for (let i = 0; i < raws.length;) {
    let j = i;
    while (j + 1 < raws.length && raws[j + 1].chunk === raws[i].chunk) j += 1;
    if (j > i) groups.push(raws.slice(i, j + 1).flatMap((r) => r.letters));
    i = j + 1;
  }
  const single = (r: RawWord): boolean => r.letters.length === 1;
  for (let i = 0; i < raws.length;) {
    if (!single(raws[i])) {
      i += 1;
      continue;
    }
    let j = i;
    while (j + 1 < raws.length && single(raws[j + 1])) j += 1;
    if (j > i) {
      groups.push(raws.slice(i, j + 1).flatMap((r) => r.letters));
    }
    i = j + 1;
  }
  // A lone letter split off the front of the next word: "х уйня", "п издец".
  for (let i = 0; i + 1 < raws.length; i++) {
    if (raws[i].alone && !single(raws[i + 1]) && raws[i].chunk !== raws[i + 1].chunk) {
      groups.push([...raws[i].letters, ...raws[i + 1].letters]);
    }
  }
  return groups.flatMap(readings);
}
