// npm start
// On a fresh checkout: installs (npm ci) if needed, builds the apps, makes sure
// PostgreSQL and NATS answer (services.mjs), then runs the four apps as child
// processes, one after another once the previous one answers GET /health.
// The apps migrate and seed the demo district themselves (OTKLIK_DEMO_SEED=true).
// Ctrl-C stops everything this script started; if an app dies, the others are stopped.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { ensureServices, redactUrl, repoRoot, ServiceError, waitForExit } from './services.mjs';
import { DEMO_LOGINS } from './demo-logins.mjs';

// Start order: workflow answers the gateway's viewer look-ups, the gateway needs every subgraph.
const APPS = [
  { name: 'workflow', portVar: 'WORKFLOW_PORT', defaultPort: 4002 },
  { name: 'intake', portVar: 'INTAKE_PORT', defaultPort: 4001 },
  { name: 'notify', portVar: 'NOTIFY_PORT', defaultPort: 4003 },
  { name: 'gateway', portVar: 'GATEWAY_PORT', defaultPort: 4000 },
];
const HEALTH_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
const TAIL_LINES = 25;

const lockFile = path.join(repoRoot, '.otklik', 'start.pid');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function log(line) {
  console.log(`start: ${line}`);
}

function fail(message) {
  console.error(`start: ${message}`);
  return shutdown(1);
}

// ------------------------------------------------------------------ settings

for (const app of APPS) {
  const raw = process.env[app.portVar];
  app.port = raw === undefined || raw === '' ? app.defaultPort : Number(raw);
  if (!Number.isInteger(app.port) || app.port < 1 || app.port > 65535) {
    console.error(`start: ${app.portVar} must be a port number; got "${raw}".`);
    process.exit(1);
  }
  app.main = path.join(repoRoot, 'dist', 'apps', app.name, 'apps', app.name, 'src', 'main.js');
  app.tail = [];
}
const port = (name) => APPS.find((app) => app.name === name).port;

// ---------------------------------------------------------- lock and ports

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** A live process that is (as far as /proc tells) another launcher, not a reused pid. */
function isLauncher(pid) {
  if (!pid || pid === process.pid || !isAlive(pid)) return false;
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('start.mjs');
  } catch {
    return true; // no /proc: trust the pid
  }
}

/** Returns the pid of a launcher already running, or null once the lock is ours. */
function acquireLock() {
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, `${process.pid}\n`, { flag: 'wx' });
      return null;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    const pid = Number(fs.readFileSync(lockFile, 'utf8').trim());
    if (isLauncher(pid)) return pid;
    fs.rmSync(lockFile, { force: true }); // left by a launcher that was killed
  }
  return null;
}

let lockHeld = false;
function releaseLock() {
  if (!lockHeld) return;
  try {
    if (Number(fs.readFileSync(lockFile, 'utf8').trim()) === process.pid) fs.rmSync(lockFile);
  } catch {
    // already gone
  }
  lockHeld = false;
}

/** Can something listen on this port on every interface, as the apps do? */
function portIsFree(portNumber) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port: portNumber }, () => server.close(() => resolve(true)));
  });
}

// --------------------------------------------------------- children, output

const LEVELS = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const two = (n) => String(n).padStart(2, '0');

/** A pino JSON line made readable: time, level, message, correlation id (and an error). */
function formatLine(text) {
  if (!text.startsWith('{')) return text;
  let entry;
  try {
    entry = JSON.parse(text);
  } catch {
    return text;
  }
  const time = new Date(entry.time ?? Date.now());
  const clock = Number.isNaN(time.getTime())
    ? String(entry.time)
    : `${two(time.getHours())}:${two(time.getMinutes())}:${two(time.getSeconds())}.${String(time.getMilliseconds()).padStart(3, '0')}`;
  const level = (
    typeof entry.level === 'number' ? (LEVELS[entry.level] ?? entry.level) : String(entry.level ?? '')
  ).toUpperCase();
  let line = `${clock} ${level.padEnd(5)} ${entry.msg ?? ''}`;
  if (entry.correlationId) line += ` [${entry.correlationId}]`;
  if (entry.err) {
    const serious = level === 'ERROR' || level === 'FATAL';
    line += serious && entry.err.stack ? `\n${entry.err.stack}` : ` (${entry.err.message ?? entry.err})`;
  }
  return line;
}

function pipeLines(app, stream) {
  readline.createInterface({ input: stream }).on('line', (raw) => {
    for (const line of formatLine(raw).split('\n')) {
      const prefixed = `${app.name.padEnd(8)} | ${line}`;
      console.log(prefixed);
      app.tail.push(prefixed);
      if (app.tail.length > TAIL_LINES) app.tail.shift();
    }
  });
}

function showTail(app) {
  if (app.tail.length === 0) return console.error(`start: ${app.name} printed nothing.`);
  console.error(`start: ${app.name}'s last lines:`);
  for (const line of app.tail) console.error(`    ${line}`);
}

const exitText = (code, signal) => (signal ? `signal ${signal}` : `code ${code}`);

let services = null;
let servicesPromise = null;
let shuttingDown = false;
let ready = false;
const children = []; // { app, child }

function startApp(app, env) {
  // Own process group (detached): Ctrl-C reaches only this launcher, which then stops
  // the apps in order and the databases it started after them.
  const child = spawn(process.execPath, [app.main], {
    cwd: repoRoot,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  app.child = child;
  children.push(app);
  pipeLines(app, child.stdout);
  pipeLines(app, child.stderr);
  child.on('error', (error) => {
    if (!shuttingDown) fail(`cannot start ${app.name}: ${error.message}`);
  });
  // 'close' rather than 'exit': by then its last lines have been read, for showTail.
  child.on('close', (code, signal) => {
    app.exited = exitText(code, signal);
    if (shuttingDown) return;
    if (!ready) {
      console.error(`start: ${app.name} exited with ${app.exited} while starting.`);
      showTail(app);
      shutdown(1);
    } else {
      fail(`${app.name} exited with ${app.exited}; stopping the others.`);
    }
  });
}

async function waitUntilHealthy(app) {
  const url = `http://127.0.0.1:${app.port}/health`;
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (app.exited || shuttingDown) return false; // the exit handler reports it
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return true;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error.cause?.code ?? error.message;
    }
    await sleep(500);
  }
  if (app.exited || shuttingDown) return false;
  console.error(
    `start: ${app.name} did not answer 200 on ${url} within ${HEALTH_TIMEOUT_MS / 1000} s (last: ${last}).`,
  );
  showTail(app);
  await shutdown(1);
  return false;
}

async function shutdown(code) {
  if (shuttingDown) return;
  shuttingDown = true;
  const running = children.filter(({ child }) => child.exitCode === null && child.signalCode === null);
  if (running.length) log(`stopping ${running.map((app) => app.name).join(', ')}`);
  for (const { child } of running) child.kill('SIGTERM');
  await Promise.all(
    running.map(async (app) => {
      if (await waitForExit(app.child, STOP_TIMEOUT_MS)) return;
      log(`${app.name} did not stop within ${STOP_TIMEOUT_MS / 1000} s; killing it`);
      app.child.kill('SIGKILL');
      await waitForExit(app.child, 2000);
    }),
  );
  // Services may still be coming up when Ctrl-C arrives: wait for them, then stop them.
  const started = services ?? (await servicesPromise?.catch(() => null));
  await started?.stop().catch((error) => console.error(`start: ${error.message}`));
  releaseLock();
  process.exit(code);
}

// Ctrl-C, kill, closing the terminal. A second Ctrl-C kills the apps at once.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (!shuttingDown) {
      console.log('');
      shutdown(signal === 'SIGINT' ? 0 : 1);
    } else {
      for (const { child } of children) if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
}
// Whatever else ends this process (an unexpected error): leave no app behind.
process.on('exit', () => {
  for (const { child } of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  releaseLock();
});

// ------------------------------------------------------------------- steps

function run(command, args, what) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: repoRoot, stdio: 'inherit' });
    child.on('error', (error) => resolve(`${what}: ${error.message}`));
    child.on('exit', (code, signal) =>
      resolve(code === 0 ? null : `${what} failed (${exitText(code, signal)}); see above.`),
    );
  });
}

async function main() {
  const other = acquireLock();
  if (other) {
    console.error(
      `start: Otklik is already running (npm start, pid ${other}); stop it with Ctrl-C in its terminal first.`,
    );
    process.exit(1);
  }
  lockHeld = true;

  for (const app of APPS) {
    if (!(await portIsFree(app.port))) {
      return fail(`port ${app.port} (${app.name}) is already in use; stop what uses it or set ${app.portVar}.`);
    }
  }

  if (!fs.existsSync(path.join(repoRoot, 'node_modules', '.bin', 'nx'))) {
    log('node_modules is missing: npm ci');
    const problem = await run('npm', ['ci'], 'npm ci');
    if (problem) return fail(problem);
  }
  if (shuttingDown) return;

  log('building the apps');
  const nx = path.join(repoRoot, 'node_modules', '.bin', 'nx');
  const built = await run(
    process.execPath,
    [nx, 'run-many', '-t', 'build', '--skip-nx-cache=false', '--outputStyle=static-failures-only'],
    'the build',
  );
  if (built) return fail(built);
  for (const app of APPS) {
    if (!fs.existsSync(app.main)) {
      return fail(
        `the build left no ${path.relative(repoRoot, app.main)}; run \`npx nx build ${app.name}\` to see why.`,
      );
    }
  }
  if (shuttingDown) return;

  try {
    servicesPromise = ensureServices();
    services = await servicesPromise;
  } catch (error) {
    if (shuttingDown) return;
    if (error instanceof ServiceError) return fail(error.message);
    throw error;
  }
  if (shuttingDown) return;

  const env = {
    ...process.env,
    DATABASE_URL: services.databaseUrl,
    NATS_URL: services.natsUrl,
    OTKLIK_DEMO_SEED: 'true',
    ...Object.fromEntries(APPS.map((app) => [app.portVar, String(app.port)])),
  };
  // The gateway finds the subgraphs by URL (default ports 4001..4003), not by *_PORT.
  for (const name of ['intake', 'workflow', 'notify']) {
    const variable = `${name.toUpperCase()}_URL`;
    env[variable] ||= `http://127.0.0.1:${port(name)}/graphql`;
  }
  for (const app of APPS) {
    log(`starting ${app.name} on port ${app.port}`);
    startApp(app, env);
    if (!(await waitUntilHealthy(app))) return;
    log(`${app.name} is up`);
  }
  ready = true;

  const gateway = port('gateway');
  const kalmansky = DEMO_LOGINS.filter((login) => !login.includes('.'));
  const buranovsky = DEMO_LOGINS.filter((login) => login.startsWith('buranovsky.'));
  console.log(`
Otklik is running. Ctrl-C stops it.

  GraphQL          http://localhost:${gateway}/graphql
  Subscriptions    ws://localhost:${gateway}/graphql  (graphql-transport-ws)
  Generic webhook  http://localhost:${port('intake')}/webhooks/generic/demo-webhook  (HMAC secret: demo-secret)
  Health           ${[...APPS]
    .sort((a, b) => a.port - b.port)
    .map((app) => `http://localhost:${app.port}/health`)
    .join('  ')}
  PostgreSQL       ${redactUrl(services.databaseUrl)}
  NATS             ${services.natsUrl}

  Demo logins      ${kalmansky.join(', ')} (Kalmansky district administration)
                   ${buranovsky.join(', ')} (Buranovsky sel'sovet)
  A token          TOKEN=$(npm run -s token -- official)
                   curl -s http://localhost:${gateway}/graphql -H "Authorization: Bearer $TOKEN" \\
                     -H 'content-type: application/json' -d '{"query":"{ __typename }"}'
`);
}

main().catch((error) => {
  console.error(error);
  shutdown(1);
});
