// Evaluation of criticality (cl. 1) on two sets:
//  (a) the real archive of citizens' appeals (../shared/data/appeals-kursk/train.csv, read from the
//      path given, never copied here): every appeal is critical, so it measures recall on real text;
//  (b) labelled social-network comments written for this purpose (not taken from any data set),
//      in four parts by when they were written and whether the lexicons were tuned on them:
//        train      written first; tuned on;
//        held-out   written with train, before any lexicon; not tuned on, but by the same hand
//                   that then wrote the lexicons, so its figure flatters;
//        stress     written after the first tuning to probe what it missed (sarcasm, thanks that
//                   complain, chatter that asks, notices of breakdowns); then tuned on;
//        fresh      written after the second tuning; measured once, then tuned on;
//        final      written after the third tuning; not tuned on: the estimate to quote.
//      Errors of the parts not tuned on are shown only with --show-held-out.
//
//   npm run eval:criticality -- --archive ../shared/data/appeals-kursk/train.csv
//   npm run eval:criticality -- --archive … --show-archive-misses 30 --show-held-out
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';
import { inspectCriticality } from '@otklik/criticality';

const KINDS = ['complaint', 'request', 'question', 'praise', 'chatter', 'news', 'ad'] as const;
type Kind = (typeof KINDS)[number];

interface Labelled {
  readonly text: string;
  readonly critical: boolean;
  readonly kind: Kind;
}

/** The data sit beside this file's source; the compiled file runs from dist/tools/tools/eval/criticality. */
const dataFolder = join(__dirname, '../../../../../tools/eval/criticality');

function readLabelled(file: string): Labelled[] {
  return readFileSync(join(dataFolder, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const row = JSON.parse(line) as { text?: unknown; critical?: unknown; kind?: unknown };
      if (typeof row.text !== 'string' || typeof row.critical !== 'boolean' || !KINDS.includes(row.kind as Kind)) {
        throw new Error(
          `${file}:${i + 1}: expected { "text": string, "critical": boolean, "kind": ${KINDS.join(' | ')} }`,
        );
      }
      return { text: row.text, critical: row.critical, kind: row.kind as Kind };
    });
}

/** The appeals' texts (column «Текст Сообщения»); the file is read where it lies. */
function readArchive(path: string): string[] {
  const rows = parse<Record<string, string>>(readFileSync(path), { columns: true, skip_empty_lines: true });
  const column = 'Текст Сообщения';
  if (rows.length > 0 && !(column in rows[0])) throw new Error(`${path}: no column «${column}»`);
  return rows.map((row) => row[column]);
}

interface Counts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

const ratio = (a: number, b: number): string => (b === 0 ? '  n/a' : (a / b).toFixed(3));
const precision = (c: Counts): number => c.tp / (c.tp + c.fp);
const recall = (c: Counts): number => c.tp / (c.tp + c.fn);

function explain(text: string): string {
  const report = inspectCriticality(text);
  const signals = report.matches.map((m) => `${m.kind}:${m.evidence}`).join(' | ');
  return `score ${report.score} [${signals}]\n    ${text.replace(/\s+/g, ' ').slice(0, 300)}`;
}

function evaluate(name: string, rows: readonly Labelled[], showErrors: boolean): Counts {
  const c: Counts = { tp: 0, fp: 0, fn: 0, tn: 0 };
  const byKind = new Map<Kind, { right: number; all: number }>(KINDS.map((k) => [k, { right: 0, all: 0 }]));
  const errors: string[] = [];
  for (const row of rows) {
    const got = inspectCriticality(row.text).critical;
    if (row.critical && got) c.tp += 1;
    if (!row.critical && got) c.fp += 1;
    if (row.critical && !got) c.fn += 1;
    if (!row.critical && !got) c.tn += 1;
    const k = byKind.get(row.kind)!;
    k.all += 1;
    if (got === row.critical) k.right += 1;
    else errors.push(`  ${row.critical ? 'MISSED' : 'FALSE CRITICAL'} (${row.kind}): ${explain(row.text)}`);
  }
  const critical = rows.filter((r) => r.critical).length;
  console.log(`\n${name}: ${rows.length} comments, ${critical} critical`);
  console.log(
    `  critical     precision ${ratio(c.tp, c.tp + c.fp)}  recall ${ratio(c.tp, c.tp + c.fn)}   (tp ${c.tp}, fp ${c.fp}, fn ${c.fn}, tn ${c.tn})`,
  );
  console.log(`  right by kind: ${KINDS.map((k) => `${k} ${byKind.get(k)!.right}/${byKind.get(k)!.all}`).join(', ')}`);
  if (showErrors) console.log(errors.length ? errors.join('\n') : '  no errors');
  else console.log(`  ${errors.length} comments with errors (--show-held-out to list them)`);
  return c;
}

const { values } = parseArgs({
  options: {
    archive: { type: 'string' },
    'show-held-out': { type: 'boolean', default: false },
    'show-archive-misses': { type: 'string', default: '0' },
  },
});

let archiveRecall: number | undefined;
if (values.archive) {
  const path = resolve(process.cwd(), values.archive);
  const texts = readArchive(path);
  const started = process.hrtime.bigint();
  const missed = texts.filter((text) => !inspectCriticality(text).critical);
  const perAppealMs = Number(process.hrtime.bigint() - started) / 1e6 / texts.length;
  const c: Counts = { tp: texts.length - missed.length, fp: 0, fn: missed.length, tn: 0 };
  archiveRecall = recall(c);
  console.log(`\narchive ${path}: ${texts.length} appeals, every one critical`);
  console.log(
    `  critical     precision ${ratio(c.tp, c.tp + c.fp)} (trivially: nothing there is not critical)  recall ${ratio(c.tp, c.tp + c.fn)}   (tp ${c.tp}, fn ${c.fn})`,
  );
  const chars = texts.reduce((sum, text) => sum + text.length, 0) / texts.length;
  console.log(
    `  ${perAppealMs.toFixed(2)} ms per appeal of ${Math.round(chars)} characters on average (first pass, one core)`,
  );
  const show = Number(values['show-archive-misses']);
  for (const text of missed.slice(0, Number.isInteger(show) && show > 0 ? show : 0))
    console.log(`  MISSED: ${explain(text)}`);
} else {
  console.log('\narchive: not measured (give its path: --archive ../shared/data/appeals-kursk/train.csv)');
}

const showHeldOut = values['show-held-out'] === true;
const train = evaluate('labelled, train (tuned on)', readLabelled('comments.train.jsonl'), true);
const stress = evaluate('labelled, stress (tuned on)', readLabelled('comments.stress.jsonl'), true);
const heldOut = evaluate(
  'labelled, held-out (not tuned on; flatters)',
  readLabelled('comments.held-out.jsonl'),
  showHeldOut,
);
const fresh = evaluate('labelled, fresh (tuned on)', readLabelled('comments.fresh.jsonl'), true);
const final = evaluate('labelled, final (not tuned on)', readLabelled('comments.final.jsonl'), showHeldOut);
const all: Counts = { tp: 0, fp: 0, fn: 0, tn: 0 };
for (const part of [train, stress, fresh, heldOut, final]) {
  for (const key of ['tp', 'fp', 'fn', 'tn'] as const) all[key] += part[key];
}
console.log(
  `\nlabelled, all parts: critical precision ${ratio(all.tp, all.tp + all.fp)}  recall ${ratio(all.tp, all.tp + all.fn)}`,
);
const met = (ok: boolean): string => (ok ? 'met' : 'not met');
console.log(
  `aim: recall >= 0.95 on the archive (${archiveRecall === undefined ? 'not measured' : met(archiveRecall >= 0.95)}), ` +
    `precision >= 0.85 on the labelled set (final: ${met(precision(final) >= 0.85)}, held-out: ${met(precision(heldOut) >= 0.85)})`,
);
