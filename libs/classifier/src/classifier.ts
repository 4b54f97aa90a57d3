/**
 * A text classifier written here rather than taken from npm: no well-kept JavaScript library
 * trains a sparse linear model on TF-IDF text features. `natural`'s classifiers keep dense
 * per-text vectors and train slowly; mljs' ml-logistic-regression and TensorFlow.js take dense
 * matrices (1,600 texts × tens of thousands of terms); wink's text classifier is naive Bayes
 * only. What is needed is small: word and character n-grams, TF-IDF, and a linear model trained
 * by SGD on sparse vectors — seconds for a couple of thousand texts, JSON out, no native code.
 */
import { DEFAULT_FEATURES, FeatureOptions, FeatureSpace, FeatureSpaceJson } from './features';
import {
  DEFAULT_LINEAR,
  finish,
  finishAsync,
  fromSteps,
  LinearOptions,
  softmax,
  SparseLinear,
  sparseScores,
  sparsify,
  toSteps,
  trainLinear,
} from './linear';

/** One labelled text. */
export interface Example {
  readonly text: string;
  readonly label: string;
}

/** A label with its score: the model's probability of it (softmax over all its labels). */
export interface Ranked {
  readonly label: string;
  readonly score: number;
}

export interface TrainOptions {
  readonly features?: Partial<FeatureOptions>;
  readonly model?: Partial<LinearOptions>;
}

/** The serialised classifier: plain JSON, to keep in a jsonb column or a file. */
export interface ClassifierJson {
  readonly format: 'otklik.classifier';
  readonly version: 1;
  readonly model: LinearOptions;
  readonly labels: readonly string[];
  readonly features: FeatureSpaceJson;
  /** The sparse weights (SparseLinear), each weight and bias in whole steps of 1e-4. */
  readonly start: readonly number[];
  readonly classOf: readonly number[];
  readonly weight: readonly number[];
  readonly bias: readonly number[];
  /** How many examples it was trained on. */
  readonly examples: number;
}

export class ClassifierFormatError extends Error {
  constructor(detail: string) {
    super(`not a serialised classifier: ${detail}`);
    this.name = 'ClassifierFormatError';
  }
}

const isIntegerArray = (value: unknown): value is number[] =>
  Array.isArray(value) && value.every((v) => Number.isInteger(v));

export class TextClassifier {
  private constructor(
    readonly labels: readonly string[],
    private readonly space: FeatureSpace,
    private readonly model: SparseLinear,
    private readonly options: LinearOptions,
    readonly examples: number,
  ) {}

  /** Trains on the examples; the same examples in the same order with the same options give the same model. */
  static train(examples: readonly Example[], options: TrainOptions = {}): TextClassifier {
    return finish(TextClassifier.training(examples, options));
  }

  /** train, letting the event loop run other work every few hundred examples (a server training in-process). */
  static trainAsync(examples: readonly Example[], options: TrainOptions = {}): Promise<TextClassifier> {
    return finishAsync(TextClassifier.training(examples, options));
  }

  private static *training(examples: readonly Example[], options: TrainOptions): Generator<void, TextClassifier> {
    if (examples.length === 0) throw new Error('cannot train a classifier on no examples');
    const featureOptions = { ...DEFAULT_FEATURES, ...options.features };
    const linearOptions = { ...DEFAULT_LINEAR, ...options.model };
    const labels = [...new Set(examples.map((e) => e.label))].sort();
    const indexOf = new Map(labels.map((l, i) => [l, i]));
    const { space, vectors } = yield* FeatureSpace.fit(
      examples.map((e) => e.text),
      featureOptions,
    );
    const y = Int32Array.from(examples, (e) => indexOf.get(e.label) as number);
    const dense = yield* trainLinear(vectors, y, labels.length, space.size, linearOptions);
    const { model, kept } = sparsify(dense, linearOptions.weightsPerClass);
    return new TextClassifier(labels, space.restrict(kept), model, linearOptions, examples.length);
  }

  /** How many terms the model weighs. */
  get features(): number {
    return this.model.features;
  }

  /** The `k` best labels for the text, best first; `among` keeps only those labels (scores stay over all). */
  rank(text: string, k = 3, among?: ReadonlySet<string>): Ranked[] {
    const probabilities = softmax(sparseScores(this.model, this.space.vectorise(text)));
    const ranked: Ranked[] = [];
    this.labels.forEach((label, c) => {
      if (!among || among.has(label)) ranked.push({ label, score: probabilities[c] });
    });
    ranked.sort((a, b) => b.score - a.score || (a.label < b.label ? -1 : 1));
    return ranked.slice(0, k);
  }

  toJson(): ClassifierJson {
    return {
      format: 'otklik.classifier',
      version: 1,
      model: this.options,
      labels: this.labels,
      features: this.space.toJson(),
      start: Array.from(this.model.start),
      classOf: Array.from(this.model.classOf),
      weight: Array.from(this.model.weight, toSteps),
      bias: Array.from(this.model.bias, toSteps),
      examples: this.examples,
    };
  }

  /** Reads back what toJson wrote; anything else fails with ClassifierFormatError naming what is wrong. */
  static fromJson(value: unknown): TextClassifier {
    const json = value as Partial<ClassifierJson> | null;
    if (typeof json !== 'object' || json === null || json.format !== 'otklik.classifier') {
      throw new ClassifierFormatError('format must be "otklik.classifier"');
    }
    if (json.version !== 1) throw new ClassifierFormatError(`version ${String(json.version)} is not 1`);
    const { labels, features, start, classOf, weight, bias, model, examples } = json;
    if (!Array.isArray(labels) || !labels.every((l) => typeof l === 'string')) {
      throw new ClassifierFormatError('labels must be an array of strings');
    }
    if (!features || !Array.isArray(features.terms) || !Array.isArray(features.idf) || !model) {
      throw new ClassifierFormatError('features (terms, idf) and model are required');
    }
    for (const [name, array] of Object.entries({ start, classOf, weight, bias })) {
      if (!isIntegerArray(array)) throw new ClassifierFormatError(`${name} must be an array of integers`);
    }
    const space = FeatureSpace.fromJson(features);
    const rows = start as number[];
    const classes = classOf as number[];
    if (rows.length !== space.size + 1 || rows[0] !== 0 || rows[rows.length - 1] !== classes.length) {
      throw new ClassifierFormatError(`start must run from 0 to ${classes.length} over ${space.size} terms`);
    }
    if ((weight as number[]).length !== classes.length || (bias as number[]).length !== labels.length) {
      throw new ClassifierFormatError(`${labels.length} labels: weights and biases do not match them`);
    }
    const stray = classes.find((c) => c < 0 || c >= labels.length);
    if (stray !== undefined)
      throw new ClassifierFormatError(`a weight names class ${stray}; there are ${labels.length}`);
    return new TextClassifier(
      labels,
      space,
      {
        classes: labels.length,
        features: space.size,
        start: Int32Array.from(rows),
        classOf: Int32Array.from(classes),
        weight: Float64Array.from(weight as number[], fromSteps),
        bias: Float64Array.from(bias as number[], fromSteps),
      },
      model,
      typeof examples === 'number' ? examples : 0,
    );
  }
}
