// Evaluation of repeat detection (cl. 9) on pairs built from an archive of real appeals
// (pairs.ts): each appeal as an earlier message, two repeats of it and up to four other matters
// of the same author. The similarity is the product's own — workflow's migrations applied to a
// scratch database on the PostgreSQL of DATABASE_URL (default 127.0.0.1:5432), the SQL of
// case-repeat.similarity.ts — so the threshold chosen here is the one the product uses.
// The appeals are split in two by the seed: the threshold is chosen on one half, and the other
// half says how it does on appeals it was not chosen on.
//
//   npm run eval:repeats -- --data ../shared/data/appeals-kursk/train.csv [--seed 7]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';
import { Client } from 'pg';
import { dropDatabase, migrateServiceDatabase, withDatabase } from '@otklik/persistence';
import { MIGRATIONS } from '../../../apps/workflow/src/migrations/migrations';
import { REPEAT_MIN_SIMILARITY, repeatSimilaritySql } from '../../../apps/workflow/src/cases/case-repeat.similarity';
import { Appeal, buildPairs, fingerprint, Pair, PairKind, plainText, seeded, shuffled } from './pairs';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/appeals-kursk/train.csv' },
    seed: { type: 'string', default: '7' },
  },
});
const dataPath = values.data ?? '../shared/data/appeals-kursk/train.csv';
const seed = Number(values.seed);
if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got "${values.seed}"`);

/** Shorter appeals name no matter to retell ("Свалка", "Помогите"). */
const MIN_LENGTH = 40;

function readAppeals(path: string): Appeal[] {
  const rows = parse<Record<string, string>>(readFileSync(path), { columns: true, skip_empty_lines: true, bom: true });
  const seen = new Set<string>();
  const appeals: Appeal[] = [];
  for (const row of rows) {
    const text = plainText(row['Текст Сообщения'] ?? '');
    const fp = fingerprint(text);
    if (text.length < MIN_LENGTH || seen.has(fp)) continue;
    seen.add(fp);
    appeals.push({ id: row.id, text, topic: row['Тематика'] ?? '', body: row['Ответственное лицо'] ?? '' });
  }
  return appeals;
}

/** The product's measure, and others for comparison (pg_trgm on the same or rawer texts). */
const MEASURES: Record<string, string> = {
  product: repeatSimilaritySql('later', 'earlier'),
  'similarity, normalised': 'similarity(workflow.repeat_text(later), workflow.repeat_text(earlier))',
  'word_similarity, raw text': 'word_similarity(later, earlier)',
  'strict_word_similarity, normalised':
    'strict_word_similarity(workflow.repeat_text(later), workflow.repeat_text(earlier))',
};

interface Scored {
  pair: Pair;
  half: 'tune' | 'held-out';
  scores: Record<string, number>;
}

interface Quality {
  threshold: number;
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
}

function quality(rows: readonly Scored[], measure: string, threshold: number): Quality {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const row of rows) {
    const said = row.scores[measure] >= threshold;
    if (said && row.pair.repeat) tp += 1;
    else if (said) fp += 1;
    else if (row.pair.repeat) fn += 1;
  }
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { threshold, precision, recall, f1, tp, fp, fn };
}

const THRESHOLDS = Array.from({ length: 46 }, (_, i) => Math.round((0.05 + i * 0.01) * 100) / 100);

/** The threshold of the best F1 (the higher one on a tie: fewer wrong links). */
function best(rows: readonly Scored[], measure: string): Quality {
  return THRESHOLDS.map((t) => quality(rows, measure, t)).reduce((a, b) => (b.f1 >= a.f1 ? b : a));
}

const f = (x: number): string => x.toFixed(3);

async function score(pairs: readonly Pair[], half: (p: Pair) => Scored['half']): Promise<Scored[]> {
  const server = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/otklik';
  const url = withDatabase(server, `otklik_eval_repeats_${process.pid}`);
  await migrateServiceDatabase({ schema: 'workflow', databaseUrl: url, entities: [], migrations: MIGRATIONS });
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('create temp table pairs (i integer primary key, earlier text not null, later text not null)');
    for (let start = 0; start < pairs.length; start += 500) {
      const batch = pairs.slice(start, start + 500);
      await client.query('insert into pairs select * from unnest($1::int[], $2::text[], $3::text[])', [
        batch.map((_, i) => start + i),
        batch.map((p) => p.earlier.text),
        batch.map((p) => p.later),
      ]);
    }
    const started = process.hrtime.bigint();
    await client.query(`select ${MEASURES.product} from pairs`);
    const perPair = Number(process.hrtime.bigint() - started) / 1e6 / pairs.length;
    console.log(`product measure: ${(perPair * 1000).toFixed(1)} µs per pair in PostgreSQL (${pairs.length} pairs)`);
    const select = Object.entries(MEASURES)
      .map(([, sql], i) => `${sql} as m${i}`)
      .join(', ');
    const { rows } = await client.query<Record<string, number>>(`select i, ${select} from pairs order by i`);
    const names = Object.keys(MEASURES);
    return rows.map((row) => ({
      pair: pairs[row.i],
      half: half(pairs[row.i]),
      scores: Object.fromEntries(names.map((name, k) => [name, row[`m${k}`]])),
    }));
  } finally {
    await client.end();
    await dropDatabase(url);
  }
}

async function main(): Promise<void> {
  const appeals = readAppeals(dataPath);
  const order = shuffled(seeded(seed), appeals);
  const tuneIds = new Set(order.slice(0, Math.floor(order.length / 2)).map((a) => a.id));
  const pairs = buildPairs(appeals, order, seed + 1);
  const scored = await score(pairs, (p) => (tuneIds.has(p.earlier.id) ? 'tune' : 'held-out'));
  const tune = scored.filter((s) => s.half === 'tune');
  const heldOut = scored.filter((s) => s.half === 'held-out');

  const kinds = [...new Set(pairs.map((p) => p.kind))];
  console.log(`\n${appeals.length} appeals (${dataPath}), seed ${seed}: ${pairs.length} pairs`);
  for (const kind of kinds) {
    console.log(`  ${kind.padEnd(18)} ${pairs.filter((p) => p.kind === kind).length}`);
  }
  console.log(`  tune ${tune.length} pairs, held-out ${heldOut.length}`);

  console.log('\nproduct measure on the tune half, by threshold:');
  console.log('  threshold  precision  recall  F1');
  for (const t of THRESHOLDS.filter((t) => Math.round(t * 100) % 2 === 1 || t === REPEAT_MIN_SIMILARITY)) {
    const q = quality(tune, 'product', t);
    console.log(`  ${t.toFixed(2).padEnd(10)} ${f(q.precision).padEnd(10)} ${f(q.recall).padEnd(7)} ${f(q.f1)}`);
  }
  const chosen = best(tune, 'product');
  console.log(`\nchosen on the tune half: ${chosen.threshold.toFixed(2)} (F1 ${f(chosen.f1)})`);
  if (chosen.threshold !== REPEAT_MIN_SIMILARITY) {
    console.log(`  note: the product uses REPEAT_MIN_SIMILARITY = ${REPEAT_MIN_SIMILARITY}`);
  }
  for (const [name, rows] of [
    ['tune', tune],
    ['held-out', heldOut],
  ] as const) {
    const q = quality(rows, 'product', REPEAT_MIN_SIMILARITY);
    console.log(
      `  at ${REPEAT_MIN_SIMILARITY} on ${name.padEnd(8)}: precision ${f(q.precision)}  recall ${f(q.recall)}  F1 ${f(q.f1)}   (tp ${q.tp}, fp ${q.fp}, fn ${q.fn})`,
    );
  }

  console.log(`\nheld-out at ${REPEAT_MIN_SIMILARITY}, by kind of pair (share said to be a repeat):`);
  for (const kind of kinds) {
    const rows = heldOut.filter((s) => s.pair.kind === kind);
    const said = rows.filter((s) => s.scores.product >= REPEAT_MIN_SIMILARITY).length;
    console.log(`  ${kind.padEnd(18)} ${f(said / rows.length)}  (${said}/${rows.length})`);
  }
  console.log(`\nheld-out repeats found, by how the later message was written (core):`);
  for (const core of ['same', 'reorder', 'shorten', 'retell']) {
    const rows = heldOut.filter((s) => s.pair.repeat && s.pair.recipe.split('+').includes(core));
    const found = rows.filter((s) => s.scores.product >= REPEAT_MIN_SIMILARITY).length;
    console.log(`  ${core.padEnd(18)} ${f(found / rows.length)}  (${found}/${rows.length})`);
  }

  console.log('\nother measures (best threshold on the tune half → held-out):');
  for (const name of Object.keys(MEASURES)) {
    const q = best(tune, name);
    const h = quality(heldOut, name, q.threshold);
    console.log(
      `  ${name.padEnd(36)} ${q.threshold.toFixed(2)}  tune F1 ${f(q.f1)}  held-out P ${f(h.precision)} R ${f(h.recall)} F1 ${f(h.f1)}`,
    );
  }
  const kindsOf = (kind: PairKind): number => pairs.filter((p) => p.kind === kind).length;
  console.log(`\n(${kindsOf('repeat')} repeats against ${pairs.length - kindsOf('repeat')} other matters)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
