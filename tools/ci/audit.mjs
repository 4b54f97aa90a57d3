// npm run audit:deps [-- --strict] [-- --report FILE] [-- --waivers FILE]
// `npm audit` of the production dependencies, judged by docs/dependency-policy.md: a high or
// critical advisory fails unless tools/ci/audit-waivers.json waives it; moderate and lower, and
// the dev dependencies' advisories, are reported only. When the registry's advisory endpoint
// cannot be reached (a network down, a registry mirror without it) the dependencies are NOT
// audited: that is said loudly and is a warning, not a failure, unless --strict.
//   --report FILE   judge a saved `npm audit --omit=dev --json` instead of running npm
// Exit status: 0 passed (or not audited, without --strict), 1 failed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { countBySeverity, devOnlyAdvisories, isoDay, judgeAudit, readAuditOutput } from './dependency-policy.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const POLICY = 'docs/dependency-policy.md';
// npm's own defaults retry for minutes when the network is down; CI should not wait that long.
const NPM_NETWORK = ['--fetch-retries=1', '--fetch-timeout=20000'];
const NPM_TIMEOUT_MS = 120_000;
const SHOWN_REPORTED = 10;

const { values: options } = parseArgs({
  options: {
    strict: { type: 'boolean', default: false },
    report: { type: 'string' },
    waivers: { type: 'string', default: path.join(repoRoot, 'tools/ci/audit-waivers.json') },
  },
});

function fail(message) {
  console.log(`audit: FAILED — ${message}`);
  process.exit(1);
}

function npmAudit(extraArgs) {
  const run = spawnSync('npm', ['audit', '--json', ...NPM_NETWORK, ...extraArgs], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: NPM_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error) {
    const reason =
      run.error.code === 'ETIMEDOUT' ? `npm audit took over ${NPM_TIMEOUT_MS / 1000} s` : run.error.message;
    return { kind: 'unavailable', reason };
  }
  return readAuditOutput(run.stdout, run.stderr);
}

let waiverFile;
try {
  waiverFile = JSON.parse(fs.readFileSync(options.waivers, 'utf8'));
} catch (error) {
  fail(`cannot read the waivers ${path.relative(repoRoot, options.waivers)}: ${error.message}`);
}
const today = isoDay();

const production = options.report ? readAuditOutput(fs.readFileSync(options.report, 'utf8')) : npmAudit(['--omit=dev']);

if (production.kind === 'error') fail(`npm audit did not run: ${production.reason}`);

if (production.kind === 'unavailable') {
  // The waivers are still checked: an expired one fails whether or not npm could be asked.
  const { problems } = judgeAudit({ vulnerabilities: {} }, waiverFile, today);
  for (const problem of problems) console.log(`audit: waivers: ${problem}`);
  if (problems.length) fail(`${problems.length} problem(s) in the waivers (${POLICY})`);
  const verdict = `NOT AUDITED — the registry's advisory endpoint did not answer (${production.reason})`;
  if (options.strict) fail(`${verdict}; --strict`);
  console.log(`audit: ${verdict}; a warning, not a failure (${POLICY})`);
  process.exit(0);
}

const verdict = judgeAudit(production.report, waiverFile, today);
const line = (a) => `${a.severity} ${a.id} in ${a.package} ${a.range}: ${a.title} ${a.url}`.replace(/\s+/g, ' ');
for (const problem of verdict.problems) console.log(`audit: waivers: ${problem}`);
for (const advisory of verdict.blocking) console.log(`audit: BLOCKS  ${line(advisory)} [${advisory.nodes.join(', ')}]`);
for (const advisory of verdict.advisories.filter((a) => a.decision === 'waived')) {
  console.log(`audit: waived  ${line(advisory)} (until ${advisory.waiver.expires}: ${advisory.waiver.reason})`);
}
const reported = verdict.advisories.filter((a) => a.decision === 'report');
for (const advisory of reported.slice(0, SHOWN_REPORTED)) console.log(`audit: reported ${line(advisory)}`);
if (reported.length > SHOWN_REPORTED) console.log(`audit: … and ${reported.length - SHOWN_REPORTED} more reported`);
for (const waiver of verdict.unusedWaivers) {
  console.log(`audit: waiver of ${waiver.advisory} in ${waiver.package} matches nothing now: delete it`);
}

if (!verdict.ok) {
  const what = [
    verdict.blocking.length && `${verdict.blocking.length} high/critical advisory(ies) in production dependencies`,
    verdict.problems.length && `${verdict.problems.length} problem(s) in the waivers`,
  ].filter(Boolean);
  fail(`${what.join(' and ')}: upgrade, replace or waive (${POLICY})`);
}

const parts = ['production dependencies pass: no high or critical advisory'];
const waived = verdict.advisories.length - verdict.blocking.length - reported.length;
if (waived) parts[0] += ` unwaived (${waived} waived)`;
parts.push(`reported: ${countBySeverity(reported) || 'none'}`);
if (!options.report) {
  const all = npmAudit([]);
  parts.push(
    all.kind === 'report'
      ? `dev-only: ${countBySeverity(devOnlyAdvisories(all.report, production.report)) || 'none'} (not blocking)`
      : 'dev dependencies not audited',
  );
}
console.log(`audit: ${parts.join('; ')}`);
