/**
 * Criticality (regulation cl. 1, 5): is a message a complaint, a criticism or a request that needs
 * an answer — or praise, chatter, news or an advertisement? Each side's signals are weighed, and
 * a message is critical unless the signs that it is not outweigh those that it is. When unsure —
 * no signal at all, or a tie — it is critical: a missed complaint costs a citizen their answer
 * and the administration a breach of cl. 5–6, an extra case costs an official one dismissal.
 */
import {
  bundledLexicon,
  CRITICAL_KINDS,
  CriticalKind,
  Lexicon,
  NOT_CRITICAL_KINDS,
  SIGNAL_KINDS,
  SignalKind,
} from './lexicon';
import { read, Sentence } from './normalise';

export interface CriticalitySignal {
  readonly kind: SignalKind;
  /** The span as it stands in the text. */
  readonly evidence: string;
}

export interface Criticality {
  readonly critical: boolean;
  /**
   * The weight of the signals that the message is critical minus the weight of those that it is
   * not, each kind capped; critical when it is 0 or more.
   */
  readonly score: number;
  /** Every signal found, in the order of the text. */
  readonly signals: readonly CriticalitySignal[];
}

/** One finding: the span [start, end) of the original text, the rule that found it and its weight. */
export interface CriticalityMatch extends CriticalitySignal {
  readonly start: number;
  readonly end: number;
  readonly weight: number;
  readonly rule: string;
}

export interface CriticalityReport extends Criticality {
  readonly matches: readonly CriticalityMatch[];
  /** What each kind added to its side (capped). */
  readonly byKind: Readonly<Record<SignalKind, number>>;
}

/** A text of emoji, «+» or dots and nothing else is a reaction, not a message to answer. */
const NO_WORDS = { kind: 'CHATTER', weight: 3, rule: 'no words' } as const;
/** A link with nothing else is a repost or an advertisement. */
const LINK_ONLY = { kind: 'NEWS', weight: 3, rule: 'a link alone' } as const;
/** A link beside words: a little more likely news or an advertisement than a complaint. */
const LINK = { kind: 'NEWS', weight: 1, rule: 'a link' } as const;
/** A sentence that asks: questions to the authorities want answers; chatter's questions are outweighed. */
const QUESTION_MARK = { kind: 'QUESTION', weight: 1, rule: 'a question mark' } as const;
const QUESTION_WORDS = 8;

/** Each pattern tried at each word's start; after a match, again from the first word past it. */
function patternsIn(sentence: Sentence, text: string, lexicon: Lexicon): CriticalityMatch[] {
  const { at, words, line } = sentence;
  const found: CriticalityMatch[] = [];
  for (const kind of SIGNAL_KINDS) {
    for (const pattern of lexicon[kind].patterns) {
      for (let first = 0; first < words.length; first += 1) {
        pattern.regex.lastIndex = at[first];
        const match = pattern.regex.exec(line);
        if (!match) continue;
        const matchEnd = at[first] + match[0].length;
        let last = first;
        while (last + 1 < words.length && at[last + 1] < matchEnd) last += 1;
        const start = words[first].start;
        const end = words[last].end;
        found.push({
          kind,
          evidence: text.slice(start, end),
          start,
          end,
          weight: pattern.weight,
          rule: pattern.source,
        });
        first = last;
      }
    }
  }
  return found;
}

function structureOf(text: string, reading: ReturnType<typeof read>): CriticalityMatch[] {
  const found: CriticalityMatch[] = [];
  const at = (rule: { kind: SignalKind; weight: number; rule: string }, start: number, end: number): void => {
    found.push({ ...rule, start, end, evidence: text.slice(start, end) });
  };
  const trimmed = text.trim();
  if (!reading.hasWords) {
    if (reading.links.length > 0) at(LINK_ONLY, reading.links[0].start, reading.links[0].end);
    else if (trimmed !== '') at(NO_WORDS, text.indexOf(trimmed), text.indexOf(trimmed) + trimmed.length);
    return found;
  }
  for (const link of reading.links) at(LINK, link.start, link.end);
  for (const sentence of reading.sentences) {
    // The evidence is the question's last words, up to its mark: enough to recognise it.
    const from = sentence.words[Math.max(0, sentence.words.length - QUESTION_WORDS)].start;
    if (sentence.question) at(QUESTION_MARK, from, text.indexOf('?', sentence.end) + 1);
  }
  return found;
}

/** What criticality finds in a text, with every match, its place and weight. */
export function inspectCriticality(text: string, lexicon: Lexicon = bundledLexicon): CriticalityReport {
  const reading = read(text);
  const matches = [
    ...structureOf(text, reading),
    ...reading.sentences.flatMap((sentence) => patternsIn(sentence, text, lexicon)),
  ].sort((a, b) => a.start - b.start || b.end - a.end);
  const byKind = Object.fromEntries(SIGNAL_KINDS.map((kind) => [kind, 0])) as Record<SignalKind, number>;
  for (const kind of SIGNAL_KINDS) {
    // Each rule counts once however often it matches: «опять… опять… опять» is one sign.
    const rules = new Map<string, number>();
    for (const m of matches) if (m.kind === kind) rules.set(m.rule, Math.max(rules.get(m.rule) ?? 0, m.weight));
    const sum = [...rules.values()].reduce((a, b) => a + b, 0);
    byKind[kind] = Math.min(sum, lexicon[kind].cap);
  }
  const side = (kinds: readonly SignalKind[]): number => kinds.reduce((sum, kind) => sum + byKind[kind], 0);
  const score = side(CRITICAL_KINDS) - side(NOT_CRITICAL_KINDS);
  const seen = new Set<string>();
  const signals = matches
    .filter((m) => {
      const key = `${m.kind}\u0000${m.evidence}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map(({ kind, evidence }) => ({ kind, evidence }));
  return { critical: score >= 0, score, signals, matches, byKind };
}

/** Whether the text is a critical message (cl. 1), how strongly, and the spans that show it. */
export function assessCriticality(text: string, lexicon: Lexicon = bundledLexicon): Criticality {
  const { critical, score, signals } = inspectCriticality(text, lexicon);
  return { critical, score, signals };
}

/** Whether a kind is a sign of a critical message. */
export const isCriticalKind = (kind: SignalKind): kind is CriticalKind =>
  (CRITICAL_KINDS as readonly string[]).includes(kind);
