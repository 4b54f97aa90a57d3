import type { SparseVector } from './features';
import { seededRandom, shuffle } from './random';

export type LinearKind = 'softmax' | 'svm' | 'complement-nb';

/** How a linear model is trained. */
export interface LinearOptions {
  /**
   * softmax: multinomial logistic regression (its scores are probabilities); svm: a multi-class
   * hinge loss (Crammer–Singer); complement-nb: complement naive Bayes (one pass, no epochs).
   */
  readonly kind: LinearKind;
  readonly epochs: number;
  /** The first step's size; steps shrink as 1 / (1 + rate · l2 · t). */
  readonly learningRate: number;
  /** L2 penalty on the weights (not the biases). */
  readonly l2: number;
  /** Complement naive Bayes' smoothing. */
  readonly alpha: number;
  /** Seeds the order of examples in each epoch: the same seed and data give the same model. */
  readonly seed: number;
  /** Each class keeps this many of its largest weights once trained (see sparsify). */
  readonly weightsPerClass: number;
}

export const DEFAULT_LINEAR: LinearOptions = {
  kind: 'softmax',
  epochs: 15,
  learningRate: 0.5,
  l2: 1e-5,
  alpha: 0.3,
  seed: 1,
  weightsPerClass: 2000,
};

/** Weights laid out feature by feature: the classes' weights of feature j are weights[j·C … j·C + C). */
export interface LinearWeights {
  readonly classes: number;
  readonly features: number;
  readonly weights: Float32Array | Float64Array;
  readonly bias: Float64Array;
}

/** The classes' scores for one vector. */
export function scores(model: LinearWeights, x: SparseVector): Float64Array {
  const { classes, weights } = model;
  const out = Float64Array.from(model.bias);
  for (let k = 0; k < x.indices.length; k++) {
    const base = x.indices[k] * classes;
    const v = x.values[k];
    for (let c = 0; c < classes; c++) out[c] += weights[base + c] * v;
  }
  return out;
}

/** Softmax in place, shifted by the maximum so that exp never overflows. */
export function softmax(values: Float64Array): Float64Array {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  let sum = 0;
  for (let c = 0; c < values.length; c++) {
    values[c] = Math.exp(values[c] - max);
    sum += values[c];
  }
  for (let c = 0; c < values.length; c++) values[c] /= sum;
  return values;
}

/** A class whose softmax gradient is below this for an example is not updated by it. */
const MIN_GRADIENT = 1e-4;

/** How many examples training goes through between two pauses (see `finish` and `finishAsync`). */
export const PAUSE_EVERY = 256;

/**
 * Trains on vectors of `features` dimensions with labels 0 … classes − 1. A generator that pauses
 * every PAUSE_EVERY examples, so that a server can let other work run while it trains.
 */
export function* trainLinear(
  vectors: readonly SparseVector[],
  labels: Int32Array,
  classes: number,
  features: number,
  options: LinearOptions = DEFAULT_LINEAR,
): Generator<void, LinearWeights> {
  if (vectors.length !== labels.length) throw new Error(`${vectors.length} vectors but ${labels.length} labels`);
  if (options.kind === 'complement-nb') return complementNaiveBayes(vectors, labels, classes, features, options.alpha);
  return yield* stochasticGradient(vectors, labels, classes, features, options);
}

/** Runs a pausing computation to its end at once. */
export function finish<T>(steps: Generator<void, T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** Runs a pausing computation, giving the event loop a turn at each pause. */
export async function finishAsync<T>(steps: Generator<void, T>): Promise<T> {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/**
 * Plain SGD with the L2 decay kept as one scale factor over all the weights (so each step costs
 * the non-zeros of one example times the classes, not the whole matrix).
 */
function* stochasticGradient(
  vectors: readonly SparseVector[],
  labels: Int32Array,
  classes: number,
  features: number,
  options: LinearOptions,
): Generator<void, LinearWeights> {
  const weights = new Float32Array(features * classes);
  const bias = new Float64Array(classes);
  const random = seededRandom(options.seed);
  const order = vectors.map((_, i) => i);
  const gradient = new Float64Array(classes);
  const moved = new Int32Array(classes);
  const rows = new Int32Array(vectors.reduce((most, x) => Math.max(most, x.indices.length), 0));
  const movedBy = new Float64Array(classes);
  let scale = 1;
  let t = 0;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffle(order, random);
    for (const i of order) {
      if (t % PAUSE_EVERY === PAUSE_EVERY - 1) yield;
      const eta = options.learningRate / (1 + options.learningRate * options.l2 * t);
      t += 1;
      const x = vectors[i];
      const y = labels[i];
      // Class by class, summing in a register: the example's rows of weights stay in cache.
      const nnz = x.indices.length;
      for (let k = 0; k < nnz; k++) rows[k] = x.indices[k] * classes;
      for (let c = 0; c < classes; c++) {
        let sum = 0;
        for (let k = 0; k < nnz; k++) sum += weights[rows[k] + c] * x.values[k];
        gradient[c] = bias[c] + sum * scale;
      }
      if (options.kind === 'softmax') {
        softmax(gradient);
        gradient[y] -= 1;
      } else {
        // Crammer–Singer: push the true class above the strongest other one by a margin of 1.
        let rival = y === 0 ? 1 : 0;
        for (let c = 0; c < classes; c++) if (c !== y && gradient[c] > gradient[rival]) rival = c;
        const violated = gradient[y] - gradient[rival] < 1;
        gradient.fill(0);
        if (violated) {
          gradient[y] = -1;
          gradient[rival] = 1;
        }
      }
      scale *= 1 - eta * options.l2;
      // Only the classes the example moves: once trained a little, most softmax gradients are ~0.
      let active = 0;
      for (let c = 0; c < classes; c++) {
        if (Math.abs(gradient[c]) > MIN_GRADIENT) {
          moved[active] = c;
          movedBy[active] = gradient[c];
          active += 1;
          bias[c] -= eta * gradient[c];
        }
      }
      for (let k = 0; k < x.indices.length; k++) {
        const base = x.indices[k] * classes;
        const step = (eta * x.values[k]) / scale;
        for (let a = 0; a < active; a++) weights[base + moved[a]] -= step * movedBy[a];
      }
      if (scale < 1e-6) {
        for (let j = 0; j < weights.length; j++) weights[j] *= scale;
        scale = 1;
      }
    }
  }
  for (let j = 0; j < weights.length; j++) weights[j] *= scale;
  return { classes, features, weights, bias };
}

/**
 * Complement naive Bayes (Rennie et al., 2003): each class is scored by how unlike the other
 * classes' texts the text is, which suits many classes of very different sizes.
 */
function complementNaiveBayes(
  vectors: readonly SparseVector[],
  labels: Int32Array,
  classes: number,
  features: number,
  alpha: number,
): LinearWeights {
  const perClass = new Float64Array(features * classes);
  const total = new Float64Array(features);
  vectors.forEach((x, i) => {
    for (let k = 0; k < x.indices.length; k++) {
      perClass[x.indices[k] * classes + labels[i]] += x.values[k];
      total[x.indices[k]] += x.values[k];
    }
  });
  const weights = new Float64Array(features * classes);
  const complementSum = new Float64Array(classes);
  for (let j = 0; j < features; j++) {
    for (let c = 0; c < classes; c++) {
      const v = total[j] - perClass[j * classes + c] + alpha;
      weights[j * classes + c] = v;
      complementSum[c] += v;
    }
  }
  const absSum = new Float64Array(classes);
  for (let j = 0; j < features; j++) {
    for (let c = 0; c < classes; c++) {
      const w = Math.log(weights[j * classes + c] / complementSum[c]);
      weights[j * classes + c] = w;
      absSum[c] += Math.abs(w);
    }
  }
  // Normalised per class and negated (a high score means close to the class), then scaled so
  // that a weight is about 1 on average: the scores' softmax then has a usable temperature, and
  // pruning (sparsify) does not round the weights away.
  for (let j = 0; j < features; j++) {
    for (let c = 0; c < classes; c++) weights[j * classes + c] = (-weights[j * classes + c] / absSum[c]) * features;
  }
  return { classes, features, weights, bias: new Float64Array(classes) };
}

/**
 * A trained model as it is served: per feature, the classes it weighs for (compressed sparse
 * rows), after pruning each class to its strongest weights. A dense features × classes matrix
 * of a couple of thousand texts is tens of megabytes; this is a few hundred kilobytes and ranks
 * in time proportional to the weights the text touches.
 */
export interface SparseLinear {
  readonly classes: number;
  readonly features: number;
  /** The weights of feature j are entries start[j] … start[j + 1] − 1. */
  readonly start: Int32Array;
  readonly classOf: Int32Array;
  readonly weight: Float64Array;
  readonly bias: Float64Array;
}

/** Weights are rounded to this step: what JSON stores, so that a model read back ranks exactly as trained. */
export const WEIGHT_STEP = 1e-4;
/** A weight in whole steps, as JSON stores it. */
export const toSteps = (w: number): number => Math.round(w / WEIGHT_STEP);
export const fromSteps = (steps: number): number => steps * WEIGHT_STEP;
const rounded = (w: number): number => fromSteps(toSteps(w));

/**
 * Keeps each class's `perClass` largest weights (by magnitude) and drops the features no class
 * keeps. Returns the model over the kept features and their old indices, ascending.
 */
export function sparsify(model: LinearWeights, perClass: number): { model: SparseLinear; kept: Int32Array } {
  const { classes, features } = model;
  // Taking the same amount from every class's weight of a feature changes no score difference,
  // so no ranking and no softmax probability; centred, a weight's size is how much the feature
  // tells that class from the others, which is what pruning should keep.
  const weights = Float64Array.from(model.weights);
  for (let j = 0; j < features; j++) {
    let mean = 0;
    for (let c = 0; c < classes; c++) mean += weights[j * classes + c];
    mean /= classes;
    for (let c = 0; c < classes; c++) weights[j * classes + c] -= mean;
  }
  const threshold = new Float64Array(classes);
  const magnitudes = new Float64Array(features);
  for (let c = 0; c < classes; c++) {
    for (let j = 0; j < features; j++) magnitudes[j] = Math.abs(weights[j * classes + c]);
    magnitudes.sort();
    threshold[c] = Math.max(features > perClass ? magnitudes[features - perClass] : 0, WEIGHT_STEP / 2);
  }
  const keep = (j: number, c: number): boolean => Math.abs(weights[j * classes + c]) >= threshold[c];
  const kept: number[] = [];
  for (let j = 0; j < features; j++) {
    for (let c = 0; c < classes; c++) {
      if (keep(j, c)) {
        kept.push(j);
        break;
      }
    }
  }
  const start = new Int32Array(kept.length + 1);
  const classOf: number[] = [];
  const weight: number[] = [];
  kept.forEach((j, row) => {
    for (let c = 0; c < classes; c++) {
      if (keep(j, c)) {
        classOf.push(c);
        weight.push(rounded(weights[j * classes + c]));
      }
    }
    start[row + 1] = classOf.length;
  });
  return {
    model: {
      classes,
      features: kept.length,
      start,
      classOf: Int32Array.from(classOf),
      weight: Float64Array.from(weight),
      bias: Float64Array.from(model.bias, rounded),
    },
    kept: Int32Array.from(kept),
  };
}

/** The classes' scores for one vector under a sparse model. */
export function sparseScores(model: SparseLinear, x: SparseVector): Float64Array {
  const out = Float64Array.from(model.bias);
  for (let k = 0; k < x.indices.length; k++) {
    const j = x.indices[k];
    const v = x.values[k];
    for (let e = model.start[j]; e < model.start[j + 1]; e++) out[model.classOf[e]] += model.weight[e] * v;
  }
  return out;
}
