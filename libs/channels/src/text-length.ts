/**
 * A text's length as a platform counts it (REQUIREMENTS cl. 10). Telegram, MAX and VK say
 * "characters" without saying of what; counting UTF-16 code units is never more lenient than
 * counting code points, so it is the safe reading where a platform is silent.
 */
export const COUNTING_RULES = ['utf16', 'codepoints', 'twitter-weighted'] as const;
export type CountingRule = (typeof COUNTING_RULES)[number];

export function countLength(text: string, rule: CountingRule): number {
  switch (rule) {
    case 'utf16':
      return text.length;
    case 'codepoints':
      return codePointCount(text);
    case 'twitter-weighted':
      return twitterWeightedLength(text);
  }
}

/** Code points: a surrogate pair (an emoji such as 😀) is one. */
export function codePointCount(text: string): number {
  return text.length - (text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0);
}

/**
 * twitter-text is not a dependency and its whole counting rule is the 12 lines of
 * config/v3.json (github.com/twitter/twitter-text): after NFC, code points in the listed ranges
 * weigh 1, every other one 2, an emoji 2, a URL 23; a post holds 280.
 */
export const TWITTER_TEXT_V3 = Object.freeze({
  maxWeightedTweetLength: 280,
  scale: 100,
  defaultWeight: 200,
  transformedURLLength: 23,
  ranges: Object.freeze([
    Object.freeze({ start: 0, end: 4351, weight: 100 }),
    Object.freeze({ start: 8192, end: 8205, weight: 100 }),
    Object.freeze({ start: 8208, end: 8223, weight: 100 }),
    Object.freeze({ start: 8242, end: 8247, weight: 100 }),
  ]),
});

// twitter-text's own URL grammar is a large regular expression with a list of every TLD. This
// one finds http(s) links (counted 23, as X does) and bare domains with a Latin or .рф TLD
// (counted at least 23), so it may count a word like "Mr.Smith" as a link: longer, never shorter.
const TRAILING = `[^\\s.,:;!?'"()\\[\\]{}«»…]`;
const LINKS = new RegExp(
  `(?<link>https?://\\S*${TRAILING})` +
    `|(?<![\\p{L}\\p{N}@._/-])(?:[\\p{L}\\p{N}-]+\\.)+(?:[a-z]{2,63}|рф)(?![\\p{L}\\p{N}])(?:/\\S*${TRAILING})?`,
  'giu',
);
const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

function twitterWeightedLength(text: string): number {
  const { scale, transformedURLLength } = TWITTER_TEXT_V3;
  const normalised = text.normalize('NFC');
  let units = 0;
  let from = 0;
  for (const match of normalised.matchAll(LINKS)) {
    units += textUnits(normalised.slice(from, match.index));
    const linkUnits = transformedURLLength * scale;
    units += match.groups?.link ? linkUnits : Math.max(linkUnits, plainUnits(match[0]));
    from = match.index + match[0].length;
  }
  units += textUnits(normalised.slice(from));
  return units / scale;
}

function textUnits(text: string): number {
  let units = 0;
  for (const { segment } of graphemes.segment(text)) {
    units += EMOJI.test(segment) ? TWITTER_TEXT_V3.defaultWeight : plainUnits(segment);
  }
  return units;
}

function plainUnits(text: string): number {
  let units = 0;
  for (const character of text) {
    const codePoint = character.codePointAt(0) ?? 0;
    const range = TWITTER_TEXT_V3.ranges.find(({ start, end }) => codePoint >= start && codePoint <= end);
    units += range ? range.weight : TWITTER_TEXT_V3.defaultWeight;
  }
  return units;
}
