import { FeatureOptions, FeatureSpace, SparseVector } from './features';
import { finish } from './linear';

/**
 * A topic taxonomy in the shape of the ЦУР incident classifier: groups of topics, each topic with
 * the description of what a message on it must contain («Тема должна содержать»).
 */
export interface Taxonomy {
  readonly groups: readonly {
    readonly group: string;
    readonly topics: readonly { readonly topic: string; readonly description?: string }[];
  }[];
}

export interface TaxonomyTopic {
  /** "group.topic", both counted from 1 in the taxonomy's order: stable while the taxonomy is. */
  readonly code: string;
  readonly group: string;
  readonly name: string;
  readonly description: string;
}

export interface RankedTopic extends TaxonomyTopic {
  /** Cosine similarity of the text to the topic's name and description, 0 … 1. */
  readonly score: number;
}

export class TaxonomyFormatError extends Error {
  constructor(detail: string) {
    super(`not a topic taxonomy: ${detail}`);
    this.name = 'TaxonomyFormatError';
  }
}

const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/** Checks an untrusted value (an uploaded file) and returns its topics; the error names the first bad place. */
export function taxonomyTopics(value: unknown): TaxonomyTopic[] {
  const groups = (value as Partial<Taxonomy> | null)?.groups;
  if (!Array.isArray(groups) || groups.length === 0)
    throw new TaxonomyFormatError('"groups" must be a non-empty array');
  const topics: TaxonomyTopic[] = [];
  groups.forEach((group: unknown, g) => {
    const { group: name, topics: list } = (group ?? {}) as { group?: unknown; topics?: unknown };
    if (!nonEmpty(name)) throw new TaxonomyFormatError(`groups[${g}].group must be a non-empty string`);
    if (!Array.isArray(list)) throw new TaxonomyFormatError(`groups[${g}].topics must be an array`);
    list.forEach((topic: unknown, t) => {
      const { topic: title, description } = (topic ?? {}) as { topic?: unknown; description?: unknown };
      if (!nonEmpty(title)) throw new TaxonomyFormatError(`groups[${g}].topics[${t}].topic must be a non-empty string`);
      if (description !== undefined && description !== null && typeof description !== 'string') {
        throw new TaxonomyFormatError(`groups[${g}].topics[${t}].description must be a string`);
      }
      topics.push({
        code: `${g + 1}.${t + 1}`,
        group: name.trim(),
        name: title.trim(),
        description: (description ?? '').trim(),
      });
    });
  });
  if (topics.length === 0) throw new TaxonomyFormatError('it has no topics');
  return topics;
}

/** Words and short character n-grams: the topics' texts are short, so every term counts. */
const TOPIC_FEATURES: FeatureOptions = {
  wordNgrams: 1,
  charNgrams: [4, 5],
  minDocumentFrequency: 1,
  maxFeatures: 100_000,
  charWeight: 1,
};

const dot = (a: SparseVector, b: SparseVector): number => {
  let sum = 0;
  for (let i = 0, j = 0; i < a.indices.length && j < b.indices.length;) {
    if (a.indices[i] === b.indices[j]) sum += a.values[i++] * b.values[j++];
    else if (a.indices[i] < b.indices[j]) i += 1;
    else j += 1;
  }
  return sum;
};

/**
 * Ranks a taxonomy's topics for a text without any labelled example: TF-IDF cosine similarity of
 * the text to each topic's name (counted twice), description and group. What an organisation
 * gets before it has an archive to learn from; weak next to a trained model, but in the words
 * officials already use.
 */
export class TopicRanker {
  private constructor(
    readonly topics: readonly TaxonomyTopic[],
    private readonly space: FeatureSpace,
    private readonly vectors: readonly SparseVector[],
  ) {}

  static fromTaxonomy(taxonomy: unknown): TopicRanker {
    const topics = taxonomyTopics(taxonomy);
    const documents = topics.map((t) => `${t.name}. ${t.name}. ${t.description} ${t.group}`);
    const { space, vectors } = finish(FeatureSpace.fit(documents, TOPIC_FEATURES));
    return new TopicRanker(topics, space, vectors);
  }

  /** The `k` most similar topics, best first; topics sharing nothing with the text are left out. */
  rank(text: string, k = 3): RankedTopic[] {
    const x = this.space.vectorise(text);
    return this.topics
      .map((topic, i) => ({ ...topic, score: dot(x, this.vectors[i]) }))
      .filter((t) => t.score > 0)
      .sort((a, b) => b.score - a.score || (a.code < b.code ? -1 : 1))
      .slice(0, k);
  }
}
