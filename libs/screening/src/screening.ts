/**
 * Screening (regulation cl. 11): a message with intent to harm, obscene or offensive language, or
 * a threat to an official or their family is not processed or answered. Screening proposes the
 * exclusion with its evidence; the official confirms or overrules it. It flags what is said to
 * or of people, not sharp criticism of the administration's work, which is what the regulation
 * wants answered.
 */
import type { ExclusionReason } from '@otklik/contracts';
import { bundledLexicon, Lexicon } from './lexicon';
import { candidateWords, Token, tokens, Word } from './normalise';

/** CONTRACT.md `Screening`: the evidence is each matched span as it stands in the text. */
export interface Screening {
  readonly excluded: boolean;
  readonly reasons: readonly ExclusionReason[];
  readonly evidence: readonly string[];
}

/** One finding: the span [start, end) of the original text and the rule that found it. */
export interface ScreeningMatch {
  readonly reason: ExclusionReason;
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly rule: string;
}

export interface ScreeningReport extends Screening {
  /** Every finding, in the order of the text. */
  readonly matches: readonly ScreeningMatch[];
  readonly byReason: Readonly<Record<ExclusionReason, readonly ScreeningMatch[]>>;
}

/** The order of CONTRACT.md's `ExclusionReason`, the gravest first. */
const REASON_ORDER = ['THREAT', 'HARM_INTENT', 'OBSCENE', 'INSULT'] as const satisfies readonly ExclusionReason[];

interface Found {
  readonly reason: ExclusionReason;
  readonly start: number;
  readonly end: number;
  readonly rule: string;
}

const spanOf = (word: Word): { start: number; end: number } => ({
  start: word.starts[0],
  end: word.ends[word.ends.length - 1],
});

function obsceneIn(text: string, lexicon: Lexicon): Found[] {
  const found: Found[] = [];
  for (const word of candidateWords(text)) {
    if (word.text.replace(/\*/g, '').length < 2) continue;
    if (lexicon.obscene.allow.some((allow) => allow.test(word.text))) continue;
    const root = lexicon.obscene.roots.find((r) => r.test(word.text));
    if (root) found.push({ reason: 'OBSCENE', ...spanOf(word), rule: `obscene ${root.source}` });
  }
  return found;
}

/** The text's tokens split into sentences. */
function sentences(all: readonly Token[]): Token[][] {
  const result: Token[][] = [];
  for (const token of all) {
    if (token.sentenceStart || result.length === 0) result.push([]);
    result[result.length - 1].push(token);
  }
  return result;
}

const tokenSpan = (from: Token, to: Token): { start: number; end: number } => ({
  start: from.starts[0],
  end: to.ends[to.ends.length - 1],
});

function insultsIn(sentence: readonly Token[], lexicon: Lexicon): Found[] {
  const { always, addressed, targets, self } = lexicon.insult;
  const found: Found[] = [];
  sentence.forEach((token, k) => {
    // "мы не идиоты", "вы нас за дураков держите": the author speaks of himself.
    if (sentence.slice(Math.max(0, k - 2), k).some((t) => self.test(t.text))) return;
    const pattern = always.find((p) => p.test(token.text));
    if (pattern) {
      found.push({ reason: 'INSULT', ...tokenSpan(token, token), rule: `insult ${pattern.source}` });
      return;
    }
    const word = addressed.find((p) => p.test(token.text));
    if (!word) return;
    const next = sentence[k + 1];
    const saidTo =
      sentence.slice(Math.max(0, k - 3), k).some((t) => targets.test(t.text)) ||
      (next !== undefined && /^(?:вы|ты)$/.test(next.text));
    // Vocative: "Воры!", "Клоуны, когда дорогу сделаете?"
    const calledOut = k === 0 && /[!,]/.test(token.after);
    if (saidTo || calledOut)
      found.push({ reason: 'INSULT', ...tokenSpan(token, token), rule: `insult addressed ${word.source}` });
  });
  return found;
}

/** The [from, to] token indexes of the clause around k: commas, colons and brackets end a clause. */
function clauseAround(sentence: readonly Token[], k: number): [number, number] {
  let from = k;
  while (from > 0 && !sentence[from].commaBefore) from -= 1;
  let to = k;
  while (to + 1 < sentence.length && !sentence[to + 1].commaBefore) to += 1;
  return [from, to];
}

function harmVerbsIn(sentence: readonly Token[], lexicon: Lexicon): Found[] {
  const { strongVerbs, weakVerbs, strongInfinitives, infinitives, modals, negation, targets } = lexicon.harm;
  const { secondPerson, secondPersonPossessive, officials, family } = lexicon.threat;
  const found: Found[] = [];
  sentence.forEach((token, k) => {
    const strongInfinitive = strongInfinitives.test(token.text);
    const strong = strongInfinitive || strongVerbs.test(token.text);
    const weak = !strong && weakVerbs.test(token.text);
    const infinitive = strongInfinitive || (!strong && !weak && infinitives.test(token.text));
    if (!strong && !weak && !infinitive) return;
    if (k > 0 && negation.test(sentence[k - 1].text)) return;
    const [from, to] = clauseAround(sentence, k);
    const window: number[] = [];
    for (let i = Math.max(from, k - 3); i <= Math.min(to, k + 4); i++) if (i !== k) window.push(i);
    if (infinitive && !window.some((i) => i < k + 3 && modals.test(sentence[i].text))) return;
    const nearest = (test: (i: number) => boolean): number | undefined =>
      window.filter(test).sort((a, b) => Math.abs(a - k) - Math.abs(b - k))[0];
    const threatened = nearest(
      (i) =>
        secondPerson.test(sentence[i].text) ||
        officials.test(sentence[i].text) ||
        (secondPersonPossessive.test(sentence[i].text) &&
          (strong || (i + 1 < sentence.length && family.test(sentence[i + 1].text)))) ||
        (/^(?:его|е|их)$/.test(sentence[i].text) && i + 1 < sentence.length && family.test(sentence[i + 1].text)),
    );
    // "сожгу твой дом", "доберусь до его детей": the evidence runs to the noun.
    const withNoun = (i: number): number => (i + 1 < sentence.length && family.test(sentence[i + 1].text) ? i + 1 : i);
    const span = (i: number): { start: number; end: number } =>
      i < k ? tokenSpan(sentence[i], token) : tokenSpan(token, sentence[withNoun(i)]);
    if (threatened !== undefined) {
      found.push({ reason: 'THREAT', ...span(threatened), rule: `threat verb ${token.text}` });
      return;
    }
    const victim = nearest((i) => targets.test(sentence[i].text));
    if (victim !== undefined) found.push({ reason: 'HARM_INTENT', ...span(victim), rule: `harm verb ${token.text}` });
    else if (strong) found.push({ reason: 'HARM_INTENT', ...tokenSpan(token, token), rule: `harm verb ${token.text}` });
  });
  return found;
}

function phrasesIn(sentence: readonly Token[], reason: ExclusionReason, phrases: readonly RegExp[]): Found[] {
  const startsAt: number[] = [];
  let line = '';
  for (const token of sentence) {
    if (line) line += ' ';
    startsAt.push(line.length);
    line += token.text;
  }
  const tokenAt = (position: number): number => {
    let index = 0;
    while (index + 1 < startsAt.length && startsAt[index + 1] <= position) index += 1;
    return index;
  };
  const found: Found[] = [];
  for (const phrase of phrases) {
    for (const match of line.matchAll(phrase)) {
      const first = sentence[tokenAt(match.index)];
      const last = sentence[tokenAt(match.index + match[0].length - 1)];
      found.push({ reason, ...tokenSpan(first, last), rule: `${reason.toLowerCase()} phrase ${match[0]}` });
    }
  }
  return found;
}

/** Keeps, for each reason, the widest of the findings that overlap. */
function merged(found: readonly Found[]): Found[] {
  const sorted = [...found].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Found[] = [];
  for (const f of sorted) {
    const overlapping = kept.findIndex((k) => k.reason === f.reason && f.start < k.end && k.start < f.end);
    if (overlapping === -1) kept.push(f);
    else if (f.end - f.start > kept[overlapping].end - kept[overlapping].start) kept[overlapping] = f;
  }
  return kept.sort((a, b) => a.start - b.start || REASON_ORDER.indexOf(a.reason) - REASON_ORDER.indexOf(b.reason));
}

/** What screening finds in a text, with every match and its place. */
export function inspectText(text: string, lexicon: Lexicon = bundledLexicon): ScreeningReport {
  const found: Found[] = [...obsceneIn(text, lexicon)];
  for (const sentence of sentences(tokens(text))) {
    found.push(
      ...insultsIn(sentence, lexicon),
      ...harmVerbsIn(sentence, lexicon),
      ...phrasesIn(sentence, 'THREAT', lexicon.threat.phrases),
      ...phrasesIn(sentence, 'HARM_INTENT', lexicon.harm.phrases),
    );
  }
  const matches: ScreeningMatch[] = merged(found).map((f) => ({ ...f, text: text.slice(f.start, f.end) }));
  const byReason = Object.fromEntries(
    REASON_ORDER.map((reason) => [reason, matches.filter((m) => m.reason === reason)]),
  ) as Record<ExclusionReason, ScreeningMatch[]>;
  const reasons = REASON_ORDER.filter((reason) => byReason[reason].length > 0);
  const evidence = [...new Set(matches.map((m) => m.text))];
  return { excluded: reasons.length > 0, reasons, evidence, matches, byReason };
}

/** CONTRACT.md `screenText`: whether cl. 11 excludes the text, why, and the spans that show it. */
export function screenText(text: string, lexicon: Lexicon = bundledLexicon): Screening {
  const { excluded, reasons, evidence } = inspectText(text, lexicon);
  return { excluded, reasons, evidence };
}
