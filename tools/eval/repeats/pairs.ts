// Pairs for the evaluation of repeat detection (cl. 9), built from an archive of real appeals:
// each appeal is an "earlier message"; a positive is the same author writing again about it, a
// negative the same author writing about another matter. Only the wording of the later message
// is made up — by seeded transformations that mimic how citizens write again — and positives and
// negatives go through the same ones, so that nothing but the matter tells them apart.

/** One appeal of the archive, as the evaluation reads it. */
export interface Appeal {
  readonly id: string;
  readonly text: string;
  readonly topic: string;
  readonly body: string;
}

export type PairKind = 'repeat' | 'other-random' | 'other-same-topic' | 'other-same-body' | 'other-same-street';

export interface Pair {
  readonly kind: PairKind;
  /** True for a repeat. */
  readonly repeat: boolean;
  readonly earlier: Appeal;
  readonly later: string;
  /** The transformations that made the later message, e.g. "prefix+retell+typos". */
  readonly recipe: string;
}

/** mulberry32: small, seeded, good enough to shuffle and pick. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];
const chance = (random: Random, p: number): boolean => random() < p;

export function shuffled<T>(random: Random, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', laquo: '«', raquo: '»', quot: '"', lt: '<', gt: '>' };

/** The archive's texts partly come from an HTML form: the plain text a platform would deliver. */
export function plainText(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&([a-z]+);/gi, (all, name: string) => ENTITIES[name.toLowerCase()] ?? all)
    .replace(/\s+/g, ' ')
    .trim();
}

const WORD = /[а-яёa-z0-9]+/gi;
const words = (text: string): string[] => text.match(WORD) ?? [];
/** Crude stem: inflection in Russian mostly changes the last letters. */
const stem = (word: string): string => word.toLowerCase().replace(/ё/g, 'е').slice(0, 5);

/** The same appeal twice in the archive (a copy, or a copy with other spacing): never a negative of itself. */
export const fingerprint = (text: string): string => words(text).join(' ').toLowerCase();

const REPEAT_PREFIXES = [
  'Повторно обращаюсь по поводу: ',
  'Пишу второй раз. ',
  'Это уже повторное обращение! ',
  'Снова пишу вам, ничего не изменилось. ',
  'Ещё раз напоминаю: ',
  'Обращалась месяц назад, ответа нет. ',
  'Опять то же самое. ',
];
const GREETINGS = ['Здравствуйте! ', 'Добрый день. ', 'Доброго времени суток. ', 'Уважаемая администрация! '];
const COMPLAINTS = [
  ' Ответа так и не получил.',
  ' Прошло уже две недели, никаких мер не принято!',
  ' Сколько можно ждать?',
  ' Вы обещали решить, но ничего не сделано.',
  ' Ранее обращались, получили отписку и всё.',
  ' Примите наконец меры!',
];
const RETELLINGS = [
  (key: string) => `${key} — до сих пор ничего не сделано.`,
  (key: string) => `Так и не решён вопрос: ${key}.`,
  (key: string) => `Опять ${key}!`,
  (key: string) => `${key}. Когда это закончится?`,
  (key: string) => `Напоминаю про ${key}, всё как было.`,
];
const ENDINGS = ['а', 'у', 'ы', 'е', 'и', 'ой', 'ом', 'ами', 'ах', 'ую', 'ого'];
/** Endings of most Russian verb forms: a retelling keeps the nouns (and their adjectives). */
const VERB = /(ть|ться|тся|те|ет|ют|ит|ят|ал|ла|ли|ил|ёт)$/i;
const NEIGHBOURS = 'йцукенгшщзхъфывапролджэячсмитьбю';

/** Document frequency of stems over the archive: what makes a word a key word of its appeal. */
export class KeyWords {
  private readonly df = new Map<string, number>();
  private readonly total: number;

  constructor(texts: readonly string[]) {
    for (const text of texts) {
      for (const s of new Set(words(text).map(stem))) this.df.set(s, (this.df.get(s) ?? 0) + 1);
    }
    this.total = texts.length;
  }

  /** Up to `count` of the rarest words (4+ letters, no verbs by their endings) of the text, in the text's order. */
  of(text: string, count: number): string[] {
    const candidates = [...new Set(words(text).filter((w) => w.length >= 4 && !/^\d+$/.test(w) && !VERB.test(w)))];
    const rarest = candidates
      .map((w) => ({ w, idf: Math.log(this.total / (this.df.get(stem(w)) ?? 1)) }))
      .sort((a, b) => b.idf - a.idf)
      .slice(0, count)
      .map((x) => x.w);
    return candidates.filter((w) => rarest.includes(w));
  }
}

const sentences = (text: string): string[] =>
  text
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** Another case ending on some words, as a retelling says the same nouns differently. */
function inflect(random: Random, word: string): string {
  if (word.length < 5 || !/[а-яё]$/i.test(word) || !chance(random, 0.5)) return word;
  const cut = /[аеёиоуыэюяй]$/i.test(word) ? 1 : 0;
  return word.slice(0, word.length - cut - (chance(random, 0.3) ? 1 : 0)) + pick(random, ENDINGS);
}

function typo(random: Random, word: string): string {
  if (word.length < 4) return word;
  const i = 1 + Math.floor(random() * (word.length - 2));
  switch (Math.floor(random() * 4)) {
    case 0:
      return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
    case 1:
      return word.slice(0, i) + word.slice(i + 1);
    case 2:
      return word.slice(0, i) + word[i] + word.slice(i);
    default:
      return word.slice(0, i) + pick(random, [...NEIGHBOURS]) + word.slice(i + 1);
  }
}

/** How a citizen writes about a matter again (or about another one, for negatives). */
export class Rewriter {
  constructor(
    private readonly random: Random,
    private readonly keyWords: KeyWords,
  ) {}

  /** A short retelling that keeps the key nouns, some in another case. */
  retell(text: string): string {
    const key = this.keyWords
      .of(text, 3 + Math.floor(this.random() * 4))
      .map((w) => inflect(this.random, w))
      .join(' ');
    return pick(this.random, RETELLINGS)(key.toLowerCase() === '' ? text : key);
  }

  /** The sentence with most key words, cut to 8–20 words. */
  shorten(text: string): string {
    const key = new Set(this.keyWords.of(text, 6).map(stem));
    const best = sentences(text)
      .map((s) => ({ s, score: words(s).filter((w) => key.has(stem(w))).length }))
      .sort((a, b) => b.score - a.score)[0];
    const kept = (best?.s ?? text).split(/\s+/).slice(0, 8 + Math.floor(this.random() * 13));
    return kept.join(' ');
  }

  /** The sentences in another order, some left out (at least one kept). */
  reorder(text: string): string {
    const all = shuffled(this.random, sentences(text));
    const kept = all.filter((_, i) => i === 0 || !chance(this.random, 0.35));
    return kept.join(' ');
  }

  typos(text: string): string {
    return text.replace(WORD, (w) => (chance(this.random, 0.15) ? typo(this.random, w) : w));
  }

  /**
   * The later message: a core (the text as it was, retold, shortened, or reordered), then
   * typos, a prefix (a greeting or "I write again"), a complaint about no answer — each drawn.
   */
  write(text: string): { text: string; recipe: string } {
    const core = pick(this.random, ['same', 'retell', 'shorten', 'reorder'] as const);
    let out = core === 'same' ? text : this[core](text);
    const recipe: string[] = [core];
    if (chance(this.random, 0.5)) {
      out = this.typos(out);
      recipe.push('typos');
    }
    if (chance(this.random, 0.5)) {
      out = pick(this.random, REPEAT_PREFIXES) + out;
      recipe.unshift('again');
    } else if (chance(this.random, 0.3)) {
      out = pick(this.random, GREETINGS) + out;
      recipe.unshift('greeting');
    }
    if (chance(this.random, 0.4)) {
      out += pick(this.random, COMPLAINTS);
      recipe.push('complaint');
    }
    return { text: out, recipe: recipe.join('+') };
  }
}

/** Street names the appeal mentions ("ул. Ленина", "улица Гагарина", "проспект Дружбы"). */
export function streetsOf(text: string): string[] {
  const found = text.matchAll(
    /(?:ул\.?|улиц[аеыуи]|пр-т|пр\.|проспект[ае]?|пер\.|переул[оке]+|бульвар[ае]?)\s*([А-ЯЁ][а-яё-]{3,})/g,
  );
  return [...new Set([...found].map((m) => stem(m[1])))];
}

/**
 * For each appeal: two repeats (two draws of the rewriter) and up to four other matters of the
 * same author — a random appeal of another topic, one of the same topic, one of the same
 * responsible body and another topic, one naming the same street — each rewritten the same way.
 */
export function buildPairs(appeals: readonly Appeal[], earlier: readonly Appeal[], seed: number): Pair[] {
  const random = seeded(seed);
  const rewriter = new Rewriter(random, new KeyWords(appeals.map((a) => a.text)));
  const byTopic = groupBy(appeals, (a) => a.topic);
  const byBody = groupBy(appeals, (a) => a.body);
  const byStreet = new Map<string, Appeal[]>();
  for (const appeal of appeals) {
    for (const street of streetsOf(appeal.text)) byStreet.set(street, [...(byStreet.get(street) ?? []), appeal]);
  }
  const other = (a: Appeal, pool: readonly Appeal[] | undefined, keep: (b: Appeal) => boolean): Appeal | null => {
    const fp = fingerprint(a.text);
    const left = (pool ?? []).filter((b) => b.id !== a.id && fingerprint(b.text) !== fp && keep(b));
    return left.length > 0 ? pick(random, left) : null;
  };
  const pairs: Pair[] = [];
  for (const a of earlier) {
    for (let i = 0; i < 2; i += 1) {
      const later = rewriter.write(a.text);
      pairs.push({ kind: 'repeat', repeat: true, earlier: a, later: later.text, recipe: later.recipe });
    }
    const negatives: Array<[PairKind, Appeal | null]> = [
      ['other-random', other(a, appeals, (b) => b.topic !== a.topic)],
      ['other-same-topic', other(a, byTopic.get(a.topic), () => true)],
      ['other-same-body', other(a, byBody.get(a.body), (b) => b.topic !== a.topic)],
      [
        'other-same-street',
        other(
          a,
          streetsOf(a.text).flatMap((s) => byStreet.get(s) ?? []),
          () => true,
        ),
      ],
    ];
    for (const [kind, b] of negatives) {
      if (!b) continue;
      const later = rewriter.write(b.text);
      pairs.push({ kind, repeat: false, earlier: a, later: later.text, recipe: later.recipe });
    }
  }
  return pairs;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
