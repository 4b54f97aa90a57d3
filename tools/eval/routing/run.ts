// Evaluation of routing suggestions (docs/routing.md) on the Kursk appeals archive: 2,000 real
// appeals with their topic and responsible body, read from a path at run time (never copied into
// the repository). For the body (Ответственное лицо) and the topic (Тематика) it reports top-1
// and top-3 accuracy of @otklik/classifier's default model
//   - on a stratified, seeded 80/20 split (trained on the 80 %, measured on the 20 %);
//   - by stratified 5-fold cross-validation over all of it (medians over the folds).
// --tune compares candidate settings by 5-fold CV inside the 80 % only; the 20 % is never used
// to choose anything.
//
//   npm run eval:routing
//   npm run eval:routing -- --data ../shared/data/appeals-kursk/train.csv --tune --target body
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';
import {
  Example,
  median,
  stratifiedFolds,
  stratifiedSplit,
  TextClassifier,
  topKAccuracy,
  TrainOptions,
} from '@otklik/classifier';

const TEXT = 'Текст Сообщения';
const TOPIC = 'Тематика';
const BODY = 'Ответственное лицо';

interface Appeal {
  readonly text: string;
  readonly topic: string;
  readonly body: string;
}

function readAppeals(path: string): Appeal[] {
  const rows = parse<Record<string, string>>(readFileSync(path), { columns: true, skip_empty_lines: true, bom: true });
  return rows.map((row, i) => {
    for (const column of [TEXT, TOPIC, BODY]) {
      if (typeof row[column] !== 'string') throw new Error(`${path}: row ${i + 2} has no column "${column}"`);
    }
    return { text: row[TEXT], topic: row[TOPIC].trim(), body: row[BODY].trim() };
  });
}

interface Figures {
  readonly top1: number;
  readonly top3: number;
  readonly seconds: number;
}

function measure(train: readonly Example[], test: readonly Example[], options: TrainOptions): Figures {
  const started = process.hrtime.bigint();
  const classifier = TextClassifier.train(train, options);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rankings = test.map((e) => classifier.rank(e.text, 3));
  const truth = test.map((e) => e.label);
  return { top1: topKAccuracy(rankings, truth, 1), top3: topKAccuracy(rankings, truth, 3), seconds };
}

/** k-fold CV over the examples: the median of each figure over the folds. */
function crossValidate(examples: readonly Example[], options: TrainOptions, k: number, seed: number): Figures {
  const folds = stratifiedFolds(
    examples.map((e) => e.label),
    k,
    seed,
  );
  const results: Figures[] = [];
  for (let fold = 0; fold < k; fold++) {
    results.push(
      measure(
        examples.filter((_, i) => folds[i] !== fold),
        examples.filter((_, i) => folds[i] === fold),
        options,
      ),
    );
  }
  return {
    top1: median(results.map((r) => r.top1)),
    top3: median(results.map((r) => r.top3)),
    seconds: median(results.map((r) => r.seconds)),
  };
}

/** Candidate settings for --tune, each compared by CV inside the training part. */
const CANDIDATES: Readonly<Record<string, TrainOptions>> = {
  'default (softmax)': {},
  'softmax, words only': { features: { charNgrams: null } },
  'softmax, chars 2-4': { features: { charNgrams: [2, 4] } },
  'softmax, chars 3-5': { features: { charNgrams: [3, 5] } },
  'softmax, chars ×0.5': { features: { charWeight: 0.5 } },
  'softmax, l2 1e-4': { model: { l2: 1e-4 } },
  'softmax, rate 2, 10 epochs': { model: { learningRate: 2, epochs: 10 } },
  'softmax, 4,000 weights a class': { model: { weightsPerClass: 4000 } },
  'svm (Crammer–Singer)': { model: { kind: 'svm', learningRate: 0.1 } },
  'complement naive Bayes': { model: { kind: 'complement-nb' } },
  'complement naive Bayes, 10,000 weights': { model: { kind: 'complement-nb', weightsPerClass: 10_000 } },
};

const percent = (v: number): string => (v * 100).toFixed(1).padStart(5);
const show = (name: string, f: Figures): string =>
  `  ${name.padEnd(34)} top-1 ${percent(f.top1)} %   top-3 ${percent(f.top3)} %   (training ${f.seconds.toFixed(2)} s)`;

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/appeals-kursk/train.csv' },
    seed: { type: 'string', default: '1' },
    folds: { type: 'string', default: '5' },
    tune: { type: 'boolean', default: false },
    target: { type: 'string', default: 'both' },
    only: { type: 'string' },
  },
});
const seed = Number(values.seed);
const k = Number(values.folds);
const appeals = readAppeals(values.data as string);
const targets: Record<string, Example[]> = {
  'body (Ответственное лицо)': appeals.map((a) => ({ text: a.text, label: a.body })),
  'topic (Тематика)': appeals.map((a) => ({ text: a.text, label: a.topic })),
};
console.log(`${appeals.length} appeals from ${values.data}; seed ${seed}`);

for (const [target, examples] of Object.entries(targets)) {
  if (values.target !== 'both' && !target.startsWith(values.target as string)) continue;
  const labels = new Set(examples.map((e) => e.label)).size;
  console.log(`\n${target}: ${labels} labels`);
  const { train, test } = stratifiedSplit(
    examples.map((e) => e.label),
    0.2,
    seed,
  );
  const trainPart = train.map((i) => examples[i]);
  const testPart = test.map((i) => examples[i]);
  if (values.tune) {
    console.log(` ${k}-fold CV inside the training part (${trainPart.length}), medians over the folds:`);
    for (const [name, options] of Object.entries(CANDIDATES)) {
      if (values.only && !name.includes(values.only)) continue;
      console.log(show(name, crossValidate(trainPart, options, k, seed)));
    }
    continue;
  }
  console.log(show(`80/20 split (${trainPart.length} / ${testPart.length})`, measure(trainPart, testPart, {})));
  console.log(show(`${k}-fold CV over all, medians`, crossValidate(examples, {}, k, seed)));
}
