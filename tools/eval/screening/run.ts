// Evaluation of screening (cl. 11) on labelled comments about a district administration, written
// for this purpose (not taken from any data set): comments.train.jsonl, which the lexicons were
// tuned on, and comments.held-out.jsonl, which they were not — its errors are shown only with
// --show-held-out, so that a look at them is a decision, not a habit.
//
//   npm run eval:screening
//   npm run eval:screening -- --show-held-out
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ExclusionReason } from '@otklik/contracts';
import { screenText } from '@otklik/screening';

const REASONS: readonly ExclusionReason[] = ['THREAT', 'HARM_INTENT', 'OBSCENE', 'INSULT'];

interface Labelled {
  readonly text: string;
  readonly reasons: readonly ExclusionReason[];
}

/** The data sit beside this file's source; the compiled file runs from dist/tools/tools/eval/screening. */
const dataFolder = join(__dirname, '../../../../../tools/eval/screening');

function read(file: string): Labelled[] {
  return readFileSync(join(dataFolder, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const row = JSON.parse(line) as { text?: unknown; reasons?: unknown };
      if (
        typeof row.text !== 'string' ||
        !Array.isArray(row.reasons) ||
        !row.reasons.every((r) => REASONS.includes(r as ExclusionReason))
      ) {
        throw new Error(`${file}:${i + 1}: expected { "text": string, "reasons": [${REASONS.join(' | ')}] }`);
      }
      return { text: row.text, reasons: row.reasons as ExclusionReason[] };
    });
}

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

const ratio = (a: number, b: number): string => (b === 0 ? '  n/a' : (a / b).toFixed(3));
const line = (name: string, c: Counts): string =>
  `  ${name.padEnd(12)} precision ${ratio(c.tp, c.tp + c.fp)}  recall ${ratio(c.tp, c.tp + c.fn)}   (tp ${c.tp}, fp ${c.fp}, fn ${c.fn})`;

function evaluate(name: string, rows: readonly Labelled[], showErrors: boolean): { precision: number; recall: number } {
  const perReason = new Map(REASONS.map((r) => [r, { tp: 0, fp: 0, fn: 0 }]));
  const flag: Counts = { tp: 0, fp: 0, fn: 0 };
  const errors: string[] = [];
  for (const row of rows) {
    const got = screenText(row.text);
    for (const reason of REASONS) {
      const c = perReason.get(reason)!;
      const expected = row.reasons.includes(reason);
      const found = got.reasons.includes(reason);
      if (expected && found) c.tp += 1;
      if (!expected && found) c.fp += 1;
      if (expected && !found) c.fn += 1;
    }
    const expected = row.reasons.length > 0;
    if (expected && got.excluded) flag.tp += 1;
    if (!expected && got.excluded) flag.fp += 1;
    if (expected && !got.excluded) flag.fn += 1;
    const same = row.reasons.length === got.reasons.length && row.reasons.every((r) => got.reasons.includes(r));
    if (!same) {
      const kind = !expected ? 'FALSE POSITIVE' : !got.excluded ? 'FALSE NEGATIVE' : 'WRONG REASONS';
      errors.push(
        `  ${kind}: expected [${row.reasons.join(', ')}], got [${got.reasons.join(', ')}] ${JSON.stringify(got.evidence)}\n    ${row.text}`,
      );
    }
  }
  const flagged = rows.filter((r) => r.reasons.length > 0).length;
  console.log(`\n${name}: ${rows.length} comments, ${flagged} should be flagged`);
  console.log(line('should-flag', flag));
  for (const reason of REASONS) console.log(line(reason, perReason.get(reason)!));
  if (showErrors) console.log(errors.length ? errors.join('\n') : '  no errors');
  else console.log(`  ${errors.length} comments with errors (--show-held-out to list them)`);
  return { precision: flag.tp / (flag.tp + flag.fp), recall: flag.tp / (flag.tp + flag.fn) };
}

const { values } = parseArgs({ options: { 'show-held-out': { type: 'boolean', default: false } } });
evaluate('train', read('comments.train.jsonl'), true);
const heldOut = evaluate('held-out', read('comments.held-out.jsonl'), values['show-held-out'] === true);
console.log(
  `\naim: should-flag precision >= 0.95 and recall >= 0.85 (held-out: ${heldOut.precision >= 0.95 && heldOut.recall >= 0.85 ? 'met' : 'not met'})`,
);
