/**
 * The lexicons of data/, one per reason, validated and compiled when the library loads: a bad
 * pattern fails at start with its file and place, not on the first message that reaches it.
 */
import harmIntentJson from './data/harm-intent.json';
import insultJson from './data/insult.json';
import obsceneJson from './data/obscene.json';
import threatJson from './data/threat.json';

export class ScreeningLexiconError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScreeningLexiconError';
  }
}

/**
 * Words are read with runs of one letter collapsed and ё as е (normalise.ts), so a pattern is
 * read the same way: 'комм' becomes 'ком', 'её' becomes 'е'.
 */
function normalisedSource(source: string): string {
  return source.replace(/ё/g, 'е').replace(/([а-я])\1+/g, '$1');
}

function compile(where: string, source: unknown, flags: string, wrap: (s: string) => string): RegExp {
  if (typeof source !== 'string' || source === '')
    throw new ScreeningLexiconError(`${where}: pattern must be a non-empty string`);
  try {
    return new RegExp(wrap(normalisedSource(source)), flags);
  } catch (error) {
    throw new ScreeningLexiconError(`${where}: ${(error as Error).message}`);
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function patternList(file: string, json: Record<string, unknown>, key: string): string[] {
  const list = json[key];
  if (!Array.isArray(list)) throw new ScreeningLexiconError(`${file}: ${key} must be a list`);
  return list.map((entry, i) => {
    if (!isRecord(entry) || typeof entry.pattern !== 'string') {
      throw new ScreeningLexiconError(`${file}: ${key}[${i}] must be { pattern, note? }`);
    }
    return entry.pattern;
  });
}

function patternOf(file: string, json: Record<string, unknown>, key: string): string {
  const entry = json[key];
  if (!isRecord(entry) || typeof entry.pattern !== 'string') {
    throw new ScreeningLexiconError(`${file}: ${key} must be { pattern, note? }`);
  }
  return entry.pattern;
}

const whole = (s: string): string => `^(?:${s})$`;
/** A phrase on a line of words joined by single spaces: not inside another word. */
const phrase = (s: string): string => `(?<![а-я*])(?:${s})(?![а-я*])`;

export interface Lexicon {
  readonly obscene: { readonly roots: readonly RegExp[]; readonly allow: readonly RegExp[] };
  readonly insult: {
    readonly always: readonly RegExp[];
    readonly addressed: readonly RegExp[];
    readonly targets: RegExp;
    readonly self: RegExp;
  };
  readonly harm: {
    readonly strongVerbs: RegExp;
    readonly weakVerbs: RegExp;
    readonly strongInfinitives: RegExp;
    readonly infinitives: RegExp;
    readonly modals: RegExp;
    readonly negation: RegExp;
    readonly targets: RegExp;
    readonly phrases: readonly RegExp[];
  };
  readonly threat: {
    readonly secondPerson: RegExp;
    readonly secondPersonPossessive: RegExp;
    readonly officials: RegExp;
    readonly family: RegExp;
    readonly phrases: readonly RegExp[];
  };
}

/** Validates and compiles the four lexicons; exported so that tests can prove a bad file is refused. */
export function loadLexicon(files: {
  obscene: unknown;
  insult: unknown;
  harmIntent: unknown;
  threat: unknown;
}): Lexicon {
  const { obscene, insult, harmIntent, threat } = files;
  for (const [name, json] of Object.entries(files)) {
    if (!isRecord(json)) throw new ScreeningLexiconError(`${name}: expected a JSON object`);
  }
  const o = obscene as Record<string, unknown>;
  const i = insult as Record<string, unknown>;
  const h = harmIntent as Record<string, unknown>;
  const t = threat as Record<string, unknown>;
  const list = (
    file: string,
    json: Record<string, unknown>,
    key: string,
    wrap: (s: string) => string,
    flags = '',
  ): RegExp[] => patternList(file, json, key).map((p, n) => compile(`${file}: ${key}[${n}]`, p, flags, wrap));
  const one = (file: string, json: Record<string, unknown>, key: string, wrap: (s: string) => string): RegExp =>
    compile(`${file}: ${key}`, patternOf(file, json, key), '', wrap);
  const identity = (s: string): string => s;
  return {
    obscene: { roots: list('obscene', o, 'roots', identity), allow: list('obscene', o, 'allow', identity) },
    insult: {
      always: list('insult', i, 'always', whole),
      addressed: list('insult', i, 'addressed', whole),
      targets: one('insult', i, 'targets', whole),
      self: one('insult', i, 'self', whole),
    },
    harm: {
      strongVerbs: one('harm-intent', h, 'strongVerbs', whole),
      weakVerbs: one('harm-intent', h, 'weakVerbs', whole),
      strongInfinitives: one('harm-intent', h, 'strongInfinitives', whole),
      infinitives: one('harm-intent', h, 'infinitives', whole),
      modals: one('harm-intent', h, 'modals', whole),
      negation: one('harm-intent', h, 'negation', whole),
      targets: one('harm-intent', h, 'targets', whole),
      phrases: list('harm-intent', h, 'phrases', phrase, 'g'),
    },
    threat: {
      secondPerson: one('threat', t, 'secondPerson', whole),
      secondPersonPossessive: one('threat', t, 'secondPersonPossessive', whole),
      officials: one('threat', t, 'officials', whole),
      family: one('threat', t, 'family', whole),
      phrases: list('threat', t, 'phrases', phrase, 'g'),
    },
  };
}

export const bundledLexicon: Lexicon = loadLexicon({
  obscene: obsceneJson,
  insult: insultJson,
  harmIntent: harmIntentJson,
  threat: threatJson,
});
