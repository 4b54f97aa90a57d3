/**
 * The lexicons of data/, validated and compiled when the library loads: a bad pattern fails at
 * start with its file and place, not on the first message that reaches it.
 */
import criticalJson from './data/critical.json';
import notCriticalJson from './data/not-critical.json';

/** Signs that a message is a complaint, a criticism or a request that needs an answer (cl. 1, 5). */
export const CRITICAL_KINDS = ['PROBLEM', 'REQUEST', 'QUESTION', 'DISCONTENT', 'SERVICE', 'ADDRESS'] as const;
/** Signs that it is not: praise and thanks, chatter, news and announcements, advertising. */
export const NOT_CRITICAL_KINDS = ['PRAISE', 'CHATTER', 'NEWS', 'AD'] as const;
export const SIGNAL_KINDS = [...CRITICAL_KINDS, ...NOT_CRITICAL_KINDS] as const;

export type CriticalKind = (typeof CRITICAL_KINDS)[number];
export type NotCriticalKind = (typeof NOT_CRITICAL_KINDS)[number];
export type SignalKind = (typeof SIGNAL_KINDS)[number];

export class CriticalityLexiconError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CriticalityLexiconError';
  }
}

export interface Pattern {
  readonly regex: RegExp;
  readonly weight: number;
  /** The pattern as written in its file, for the report. */
  readonly source: string;
}

export interface KindLexicon {
  readonly weight: number;
  /** The most a kind adds to the score however many of its patterns match. */
  readonly cap: number;
  readonly patterns: readonly Pattern[];
}

export type Lexicon = Readonly<Record<SignalKind, KindLexicon>>;

/** Letters a word may hold after normalise.ts: Cyrillic (ё read as е), Latin, digits. */
const LETTER = '[а-яa-z0-9]';

/**
 * A pattern is a JavaScript regular expression over a sentence's words joined by single spaces,
 * with two shorthands: `_` is the rest of a word (an ending: `отключ_` for отключили,
 * отключение …), `~` a gap of up to two words (`нет ~ воды` for «нет горячей воды»). It matches
 * whole words only: it is tried at each word's start (sticky, so that a pattern costs one short
 * attempt per word rather than a scan of every position) and must end at a word's end. Words are
 * read with ё as е and three or more of one letter as one, and so is the pattern.
 */
function compile(where: string, source: string): RegExp {
  const expanded = source
    .replace(/ё/g, 'е')
    .replace(/(\p{L})\1{2,}/gu, '$1')
    .replace(/\s*~\s*/g, ` (?:${LETTER}+ ){0,2}`)
    .replace(/_/g, '[а-яa-z]*');
  let regex: RegExp;
  try {
    regex = new RegExp(`(?:${expanded})(?![а-яa-z0-9])`, 'y');
  } catch (error) {
    throw new CriticalityLexiconError(`${where}: ${(error as Error).message}`);
  }
  if (regex.test('')) throw new CriticalityLexiconError(`${where}: pattern matches an empty text`);
  regex.lastIndex = 0;
  return regex;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isWeight = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 10;

function kindOf(file: string, kind: string, json: unknown): KindLexicon {
  const where = `${file}: ${kind}`;
  if (!isRecord(json)) throw new CriticalityLexiconError(`${where} must be { weight, cap, patterns }`);
  const { weight, cap, patterns } = json;
  if (!isWeight(weight)) throw new CriticalityLexiconError(`${where}.weight must be an integer from 1 to 10`);
  if (!isWeight(cap) || cap < weight)
    throw new CriticalityLexiconError(`${where}.cap must be an integer from weight to 10`);
  if (!Array.isArray(patterns)) throw new CriticalityLexiconError(`${where}.patterns must be a list`);
  return {
    weight,
    cap,
    patterns: patterns.map((entry, i) => {
      const place = `${where}.patterns[${i}]`;
      if (!isRecord(entry) || typeof entry.pattern !== 'string' || entry.pattern.trim() === '') {
        throw new CriticalityLexiconError(`${place} must be { pattern, weight?, note? } with a non-empty pattern`);
      }
      if (entry.weight !== undefined && !isWeight(entry.weight)) {
        throw new CriticalityLexiconError(`${place}.weight must be an integer from 1 to 10`);
      }
      return { regex: compile(place, entry.pattern), weight: entry.weight ?? weight, source: entry.pattern };
    }),
  };
}

function side<K extends SignalKind>(file: string, json: unknown, kinds: readonly K[]): Record<K, KindLexicon> {
  if (!isRecord(json) || !isRecord(json.kinds))
    throw new CriticalityLexiconError(`${file}: expected { "kinds": { … } }`);
  const given = json.kinds;
  const unknown = Object.keys(given).filter((k) => !(kinds as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw new CriticalityLexiconError(`${file}: unknown kinds ${unknown.join(', ')}; expected ${kinds.join(', ')}`);
  }
  return Object.fromEntries(
    kinds.map((kind) => {
      if (!(kind in given)) throw new CriticalityLexiconError(`${file}: kind ${kind} is missing`);
      return [kind, kindOf(file, kind, given[kind])];
    }),
  ) as Record<K, KindLexicon>;
}

/** Validates and compiles the two lexicons; exported so that tests can prove a bad file is refused. */
export function loadLexicon(files: { critical: unknown; notCritical: unknown }): Lexicon {
  return {
    ...side('critical', files.critical, CRITICAL_KINDS),
    ...side('not-critical', files.notCritical, NOT_CRITICAL_KINDS),
  };
}

export const bundledLexicon: Lexicon = loadLexicon({ critical: criticalJson, notCritical: notCriticalJson });
