import { Example, TextClassifier, TrainOptions } from './classifier';
import { seededRandom, shuffle } from './random';

/**
 * Fold numbers 0 … k − 1 for each item, stratified: each label's items are shuffled (seeded) and
 * dealt round the folds, continuing where the previous label stopped, so every fold gets its share
 * of every label and the folds differ in size by at most one.
 */
export function stratifiedFolds(labels: readonly string[], k: number, seed: number): number[] {
  if (!Number.isInteger(k) || k < 2) throw new Error(`folds: k must be an integer ≥ 2, got ${k}`);
  const random = seededRandom(seed);
  const byLabel = new Map<string, number[]>();
  labels.forEach((label, i) => byLabel.set(label, [...(byLabel.get(label) ?? []), i]));
  const folds = new Array<number>(labels.length);
  let next = 0;
  for (const label of [...byLabel.keys()].sort()) {
    for (const i of shuffle(byLabel.get(label) as number[], random)) {
      folds[i] = next;
      next = (next + 1) % k;
    }
  }
  return folds;
}

/** A stratified split: about `testShare` of each label's items held out (rare labels may fall on one side). */
export function stratifiedSplit(
  labels: readonly string[],
  testShare: number,
  seed: number,
): { train: number[]; test: number[] } {
  const k = Math.round(1 / testShare);
  const folds = stratifiedFolds(labels, k, seed);
  const train: number[] = [];
  const test: number[] = [];
  folds.forEach((fold, i) => (fold === 0 ? test : train).push(i));
  return { train, test };
}

/** Share of items whose true label is among the first k of its ranking. */
export function topKAccuracy(
  rankings: readonly (readonly { label: string }[])[],
  truth: readonly string[],
  k: number,
): number {
  if (rankings.length === 0) return 0;
  const hits = rankings.filter((ranking, i) => ranking.slice(0, k).some((r) => r.label === truth[i])).length;
  return hits / rankings.length;
}

/** How a model trained on one part did on the part held out from it. */
export interface HeldOutFigures {
  readonly trainSize: number;
  readonly testSize: number;
  readonly top1: number;
  readonly top3: number;
}

/** Trains on a stratified 80 % and measures top-1 and top-3 on the other 20 % (letting the event loop run meanwhile). */
export async function heldOutFigures(
  examples: readonly Example[],
  options: TrainOptions = {},
  seed = 1,
  testShare = 0.2,
): Promise<HeldOutFigures> {
  const { train, test } = stratifiedSplit(
    examples.map((e) => e.label),
    testShare,
    seed,
  );
  const classifier = await TextClassifier.trainAsync(
    train.map((i) => examples[i]),
    options,
  );
  const rankings = test.map((i) => classifier.rank(examples[i].text, 3));
  const truth = test.map((i) => examples[i].label);
  return {
    trainSize: train.length,
    testSize: test.length,
    top1: topKAccuracy(rankings, truth, 1),
    top3: topKAccuracy(rankings, truth, 3),
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
