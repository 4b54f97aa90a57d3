// npm run dlq -- <command>      (see `npm run dlq -- --help`)
// Looks at, replays and purges the dead letters in the JetStream stream <PREFIX>_DLQ.
// The names below mirror libs/messaging/src/messaging.options.ts (streamNames, deadLetterSubject)
// and consumer.host.ts (DLQ_HEADERS); keep them in step.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { connect, credsAuthenticator, headers, Match } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, JetStreamApiError } from '@nats-io/jetstream';

const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';
const PREFIX = process.env.EVENTS_PREFIX || 'otklik';
const EVENTS_STREAM = `${PREFIX.toUpperCase()}_EVENTS`;
const DLQ_STREAM = `${PREFIX.toUpperCase()}_DLQ`;
const DLQ_ROOT = `${PREFIX}-dlq`;
const HEADER = {
  reason: 'Otklik-Dlq-Reason',
  consumer: 'Otklik-Dlq-Consumer',
  subject: 'Otklik-Dlq-Subject',
  deliveries: 'Otklik-Dlq-Deliveries',
  correlation: 'Otklik-Correlation-Id',
};
const CONNECT_TIMEOUT_MS = 3000;
const REQUEST_TIMEOUT_MS = 5000;

const USAGE = `Dead letters of ${DLQ_STREAM} (NATS_URL=${redact(NATS_URL)}, EVENTS_PREFIX=${PREFIX})

  npm run dlq -- [list] [--consumer NAME] [--full] [--json]
      one line per dead letter: seq, time stored, consumer, subject, deliveries, event, correlation id,
      reason (cut to the terminal width unless --full); --json prints JSON lines. Changes nothing.
  npm run dlq -- show SEQ [--json]
      everything about one dead letter, with its envelope.
  npm run dlq -- replay SEQ [SEQ...] [--keep]
  npm run dlq -- replay --all [--consumer NAME] [--keep]
      republishes each letter to its original subject on ${EVENTS_STREAM}, then removes it from the DLQ
      (--keep leaves it). Every consumer of that subject receives the event again, not only the one
      that failed; that is harmless, as each consumer skips events already in its inbox table.
      Replaying the same letter twice within 2 min publishes it once (Nats-Msg-Id replay-<seq>-<eventId>).
  npm run dlq -- purge SEQ [SEQ...] [--yes]
      deletes letters for good; without --yes only shows what would be deleted.

Examples:
  npm run dlq                                         what is in the DLQ?
  npm run dlq -- list --consumer workflow_message-accepted --full
  npm run dlq -- show 42
  npm run dlq -- replay 42 43                         after fixing the cause
  npm run dlq -- replay --all --consumer notify_case-opened
  npm run dlq -- purge 44 --yes
  npm run -s dlq -- list --json | jq .reason         (-s: without npm's banner)

Exit status: 0 done, 1 failure (NATS unreachable, stream missing, publish failed), 2 bad usage.`;

let outputClosed = false;

class UsageError extends Error {}
class Failure extends Error {}

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  full: { type: 'boolean' },
  json: { type: 'boolean' },
  consumer: { type: 'string' },
  all: { type: 'boolean' },
  keep: { type: 'boolean' },
  yes: { type: 'boolean' },
};
const ALLOWED = {
  list: ['full', 'json', 'consumer'],
  show: ['json'],
  replay: ['all', 'consumer', 'keep'],
  purge: ['yes'],
};

/**
 * NATS_USER/NATS_PASSWORD, NATS_TOKEN or NATS_CREDS_FILE, and NATS_TLS_CA_FILE / _CERT_FILE /
 * _KEY_FILE, as the apps read them (libs/messaging nats.settings.ts checks them fully at start;
 * here a bad file fails the connection with the client's own message).
 */
function natsSecurity(env) {
  const options = {};
  if (env.NATS_USER || env.NATS_PASSWORD) Object.assign(options, { user: env.NATS_USER, pass: env.NATS_PASSWORD });
  else if (env.NATS_TOKEN) options.token = env.NATS_TOKEN;
  else if (env.NATS_CREDS_FILE) options.authenticator = credsAuthenticator(() => readFileSync(env.NATS_CREDS_FILE));
  const { NATS_TLS_CA_FILE: caFile, NATS_TLS_CERT_FILE: certFile, NATS_TLS_KEY_FILE: keyFile } = env;
  if (caFile || certFile || /(^|,)\s*tls:\/\//i.test(env.NATS_URL ?? '')) {
    options.tls = { ...(caFile ? { caFile } : {}), ...(certFile ? { certFile, keyFile } : {}) };
  }
  return options;
}

function redact(url) {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/g, '//$1:***@');
}

function parseCommandLine(argv) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    // Node's messages are long ("Unknown option '--x'. To specify a positional argument…"): first sentence only.
    throw new UsageError(`${error.message.split(/\.\s|\n/)[0]} (see --help)`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help' };
  const [command = 'list', ...args] = positionals;
  if (!(command in ALLOWED)) {
    const hint = /^\d+$/.test(command) ? ` (did you mean "show ${command}"?)` : '';
    throw new UsageError(`unknown command "${command}"${hint}; commands: list, show, replay, purge (see --help)`);
  }
  for (const name of Object.keys(values)) {
    if (!ALLOWED[command].includes(name)) throw new UsageError(`--${name} does not apply to "${command}" (see --help)`);
  }
  if (values.consumer !== undefined && !/^[A-Za-z0-9_-]+$/.test(values.consumer)) {
    throw new UsageError(`bad consumer name "${values.consumer}" (letters, digits, _ and - only, as shown by list)`);
  }
  const seqs = args.map((arg) => {
    if (!/^[1-9]\d*$/.test(arg) || !Number.isSafeInteger(Number(arg))) {
      throw new UsageError(`bad SEQ "${arg}": expected a stream sequence number as shown by list`);
    }
    return Number(arg);
  });
  if (command === 'list' && seqs.length > 0) throw new UsageError('list takes no SEQ; use show SEQ');
  if (command === 'show' && seqs.length !== 1) throw new UsageError('show takes exactly one SEQ');
  if (command === 'purge' && seqs.length === 0) throw new UsageError('purge needs at least one SEQ');
  if (command === 'replay') {
    if (values.all && seqs.length > 0) throw new UsageError('replay takes either SEQ... or --all, not both');
    if (!values.all && seqs.length === 0) throw new UsageError('replay needs SEQ... or --all');
    if (values.consumer !== undefined && !values.all) throw new UsageError('--consumer goes with replay --all');
  }
  return { command, seqs: [...new Set(seqs)], ...values };
}

// ---------------------------------------------------------------------------------------------------

async function open() {
  let nc;
  try {
    nc = await connect({
      servers: NATS_URL.split(',').map((s) => s.trim()),
      ...natsSecurity(process.env),
      name: 'otklik-dlq-tool',
      timeout: CONNECT_TIMEOUT_MS,
      reconnect: false,
      maxReconnectAttempts: 0,
    });
  } catch (error) {
    const why = error?.name === 'TimeoutError' ? `no answer within ${CONNECT_TIMEOUT_MS / 1000} s` : describe(error);
    throw new Failure(`cannot reach NATS at NATS_URL=${redact(NATS_URL)}: ${why}`);
  }
  const jsm = await jetstreamManager(nc, { timeout: REQUEST_TIMEOUT_MS, checkAPI: false });
  const js = jetstream(nc, { timeout: REQUEST_TIMEOUT_MS });
  try {
    await jsm.streams.info(DLQ_STREAM);
  } catch (error) {
    await nc.close().catch(() => undefined);
    if (error instanceof JetStreamApiError && error.status === 404) {
      throw new Failure(`no stream ${DLQ_STREAM} at ${redact(NATS_URL)}; is EVENTS_PREFIX (now "${PREFIX}") right?`);
    }
    throw new Failure(`cannot read stream ${DLQ_STREAM} at ${redact(NATS_URL)}: ${describe(error)}`);
  }
  return { nc, js, jsm };
}

function describe(error) {
  const message = error?.message || String(error);
  const cause = error?.cause?.message;
  return cause && !message.includes(cause) ? `${message} (${cause})` : message;
}

/** A stored DLQ message (StoredMsg or JsMsg) as the fields an operator cares about. */
function toLetter({ seq, time, subject, headers: hdrs, data }) {
  const get = (name) => (hdrs ? hdrs.get(name, Match.IgnoreCase) : '') || '';
  // <prefix>-dlq.<consumer>.<original subject>; the headers are preferred, the subject is the fallback.
  const rest = subject.startsWith(`${DLQ_ROOT}.`) ? subject.slice(DLQ_ROOT.length + 1) : '';
  const dot = rest.indexOf('.');
  const text = new TextDecoder().decode(data);
  let envelope = null;
  let bodyProblem = null;
  try {
    const parsed = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) envelope = parsed;
    else bodyProblem = 'body is JSON but not an object';
  } catch (error) {
    bodyProblem = `body is not JSON: ${error.message}`;
  }
  const allHeaders = {};
  for (const key of hdrs ? hdrs.keys() : []) allHeaders[key] = hdrs.values(key).join(', ');
  const deliveries = Number.parseInt(get(HEADER.deliveries), 10);
  return {
    seq,
    time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    consumer: get(HEADER.consumer) || (dot > 0 ? rest.slice(0, dot) : ''),
    subject: get(HEADER.subject) || (dot > 0 ? rest.slice(dot + 1) : ''),
    deliveries: Number.isFinite(deliveries) ? deliveries : null,
    type: typeof envelope?.type === 'string' ? envelope.type : null,
    version: envelope?.version ?? null,
    eventId: typeof envelope?.eventId === 'string' && envelope.eventId ? envelope.eventId : null,
    correlationId: get(HEADER.correlation) || envelope?.correlationId || null,
    reason: get(HEADER.reason),
    dlqSubject: subject,
    headers: allHeaders,
    envelope,
    bodyProblem,
    text,
    data,
  };
}

async function fetchLetter(jsm, seq) {
  const stored = await jsm.streams.getMessage(DLQ_STREAM, { seq });
  if (!stored) return null;
  return toLetter({
    seq: stored.seq,
    time: stored.time,
    subject: stored.subject,
    headers: stored.header,
    data: stored.data,
  });
}

/** Loads the letters named on the command line; refuses (exit 2) before doing anything if one is missing. */
async function fetchLetters(jsm, seqs) {
  const letters = [];
  const missing = [];
  for (const seq of seqs) {
    const letter = await fetchLetter(jsm, seq);
    if (letter) letters.push(letter);
    else missing.push(seq);
  }
  if (missing.length > 0) {
    throw new UsageError(
      `no dead letter ${missing.join(', ')} in ${DLQ_STREAM} (already replayed or purged? see list); nothing done`,
    );
  }
  return letters;
}

/**
 * Calls onLetter for every letter (of one consumer) in stream order, reading with an ordered
 * consumer: an ephemeral, ack-less, in-memory consumer, deleted afterwards. Nothing is acked or removed.
 */
async function scan(js, jsm, consumer, onLetter, { headersOnly = false } = {}) {
  const filter = consumer ? `${DLQ_ROOT}.${consumer}.>` : `${DLQ_ROOT}.>`;
  // Quick probe: an ordered consumer on an empty selection would just wait.
  const first = await jsm.streams.getMessage(DLQ_STREAM, { seq: 1, next_by_subj: filter });
  if (!first) return 0;
  const reader = await js.consumers.get(DLQ_STREAM, {
    filter_subjects: filter,
    opt_start_seq: first.seq,
    headers_only: headersOnly,
  });
  const messages = await reader.consume({ max_messages: 256 });
  let count = 0;
  let idle;
  const armIdle = () => {
    clearTimeout(idle);
    idle = setTimeout(() => messages.stop(new Error('no message from NATS for 10 s')), 10_000);
  };
  armIdle();
  try {
    for await (const message of messages) {
      armIdle();
      count++;
      await onLetter(
        toLetter({
          seq: message.seq,
          time: message.time,
          subject: message.subject,
          headers: message.headers,
          data: message.data,
        }),
      );
      if (message.info.pending === 0 || outputClosed) break;
    }
  } finally {
    clearTimeout(idle);
    await messages.close().catch(() => undefined);
    // It would expire by itself after 5 min of inactivity; tidier to remove it now.
    await jsm.consumers.delete(DLQ_STREAM, reader.name).catch(() => undefined);
  }
  const closed = await messages.closed();
  if (closed instanceof Error) throw new Failure(`reading ${DLQ_STREAM} stopped: ${closed.message}`);
  return count;
}

// ---------------------------------------------------------------------------------------------------

function oneLine(letter, { full }) {
  const event = letter.type ? `${letter.type}.v${letter.version ?? '?'}` : 'unreadable-event';
  const fixed = [
    `#${letter.seq}`,
    letter.time,
    letter.consumer || '?',
    letter.subject || '?',
    `deliveries=${letter.deliveries ?? '?'}`,
    `${event} ${letter.eventId ?? '?'}`,
    `corr=${letter.correlationId ?? '?'}`,
  ].join('  ');
  let reason = letter.reason || '(no reason)';
  const width = process.stdout.isTTY ? process.stdout.columns : Number(process.env.COLUMNS) || 0;
  if (!full && width > 0) {
    const room = Math.max(width - fixed.length - 2, 24);
    if (reason.length > room) reason = `${reason.slice(0, room - 1)}…`;
  }
  return `${fixed}  ${reason}`;
}

function jsonLine(letter) {
  const { seq, time, consumer, subject, deliveries, type, version, eventId, correlationId, reason, dlqSubject } =
    letter;
  return JSON.stringify({
    seq,
    time,
    consumer,
    subject,
    deliveries,
    type,
    version,
    eventId,
    correlationId,
    reason,
    dlqSubject,
  });
}

function countLine(count, consumer) {
  const which = consumer ? ` for consumer ${consumer}` : '';
  return `${count === 0 ? 'no' : count} dead letter${count === 1 ? '' : 's'}${which} in ${DLQ_STREAM}`;
}

function age(iso) {
  const minutes = Math.round((Date.now() - Date.parse(iso)) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 120) return `${minutes} min ago`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h ago`;
  return `${Math.round(minutes / 1440)} days ago`;
}

async function list({ js, jsm }, options) {
  const count = await scan(js, jsm, options.consumer, (letter) => {
    console.log(options.json ? jsonLine(letter) : oneLine(letter, options));
  });
  // With --json the count goes to stderr, so stdout stays pure JSON lines.
  (options.json ? console.error : console.log)(countLine(count, options.consumer));
}

async function show({ jsm }, options) {
  const [letter] = await fetchLetters(jsm, options.seqs);
  if (options.json) {
    const { data: _data, text, envelope, ...rest } = letter;
    console.log(JSON.stringify({ ...rest, envelope, body: envelope ? undefined : text }, null, 2));
    return;
  }
  const env = letter.envelope ?? {};
  const rows = [
    ['stored', `${letter.time} (${age(letter.time)})`],
    ['consumer', letter.consumer],
    ['subject', letter.subject],
    ['deliveries', letter.deliveries ?? '?'],
    ['event', letter.type ? `${letter.type} v${letter.version ?? '?'}` : '(unreadable)'],
    ['event id', letter.eventId ?? '?'],
    ['organization', env.organizationId ?? '?'],
    ['occurred at', env.occurredAt ?? '?'],
    ['correlation id', letter.correlationId ?? '?'],
    ['DLQ subject', letter.dlqSubject],
    ['reason', letter.reason || '(none)'],
  ];
  const known = new Set(Object.values(HEADER).map((h) => h.toLowerCase()));
  for (const [key, value] of Object.entries(letter.headers)) {
    if (!known.has(key.toLowerCase())) rows.push([`header ${key}`, value]);
  }
  console.log(`Dead letter #${letter.seq} in ${DLQ_STREAM}`);
  const pad = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) console.log(`  ${label.padEnd(pad)}  ${value}`);
  if (letter.envelope) {
    console.log('Envelope:');
    console.log(JSON.stringify(letter.envelope, null, 2));
  } else {
    console.log(`Body (${letter.bodyProblem}):`);
    console.log(letter.text);
  }
  console.log(`\nReplay: npm run dlq -- replay ${letter.seq}    Delete: npm run dlq -- purge ${letter.seq} --yes`);
}

async function replay({ js, jsm }, options) {
  let seqs = options.seqs;
  if (options.all) {
    seqs = [];
    await scan(js, jsm, options.consumer, (letter) => seqs.push(letter.seq), { headersOnly: true });
    if (seqs.length === 0) {
      console.log(`nothing to replay: ${countLine(0, options.consumer)}`);
      return;
    }
  } else {
    await fetchLetters(jsm, seqs); // all present, or nothing done
  }
  const tally = { published: 0, duplicate: 0, failed: 0 };
  for (const seq of seqs) {
    const outcome = await replayOne(js, jsm, seq, options);
    tally[outcome]++;
  }
  console.log(
    `replayed ${tally.published}, already replayed ${tally.duplicate}, failed ${tally.failed}` +
      (options.keep ? ' (letters kept: --keep)' : ''),
  );
  if (tally.failed > 0) process.exitCode = 1;
}

async function replayOne(js, jsm, seq, options) {
  const letter = await fetchLetter(jsm, seq);
  if (!letter) {
    console.log(`#${seq}: gone from ${DLQ_STREAM} meanwhile (replayed or purged by someone else); skipped`);
    return 'failed';
  }
  const label = `#${seq} ${[letter.type ?? 'unreadable-event', letter.eventId].filter(Boolean).join(' ')} → ${letter.subject}`;
  if (!letter.subject.startsWith(`${PREFIX}.`)) {
    console.log(`#${seq}: original subject "${letter.subject}" is not under "${PREFIX}."; not replayed, kept`);
    return 'failed';
  }
  const h = headers();
  if (letter.correlationId) h.set(HEADER.correlation, letter.correlationId);
  const msgID = letter.eventId ? `replay-${seq}-${letter.eventId}` : `replay-${seq}`;
  let ack;
  try {
    ack = await js.publish(letter.subject, letter.data, {
      msgID,
      headers: h,
      expect: { streamName: EVENTS_STREAM },
      timeout: REQUEST_TIMEOUT_MS,
    });
  } catch (error) {
    const why = /no responders/i.test(describe(error))
      ? `no stream takes this subject; is ${EVENTS_STREAM} there?`
      : describe(error);
    console.log(`${label}: publish FAILED, letter kept: ${why}`);
    return 'failed';
  }
  const what = ack.duplicate
    ? `already replayed (${EVENTS_STREAM} #${ack.seq}, same Nats-Msg-Id ${msgID}), not published again`
    : `published as ${EVENTS_STREAM} #${ack.seq}`;
  if (letter.bodyProblem) console.log(`#${seq}: warning: ${letter.bodyProblem}; it will likely be dead-lettered again`);
  if (options.keep) {
    console.log(`${label}: ${what}; letter kept (--keep)`);
  } else {
    try {
      await jsm.streams.deleteMessage(DLQ_STREAM, seq);
      console.log(`${label}: ${what}; removed from ${DLQ_STREAM}`);
    } catch (error) {
      console.log(`${label}: ${what}; but could NOT remove the letter (${describe(error)}): purge ${seq} --yes`);
      return 'failed';
    }
  }
  return ack.duplicate ? 'duplicate' : 'published';
}

async function purge({ jsm }, options) {
  const letters = await fetchLetters(jsm, options.seqs);
  if (!options.yes) {
    for (const letter of letters) console.log(`would delete ${oneLine(letter, options)}`);
    console.log(`nothing deleted; run again with --yes to delete ${letters.length} letter(s) for good`);
    return;
  }
  let failed = 0;
  for (const letter of letters) {
    try {
      await jsm.streams.deleteMessage(DLQ_STREAM, letter.seq);
      const event = [letter.type ?? 'unreadable-event', letter.eventId].filter(Boolean).join(' ');
      console.log(`#${letter.seq} deleted (${letter.consumer}, ${event})`);
    } catch (error) {
      failed++;
      console.log(`#${letter.seq}: could NOT delete: ${describe(error)}`);
    }
  }
  console.log(`deleted ${letters.length - failed}, failed ${failed}`);
  if (failed > 0) process.exitCode = 1;
}

// ---------------------------------------------------------------------------------------------------

async function main() {
  process.stdout.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    outputClosed = true; // `| head`: stop reading, tidy up, exit quietly
  });
  let options;
  try {
    options = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    console.error(`dlq: ${error.message}`);
    process.exit(2);
  }
  if (options.command === 'help') {
    console.log(USAGE);
    return;
  }
  let connection;
  try {
    connection = await open();
    await { list, show, replay, purge }[options.command](connection, options);
  } catch (error) {
    console.error(`dlq: ${error instanceof UsageError || error instanceof Failure ? error.message : describe(error)}`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  } finally {
    await connection?.nc.close().catch(() => undefined);
  }
  // A half-open TCP connect can keep the process alive for a while; do not wait for it.
  process.exit(process.exitCode ?? 0);
}

await main();
