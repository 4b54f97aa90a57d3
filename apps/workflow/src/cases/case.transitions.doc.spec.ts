import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { transitionsMarkdown } from './case.transitions';

const DOC = join(__dirname, '../../../../docs/cases.md');
const BEGIN = '<!-- transitions:begin (generated from apps/workflow/src/cases/case.transitions.ts) -->';
const END = '<!-- transitions:end -->';

/** A Markdown table with its cells trimmed and rules shortened: the same table whatever the padding prettier gives it. */
const normalised = (table: string) =>
  table
    .split('\n')
    .map((line) =>
      line
        .split('|')
        .map((cell) => cell.trim().replace(/^-+$/, '---'))
        .join('|'),
    )
    .join('\n');

describe('docs/cases.md shows the table of transitions the code applies', () => {
  it('the table between the markers is the one case.transitions.ts renders (OTKLIK_WRITE_DOCS=1 rewrites it)', () => {
    const doc = readFileSync(DOC, 'utf8');
    const start = doc.indexOf(BEGIN);
    const end = doc.indexOf(END);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(start);
    const expected = `${BEGIN}\n\n${transitionsMarkdown()}\n\n${END}`;
    const actual = doc.slice(start, end + END.length);
    if (normalised(actual) !== normalised(expected) && process.env.OTKLIK_WRITE_DOCS === '1') {
      writeFileSync(DOC, doc.slice(0, start) + expected + doc.slice(end + END.length));
      return;
    }
    expect(normalised(actual)).toBe(normalised(expected));
  });
});
