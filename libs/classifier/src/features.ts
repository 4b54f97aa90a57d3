import { PAUSE_EVERY } from './linear';
import { normalise, STOP_WORDS, words } from './normalise';

/** How a text becomes a vector. */
export interface FeatureOptions {
  /** Word unigrams, and bigrams of neighbouring words when 2. */
  readonly wordNgrams: 1 | 2;
  /** Character n-grams of each word with its boundaries marked ("^вод", "ода$"), lengths [min, max]; null for none. */
  readonly charNgrams: readonly [number, number] | null;
  /** A term must appear in this many training texts to be kept (rarer ones are noise and weight). */
  readonly minDocumentFrequency: number;
  /** The most frequent terms kept, at most. */
  readonly maxFeatures: number;
  /** Weight of the character n-grams against the words, before the L2 norm. */
  readonly charWeight: number;
}

export const DEFAULT_FEATURES: FeatureOptions = {
  wordNgrams: 2,
  charNgrams: [3, 4],
  minDocumentFrequency: 2,
  maxFeatures: 60_000,
  charWeight: 1,
};

/** A sparse vector: ascending indices with their values. */
export interface SparseVector {
  readonly indices: Int32Array;
  readonly values: Float64Array;
}

/** The terms of one text with their counts ("w:" word, "b:" bigram, "c:" character n-gram). */
export function terms(text: string, options: FeatureOptions): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (term: string): void => {
    counts.set(term, (counts.get(term) ?? 0) + 1);
  };
  const tokens = words(normalise(text));
  tokens.forEach((word, i) => {
    if (!STOP_WORDS.has(word)) add(`w:${word}`);
    if (options.wordNgrams === 2 && i > 0) add(`b:${tokens[i - 1]} ${word}`);
    if (options.charNgrams && word.length > 1) {
      const [min, max] = options.charNgrams;
      const marked = `^${word}$`;
      for (let n = min; n <= max; n++) {
        for (let start = 0; start + n <= marked.length; start++) add(`c:${marked.slice(start, start + n)}`);
      }
    }
  });
  return counts;
}

/** What a fitted feature space serialises to. */
export interface FeatureSpaceJson {
  readonly options: FeatureOptions;
  readonly terms: readonly string[];
  readonly idf: readonly number[];
}

/**
 * TF-IDF over a vocabulary fitted on the training texts: sublinear term frequency (1 + ln tf),
 * smoothed idf, L2 norm. A vocabulary rather than hashing keeps the model's weights to the terms
 * that occur, and lets its JSON say which terms they are.
 */
export class FeatureSpace {
  private readonly index: ReadonlyMap<string, number>;

  private constructor(
    readonly options: FeatureOptions,
    readonly terms: readonly string[],
    private readonly idf: Float64Array,
  ) {
    this.index = new Map(terms.map((t, i) => [t, i]));
  }

  get size(): number {
    return this.terms.length;
  }

  /** Fits the vocabulary and idf on `texts` and returns the space with each text's vector (pausing, like trainLinear). */
  static *fit(
    texts: readonly string[],
    options: FeatureOptions = DEFAULT_FEATURES,
  ): Generator<void, { space: FeatureSpace; vectors: SparseVector[] }> {
    const perText: Map<string, number>[] = [];
    for (const text of texts) {
      perText.push(terms(text, options));
      if (perText.length % PAUSE_EVERY === 0) yield;
    }
    const documentFrequency = new Map<string, number>();
    for (const counts of perText) {
      for (const term of counts.keys()) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
    }
    const kept = [...documentFrequency]
      .filter(([, df]) => df >= options.minDocumentFrequency)
      // Most frequent first, then by the term itself, so the vocabulary does not depend on Map order.
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, options.maxFeatures);
    const n = texts.length;
    // Rounded as JSON stores it, so that a space read back weighs texts exactly as the fitted one.
    const idf = Float64Array.from(kept, ([, df]) => Math.round((Math.log((1 + n) / (1 + df)) + 1) * 1e4) / 1e4);
    const space = new FeatureSpace(
      options,
      kept.map(([term]) => term),
      idf,
    );
    return { space, vectors: perText.map((counts) => space.weigh(counts)) };
  }

  static fromJson(json: FeatureSpaceJson): FeatureSpace {
    if (json.terms.length !== json.idf.length) {
      throw new Error(`feature space: ${json.terms.length} terms but ${json.idf.length} idf values`);
    }
    return new FeatureSpace(json.options, json.terms, Float64Array.from(json.idf));
  }

  /** The space over some of its terms (old indices, ascending), e.g. those a pruned model still weighs. */
  restrict(kept: Int32Array): FeatureSpace {
    return new FeatureSpace(
      this.options,
      Array.from(kept, (j) => this.terms[j]),
      Float64Array.from(kept, (j) => this.idf[j]),
    );
  }

  toJson(): FeatureSpaceJson {
    return { options: this.options, terms: this.terms, idf: Array.from(this.idf) };
  }

  vectorise(text: string): SparseVector {
    return this.weigh(terms(text, this.options));
  }

  private weigh(counts: ReadonlyMap<string, number>): SparseVector {
    const entries: [number, number][] = [];
    for (const [term, count] of counts) {
      const i = this.index.get(term);
      const weight = term.startsWith('c:') ? this.options.charWeight : 1;
      if (i !== undefined) entries.push([i, (1 + Math.log(count)) * this.idf[i] * weight]);
    }
    entries.sort((a, b) => a[0] - b[0]);
    const norm = Math.sqrt(entries.reduce((sum, [, v]) => sum + v * v, 0)) || 1;
    return {
      indices: Int32Array.from(entries, ([i]) => i),
      values: Float64Array.from(entries, ([, v]) => v / norm),
    };
  }
}
