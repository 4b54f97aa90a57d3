/** Text as the classifier reads it: markup removed, lower case, ё as е, split into words. */

const ENTITIES: Readonly<Record<string, string>> = {
  nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", laquo: '«', raquo: '»', mdash: '—', ndash: '–',
  hellip: '…', shy: '', bdquo: '„', ldquo: '“', rdquo: '”', lsquo: '‘', rsquo: '’', bull: '•', middot: '·', deg: '°',
  numero: '№', copy: '©',
}; // prettier-ignore

/** Archives exported from web forms keep the form's HTML: tags go (as spaces), entities become their characters. */
export function stripHtml(text: string): string {
  return text
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<\/?[a-z][^>]*>/gi, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole: string, name: string) => {
      if (name[0] === '#') {
        const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    });
}

/** Markup stripped, lower case, ё as е (writers use both), whitespace collapsed. */
export function normalise(text: string): string {
  return stripHtml(text).toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();
}

/**
 * Words that carry little on their own: prepositions, conjunctions, pronouns, particles. They
 * still count inside bigrams ("без света") and character n-grams; only their unigrams go.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'а без более бы был была были было быть в вам вас весь во вот все всего всех вы где да даже для до его ее ей ' +
    'если есть еще же за здесь и из или им их к как ко когда кто ли либо мне мы на над наш нас не него нее нет ни ' +
    'них но ну о об однако он она они оно от очень по под при с со так также такой там те тем то того тоже той ' +
    'только том ты у уже хотя чего чей чем что чтобы чье эта эти это этого этой этом этот я'
  ).split(' '),
);

/** The words of a normalised text: runs of letters and digits (numbers alone are dropped: house numbers, dates). */
export function words(normalised: string): string[] {
  return (normalised.match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => /\p{L}/u.test(w));
}
