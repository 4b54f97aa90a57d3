// npm test [-- JEST ARGS]
// First the dependency checks (tools/ci, docs/dependency-policy.md), then the three sizes of
// test (jest.config.js reads TEST_SIZE), each as its own Jest run:
//   deps    node --test tools/ci/dependency-policy.spec.mjs, npm run audit:deps, npm run licences
//   unit    TEST_SIZE=unit   jest
//   medium  TEST_SIZE=medium jest --maxWorkers=2      (real PostgreSQL and NATS)
//   e2e     TEST_SIZE=e2e    jest --runInBand         (after building the apps)
// TEST_SIZES=unit,medium picks sizes (deps counts as one); JEST ARGS go to every Jest run (e.g. -t "clause 5").
// Each run also writes tmp/jest-<size>.json; the last line is the sum,
// `tests: N passed, M failed[, K skipped]`, and the exit code is 1 if anything failed.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureServices, repoRoot, ServiceError } from './services.mjs';

const SIZES = {
  deps: { checks: true },
  unit: { args: [], services: false },
  medium: { args: ['--maxWorkers=2'], services: true },
  e2e: { args: ['--runInBand'], services: true, build: true },
};

const wanted = (process.env.TEST_SIZES || Object.keys(SIZES).join(','))
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
for (const size of wanted) {
  if (!SIZES[size]) {
    console.error(`test: unknown size "${size}" in TEST_SIZES; use ${Object.keys(SIZES).join(', ')}.`);
    process.exit(1);
  }
}

const extraArgs = process.argv.slice(2);
const jest = path.join(repoRoot, 'node_modules', '.bin', 'jest');
const nx = path.join(repoRoot, 'node_modules', '.bin', 'nx');
if (!fs.existsSync(jest)) {
  console.error('test: node_modules is missing; run `npm ci` first.');
  process.exit(1);
}
const started = Date.now();
const seconds = () => `${Math.round((Date.now() - started) / 1000)} s`;
const env = { ...process.env };

/** Test files of one size, or null (with the reason printed) when Jest cannot list them. */
function listTests(size) {
  const run = spawnSync(process.execPath, [jest, '--listTests', ...extraArgs], {
    cwd: repoRoot,
    env: { ...env, TEST_SIZE: size },
    encoding: 'utf8',
  });
  // The e2e project's folder may not exist yet: that is "no tests", not a failure.
  if (/in the rootDir option was not found/.test(run.stderr)) return [];
  if (run.status !== 0) {
    process.stderr.write(run.stderr);
    return null;
  }
  // Jest may print notes among the paths (e.g. about --selectProjects): keep the files.
  return run.stdout.split('\n').filter((line) => path.isAbsolute(line) && fs.existsSync(line));
}

// Children run in our process group, so Ctrl-C reaches them directly; a SIGTERM sent
// to this script alone is passed on.
let current = null;
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    interrupted = true;
    current?.kill(signal);
  });
}

function run(command, args, extraEnv = {}) {
  return new Promise((resolve) => {
    current = spawn(command, args, { cwd: repoRoot, env: { ...env, ...extraEnv }, stdio: 'inherit' });
    current.on('error', (error) => {
      console.error(`test: cannot run ${path.basename(args[0] ?? command)}: ${error.message}`);
      resolve(1);
    });
    current.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  }).finally(() => (current = null));
}

/** Runs a command with its output captured (stdout and stderr together): { code, output }. */
function capture(command, args) {
  return new Promise((resolve) => {
    let output = '';
    current = spawn(command, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    current.stdout.on('data', (chunk) => (output += chunk));
    current.stderr.on('data', (chunk) => (output += chunk));
    current.on('error', (error) => resolve({ code: 1, output: `${output}cannot run ${command}: ${error.message}\n` }));
    current.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  }).finally(() => (current = null));
}

/**
 * The dependency policy (docs/dependency-policy.md): its own tests (Node's test runner; Jest's
 * projects cover apps/ and libs/ only), then npm audit and the licences of the production
 * dependencies, each counted as one test. Each script's last line, its verdict, goes to the summary.
 */
async function dependencyChecks() {
  console.log(`\n== deps: the dependency policy's tests, npm audit, licences (${seconds()})`);
  const spec = await capture(process.execPath, [
    '--test',
    '--test-reporter=tap',
    'tools/ci/dependency-policy.spec.mjs',
  ]);
  const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(spec.output)?.[1] ?? 0);
  let passed = count('pass');
  let failed = count('fail') + count('cancelled');
  if (spec.code !== 0) {
    process.stdout.write(spec.output);
    failed ||= 1;
  } else {
    console.log(`dependency policy: ${passed} tests passed`);
  }
  const details = [];
  for (const script of ['audit.mjs', 'licences.mjs']) {
    if (interrupted) break;
    const check = await capture(process.execPath, [path.join('tools', 'ci', script)]);
    process.stdout.write(check.output);
    details.push(check.output.trim().split('\n').pop());
    if (check.code === 0) passed += 1;
    else failed += 1;
  }
  return { size: 'deps', passed, failed, skipped: 0, ok: failed === 0 && !interrupted, details };
}

const results = []; // { size, note } or { size, passed, failed, skipped, ok[, details] }

let services = null;
try {
  const listed = Object.fromEntries(wanted.map((size) => [size, SIZES[size].checks ? [] : listTests(size)]));
  if (wanted.some((size) => SIZES[size].services && listed[size]?.length)) {
    services = await ensureServices();
    env.DATABASE_URL = services.databaseUrl;
    env.NATS_URL = services.natsUrl;
  }

  fs.mkdirSync(path.join(repoRoot, 'tmp'), { recursive: true });
  for (const size of wanted) {
    if (interrupted) break;
    if (SIZES[size].checks) {
      results.push(await dependencyChecks());
      continue;
    }
    const files = listed[size];
    if (files === null) {
      results.push({ size, passed: 0, failed: 1, skipped: 0, ok: false, note: 'Jest could not list the tests' });
      continue;
    }
    if (files.length === 0) {
      console.log(`\n== ${size}: no test files, skipped`);
      results.push({ size, note: 'no test files' });
      continue;
    }

    if (SIZES[size].build) {
      console.log(`\n== building the apps for the ${size} tests (${seconds()})`);
      if ((await run(process.execPath, [nx, 'run-many', '-t', 'build', '--outputStyle=static-failures-only'])) !== 0) {
        results.push({ size, passed: 0, failed: 1, skipped: 0, ok: false, note: 'the build failed' });
        continue;
      }
    }

    console.log(`\n== ${size}: ${files.length} test file(s) (${seconds()})`);
    const outputFile = path.join('tmp', `jest-${size}.json`);
    fs.rmSync(path.join(repoRoot, outputFile), { force: true });
    const code = await run(
      process.execPath,
      [jest, ...SIZES[size].args, '--json', `--outputFile=${outputFile}`, ...extraArgs],
      { TEST_SIZE: size },
    );
    results.push(summarise(size, outputFile, code));
  }
} catch (error) {
  if (!(error instanceof ServiceError)) throw error;
  console.error(`test: ${error.message}`);
  process.exitCode = 1;
} finally {
  await services?.stop();
}

function summarise(size, outputFile, code) {
  let report;
  try {
    report = JSON.parse(fs.readFileSync(path.join(repoRoot, outputFile), 'utf8'));
  } catch {
    // Jest stopped before writing its report (a crash, a bad option): one failure.
    return { size, passed: 0, failed: 1, skipped: 0, ok: false, note: `Jest exited with ${code} and no report` };
  }
  // A suite that cannot even load (a syntax error, a failing beforeAll import) has no
  // failed tests of its own; count it as one, so the sum never says "0 failed" for a red run.
  const brokenSuites = report.numRuntimeErrorTestSuites ?? 0;
  return {
    size,
    passed: report.numPassedTests,
    failed: report.numFailedTests + brokenSuites,
    skipped: report.numPendingTests + report.numTodoTests,
    ok: code === 0 && report.success,
    note: brokenSuites
      ? `${brokenSuites} suite(s) failed to run`
      : code !== 0 && report.success
        ? `Jest exited with ${code}`
        : '',
  };
}

if (process.exitCode === 1 && results.length === 0) process.exit(1);

const counted = results.filter((r) => r.passed !== undefined);
const sum = (key) => counted.reduce((total, r) => total + r[key], 0);
const line = (r) => {
  const parts = [`${r.passed} passed`, `${r.failed} failed`];
  if (r.skipped) parts.push(`${r.skipped} skipped`);
  return parts.join(', ');
};

console.log(`\nTest summary (${seconds()}):`);
for (const r of results) {
  const counts = r.passed === undefined ? 'skipped' : line(r);
  console.log(`  ${r.size.padEnd(7)} ${counts}${r.note ? ` (${r.note})` : ''}`);
  for (const detail of r.details ?? []) console.log(`          ${detail}`);
}
if (interrupted) console.log('  interrupted');
const failedRun = interrupted || counted.some((r) => !r.ok);
console.log(`tests: ${line({ passed: sum('passed'), failed: sum('failed'), skipped: sum('skipped') })}`);
process.exit(failedRun ? 1 : 0);
