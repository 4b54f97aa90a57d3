// npm run licences [-- --start DIR] [-- --exceptions FILE]
// The licences of the production dependencies (license-checker-rseidelsohn, production tree only),
// judged by docs/dependency-policy.md: a licence off the allow-list, UNKNOWN or custom fails unless
// tools/ci/licence-exceptions.json names the package and that licence with a reason. Our own
// package (UNLICENSED, private) is skipped.
// Exit status: 0 passed, 1 failed.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { init } from 'license-checker-rseidelsohn';
import { judgeLicences } from './dependency-policy.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const POLICY = 'docs/dependency-policy.md';

const { values: options } = parseArgs({
  options: {
    start: { type: 'string', default: repoRoot },
    exceptions: { type: 'string', default: path.join(repoRoot, 'tools/ci/licence-exceptions.json') },
  },
});

function fail(message) {
  console.log(`licences: FAILED — ${message}`);
  process.exit(1);
}

let exceptionFile;
try {
  exceptionFile = JSON.parse(fs.readFileSync(options.exceptions, 'utf8'));
} catch (error) {
  fail(`cannot read the exceptions ${path.relative(repoRoot, options.exceptions)}: ${error.message}`);
}

let own;
try {
  const manifest = JSON.parse(fs.readFileSync(path.join(options.start, 'package.json'), 'utf8'));
  own = `${manifest.name}@${manifest.version}`;
} catch (error) {
  fail(`cannot read ${path.join(options.start, 'package.json')}: ${error.message}`);
}

const packages = await new Promise((resolve) => {
  init({ start: options.start, production: true }, (error, found) => {
    if (error) fail(`license-checker: ${error.message}`);
    resolve(found);
  });
});

const verdict = judgeLicences(packages, exceptionFile, { skip: [own] });
for (const problem of verdict.problems) console.log(`licences: exceptions: ${problem}`);
for (const result of verdict.blocked) {
  const where = path.relative(options.start, result.path) || result.path;
  console.log(`licences: BLOCKS  ${result.id}  ${result.licence}  [${where}]`);
}
for (const exception of verdict.unusedExceptions) {
  console.log(`licences: the exception for ${exception.package} (${exception.licence}) matches nothing now: delete it`);
}

const checked = verdict.results.length;
if (!verdict.ok) {
  const what = [
    verdict.blocked.length && `${verdict.blocked.length} of ${checked} production packages have a licence off the list`,
    verdict.problems.length && `${verdict.problems.length} problem(s) in the exceptions`,
  ].filter(Boolean);
  fail(`${what.join(' and ')}: replace the package, or add an exception with its reason (${POLICY})`);
}

const byLicence = new Map();
for (const result of verdict.excepted)
  byLicence.set(result.licence, [...(byLicence.get(result.licence) ?? []), result.name]);
const few = (names) =>
  names.length > 2 ? `${names.slice(0, 2).join(', ')} and ${names.length - 2} more` : names.join(', ');
const excepted = [...byLicence].map(([licence, names]) => `${licence}: ${few(names)}`).join('; ');
const guessed = verdict.results.filter((r) => r.guessed).length;
console.log(
  `licences: ${checked} production packages pass` +
    (verdict.excepted.length ? `, ${verdict.excepted.length} by exception (${excepted})` : '') +
    (guessed ? `, ${guessed} read from their licence files` : ''),
);
