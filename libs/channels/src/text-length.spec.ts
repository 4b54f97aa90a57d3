import { codePointCount, countLength } from './text-length';

const FAMILY = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}'; // 👨‍👩‍👧: three people joined by two ZWJ
const FLAG_RU = '\u{1F1F7}\u{1F1FA}'; // 🇷🇺: two regional indicators
const GRIN = '\u{1F600}'; // 😀, outside the Basic Multilingual Plane

describe('counting as the platform counts (cl. 10)', () => {
  it.each([
    ['Cyrillic', 'Привет', 6, 6],
    ['an astral emoji: a surrogate pair', GRIN, 2, 1],
    ['a ZWJ family: 3 astral people and 2 joiners', FAMILY, 8, 5],
    ['a flag: 2 regional indicators', FLAG_RU, 4, 2],
    ['a mathematical letter outside the BMP', '\u{1D400}', 2, 1],
  ])('%s: utf16 counts code units, codepoints counts code points', (_, text, utf16, codepoints) => {
    expect(countLength(text, 'utf16')).toBe(utf16);
    expect(countLength(text, 'codepoints')).toBe(codepoints);
    expect(codePointCount(text)).toBe(codepoints);
  });

  describe('X counts by twitter-text v3 weights', () => {
    it.each([
      ['Latin letters weigh 1', 'a'.repeat(280), 280],
      ['Cyrillic letters weigh 1 (U+0400–U+04FF lie in 0–4351)', 'я'.repeat(280), 280],
      ['a CJK character weighs 2', '中', 2],
      ['an emoji weighs 2', GRIN, 2],
      ['a ZWJ emoji sequence is one emoji, 2', FAMILY, 2],
      ['a flag is one emoji, 2', FLAG_RU, 2],
      ['an en dash (U+2013, in 8208–8223) weighs 1', '–', 1],
      ['a decomposed é is normalised to one character', 'e\u0301', 1],
      ['a long http link counts 23', `https://example.com/${'a'.repeat(100)}`, 23],
      ['a short http link counts 23 too', 'http://x.co', 23],
      ['punctuation after a link is not part of it', 'see https://x.co/a.', 4 + 23 + 1],
      ['a bare domain counts at least 23', 'gosuslugi.ru', 23],
      ['a bare .рф domain counts at least 23', 'госуслуги.рф', 23],
      ['an abbreviation with a Cyrillic word is not a link', 'г.Барнаул', 9],
      ['an email address is not a link', 'a@b.ru', 6],
    ])('%s', (_, text, weighted) => {
      expect(countLength(text, 'twitter-weighted')).toBe(weighted);
    });
  });
});
