// Benchmark of the deadline timers (issue "Step 2"). It makes its own fresh database, migrated
// by workflow's real migrations (the four apps are started once on it and stopped), inserts N
// open deadlines with SQL, and measures:
//   1. finding the due ones: the timers' claim SELECT under EXPLAIN (ANALYZE, BUFFERS), both
//      timers, 20 runs each; it fails if the plan is not on the partial indexes;
//   2. firing lag under a burst: B deadlines made due within one minute, two workflow
//      replicas running, every deadline.breached (and deadline.at_risk) seen on NATS;
//   3. the recompute of one organisation's open deadlines (the others' are closed first), in
//      the steps workflow's schema has: a calendar change that moves every one of them, the same
//      calendar loaded again (nothing moves), and a deadline policy change that moves only
//      their at-risk moments; each step --recompute-runs times (medians), the deadlines' moments
//      reset in between, and the deadline.rescheduled events counted on NATS.
//
//   npm run bench:deadlines -- --deadlines 1000000 --burst 10000
//   npm run bench:deadlines -- --only recompute --recompute-runs 3
//   npm run bench:deadlines -- --help
import { spawn, ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connect } from '@nats-io/transport-node';
import { Client } from 'pg';
import {
  createTestDatabase,
  deleteEventStreams,
  developmentToken,
  freePort,
  repositoryRoot,
  Stack,
  startStack,
  testEventsPrefix,
  testNatsUrl,
} from '@otklik/testing';
import { median, ms, stats } from '../support/stats';

const USAGE = `npm run bench:deadlines -- [options]

  --deadlines N          open deadlines (and cases) inserted, over the 7 demo organisations (1000000)
  --burst B              deadlines made due within one minute for the firing-lag step (10000)
  --runs R               EXPLAIN runs of each timer's claim (20)
  --only recompute       skip the claims and the burst: only the recompute steps
  --recompute-runs R     runs of each recompute step; the report gives medians (1)
  --recompute-timeout S  seconds a recompute mutation may take before it counts as failed (240)
  --drain S              seconds to wait for the burst's events after the last is due (120)
  --log-level L          the apps' log level (error)
  --json                 the report as JSON
  --help                 this text`;

const { values: args } = parseArgs({
  options: {
    help: { type: 'boolean', short: 'h', default: false },
    only: { type: 'string' },
    'recompute-runs': { type: 'string', default: '1' },
    deadlines: { type: 'string', default: '1000000' },
    burst: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '20' },
    json: { type: 'boolean', default: false },
    'log-level': { type: 'string', default: 'error' },
    // How long, after the last burst deadline is due, to wait for its event.
    drain: { type: 'string', default: '120' },
    // How long the calendar mutation (and its recompute) may take before it counts as failed.
    'recompute-timeout': { type: 'string', default: '240' },
  },
});
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
if (args.only !== undefined && args.only !== 'recompute') {
  console.error(`--only: "${args.only}" is not a step that runs alone (recompute)\n\n${USAGE}`);
  process.exit(1);
}
const RECOMPUTE_ONLY = args.only === 'recompute';
const RECOMPUTE_RUNS = Number(args['recompute-runs']);
const N = Number(args.deadlines);
// The burst is taken from the deadlines due a day or more from now, so none has fired before.
const B = Math.min(Number(args.burst), Math.floor(N - N / 30));
const RUNS = Number(args.runs);

/** The claim's inner SELECT, as DeadlineRepository.claimDue runs it. */
const TIMERS = {
  atRisk: {
    index: 'deadlines_at_risk_pending',
    sql: `select id from workflow.deadlines
           where state = 'ON_TRACK' and at_risk_fired_at is null and at_risk_at <= now()
           order by at_risk_at limit 200 for update skip locked`,
  },
  breached: {
    index: 'deadlines_breach_pending',
    sql: `select id from workflow.deadlines
           where state = 'ON_TRACK' and breached_fired_at is null and due_at < now()
           order by due_at limit 200 for update skip locked`,
  },
} as const;

/** A valid version-4 UUID derived from a tag and a number, so the script can name rows it made. */
const uuidOf = (tag: string, i: string) =>
  `overlay(overlay(md5('${tag}' || ${i}) placing '4' from 13) placing '8' from 17)::uuid`;

const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await work();
  return [result, performance.now() - start];
}

/** A second workflow replica, with the stack's environment and a port of its own. */
async function startSecondWorkflow(env: Record<string, string>): Promise<{ child: ChildProcess; output: string[] }> {
  const root = repositoryRoot();
  const port = await freePort();
  const main = join(root, 'dist', 'apps', 'workflow', 'apps', 'workflow', 'src', 'main.js');
  const child = spawn(process.execPath, [main], {
    cwd: root,
    env: { ...env, WORKFLOW_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`second workflow exited with ${child.exitCode}:\n${output.join('')}`);
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return { child, output };
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`second workflow was not healthy within 60 s:\n${output.join('')}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => (clearTimeout(killer), resolve()));
    child.kill('SIGTERM');
  });
}

interface StatsOf {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

interface Firing {
  expected: number;
  distinct: number;
  duplicates: number;
  firedMinusDue: StatsOf;
  arrivalMinusDue: StatsOf;
  lastArrivalAfterBurstS: number;
}

interface BurstReport {
  deadlines: number;
  replicas: number;
  breached: Firing;
  atRisk: Firing;
  firedInDatabase: { breached: number; atRisk: number };
  outboxLeft: number;
}

interface RecomputeReport {
  openDeadlines: number;
  runs: number;
  steps: Array<{
    name: string;
    runs: number[];
    medianMs: number;
    recomputedDeadlines: number;
    rescheduledEvents: number;
  }>;
  notes: string[];
}

/** A GraphQL call through the gateway; a failure (or the timeout) comes back as `errors`. */
async function graphql<T>(
  url: string,
  token: string,
  query: string,
  variables: object,
): Promise<{ data?: Record<string, T | undefined>; errors?: unknown }> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(Number(args['recompute-timeout']) * 1000),
    });
    return (await response.json()) as { data?: Record<string, T | undefined>; errors?: unknown };
  } catch (error) {
    return { errors: (error as Error).message };
  }
}

async function waitForOutboxToDrain(pg: Client): Promise<void> {
  const until = Date.now() + 300_000;
  while (Date.now() < until) {
    const { n } = (await pg.query<{ n: string }>('select count(*) n from workflow.outbox')).rows[0];
    if (Number(n) === 0) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the outbox did not drain within 300 s');
}

async function main(): Promise<void> {
  const root = repositoryRoot();
  const db = await createTestDatabase('bench_deadlines');
  const prefix = testEventsPrefix();
  const natsUrl = testNatsUrl();
  const stackOptions = { databaseUrl: db.url, natsUrl, eventsPrefix: prefix, logLevel: args['log-level'] };
  const nc = await connect({ servers: natsUrl });
  const pg = new Client({ connectionString: db.url });
  let stack: Stack | undefined;
  let second: { child: ChildProcess; output: string[] } | undefined;
  try {
    // The schema by the real migrations (and the demo organisations by the real seed).
    log('starting the four apps to migrate and seed the fresh database…');
    stack = await startStack(stackOptions);
    await stack.stop();
    stack = undefined;
    await pg.connect();

    // 1. N open deadlines, one case each, over the demo organisations; due over the next 30
    // days (the first few minutes' worth already due), AT_RISK 20 minutes before.
    log(`inserting ${N} cases and deadlines…`);
    const orgs = (await pg.query<{ n: string }>('select count(*) n from workflow.organizations')).rows[0].n;
    const spread = `(select array_agg(id order by code) ids, count(*)::int n from workflow.organizations) o`;
    const [, casesMs] = await timed(() =>
      pg.query(
        `insert into workflow.cases (id, organization_id, message_id, source_id, platform, status, detected_at)
         select ${uuidOf('c', 'i')}, o.ids[1 + i % o.n], ${uuidOf('m', 'i')}, 'bench', 'VK', 'REGISTERED',
                now() - interval '1 day'
           from generate_series(1, $1::int) i, ${spread}`,
        [N],
      ),
    );
    const [, deadlinesMs] = await timed(() =>
      pg.query(
        `insert into workflow.deadlines
           (id, case_id, organization_id, kind, started_at, due_at, state, at_risk_at)
         select ${uuidOf('d', 'i')}, ${uuidOf('c', 'i')}, o.ids[1 + i % o.n],
                (array['ROUTE', 'DRAFT', 'ANSWER', 'FINAL'])[1 + i % 4], now() - interval '1 day',
                d.due, 'ON_TRACK', d.due - interval '20 minutes'
           from generate_series(1, $1::int) i, ${spread},
                lateral (select now() - interval '2 minutes' + (i::float8 / $1) * interval '30 days' as due) d`,
        [N],
      ),
    );
    const [, analyzeMs] = await timed(() => pg.query('analyze workflow.cases, workflow.deadlines'));
    const dueNow = (
      await pg.query<{ breached: string; at_risk: string }>(
        `select count(*) filter (where due_at < now()) breached, count(*) filter (where at_risk_at <= now()) at_risk
           from workflow.deadlines`,
      )
    ).rows[0];
    const size = (
      await pg.query<{ table: string; breach: string; at_risk: string }>(
        `select pg_size_pretty(pg_total_relation_size('workflow.deadlines')) "table",
                pg_size_pretty(pg_relation_size('workflow.deadlines_breach_pending')) breach,
                pg_size_pretty(pg_relation_size('workflow.deadlines_at_risk_pending')) at_risk`,
      )
    ).rows[0];
    log(`inserted in ${(casesMs / 1000).toFixed(1)} s + ${(deadlinesMs / 1000).toFixed(1)} s, analyzed`);

    // 2. The claim's SELECT, in a transaction rolled back, so every run finds the same rows.
    const claims: Record<string, { plan: string; executionMs: number; roundTripMs: number; rows: number }> = {};
    for (const [timer, { index, sql }] of RECOMPUTE_ONLY ? [] : Object.entries(TIMERS)) {
      log(`EXPLAIN (ANALYZE, BUFFERS) of the ${timer} claim, ${RUNS} runs…`);
      const executions: number[] = [];
      const roundTrips: number[] = [];
      let plan = '';
      for (let run = 0; run < RUNS; run++) {
        await pg.query('begin');
        const [result, took] = await timed(() =>
          pg.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${sql}`),
        );
        await pg.query('rollback');
        plan = result.rows.map((r) => r['QUERY PLAN']).join('\n');
        executions.push(Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN));
        roundTrips.push(took);
      }
      if (/Seq Scan/.test(plan) || !plan.includes(index)) {
        throw new Error(`the ${timer} claim does not use ${index}:\n${plan}`);
      }
      const rows = Number(/LockRows\s+\(.*actual time=[\d.]+\.\.[\d.]+ rows=(\d+)/.exec(plan)?.[1] ?? NaN);
      claims[timer] = { plan, executionMs: median(executions), roundTripMs: median(roundTrips), rows };
    }

    // 3. The burst: two workflow replicas, then B deadlines due within the next minute.
    let burstReport: BurstReport | undefined;
    if (RECOMPUTE_ONLY) {
      log('starting the four apps…');
      stack = await startStack(stackOptions);
    } else {
      log('starting the four apps and a second workflow…');
      const arrivals = { breached: new Map<string, number[]>(), atRisk: new Map<string, number[]>() };
      const lags = { breached: new Map<string, number>(), atRisk: new Map<string, number>() };
      const dueOf = { breached: new Map<string, number>(), atRisk: new Map<string, number>() };
      let burstIds = new Set<string>();
      const atRiskAt = new Map<string, number>();
      for (const [kind, subject] of [
        ['breached', 'deadline.breached.v1'],
        ['atRisk', 'deadline.at_risk.v1'],
      ] as const) {
        nc.subscribe(`${prefix}.*.${subject}`, {
          callback: (_e, m) => {
            const arrived = Date.now();
            const { data } = m.json<{ data: { deadlineId: string; dueAt: string; firedAt: string } }>();
            const seen = arrivals[kind].get(data.deadlineId) ?? [];
            seen.push(arrived);
            arrivals[kind].set(data.deadlineId, seen);
            // The moment each event is due: dueAt for a breach; an at-risk event also carries
            // the deadline's dueAt, so its moment (at_risk_at) is taken from the burst's UPDATE.
            if (seen.length === 1) {
              const due = kind === 'breached' ? Date.parse(data.dueAt) : (atRiskAt.get(data.deadlineId) ?? NaN);
              lags[kind].set(data.deadlineId, Date.parse(data.firedAt) - due);
              dueOf[kind].set(data.deadlineId, due);
            }
          },
        });
      }
      stack = await startStack(stackOptions);
      second = await startSecondWorkflow({
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        DATABASE_URL: db.url,
        NATS_URL: natsUrl,
        EVENTS_PREFIX: prefix,
        LOG_LEVEL: args['log-level'] ?? 'error',
        OTKLIK_DEMO_SEED: 'true',
      });
      // Let the replicas fire what was already due (the first minutes of the 30 days).
      await new Promise((r) => setTimeout(r, 5000));
      const start = Math.floor(N / 30);
      const step = Math.max(1, Math.floor((N - start) / B));
      log(`burst: ${B} deadlines due within the next 60 s…`);
      const burst = await pg.query<{ id: string; at_risk_at: Date }>(
        `update workflow.deadlines d
          set due_at = now() + b.r * interval '1 second', at_risk_at = now() + b.r * random() * interval '1 second'
         from (select ${uuidOf('d', '($1::int + k * $2::int)')} id, random() * 60 r
                 from generate_series(0, $3::int - 1) k) b
        where d.id = b.id
        returning d.id, d.at_risk_at`,
        [start, step, B],
      );
      for (const row of burst.rows) atRiskAt.set(row.id, row.at_risk_at.getTime());
      burstIds = new Set(burst.rows.map((r) => r.id));
      const burstAt = Date.now();
      const until = burstAt + 60_000 + Number(args.drain) * 1000;
      const allSeen = () => [...burstIds].every((id) => arrivals.breached.has(id) && arrivals.atRisk.has(id));
      while (Date.now() < until && !allSeen()) await new Promise((r) => setTimeout(r, 250));
      await new Promise((r) => setTimeout(r, 2000)); // late duplicates, if any
      const firing = (kind: 'breached' | 'atRisk') => {
        const ids = [...burstIds];
        const seen = ids.filter((id) => arrivals[kind].has(id));
        const lastArrival = Math.max(...seen.map((id) => (arrivals[kind].get(id) as number[])[0]));
        return {
          expected: ids.length,
          distinct: seen.length,
          duplicates: seen.reduce((sum, id) => sum + (arrivals[kind].get(id) as number[]).length - 1, 0),
          firedMinusDue: stats(seen.map((id) => lags[kind].get(id) as number)),
          arrivalMinusDue: stats(
            seen.map((id) => (arrivals[kind].get(id) as number[])[0] - (dueOf[kind].get(id) as number)),
          ),
          lastArrivalAfterBurstS: (lastArrival - burstAt) / 1000,
        };
      };
      const firings = { breached: firing('breached'), atRisk: firing('atRisk') };
      // What the database says, to tell a timer that did not fire from an event that did not arrive.
      const inDatabase = (
        await pg.query<{ breached: string; at_risk: string; outbox: string }>(
          `select count(*) filter (where breached_fired_at is not null) breached,
                count(*) filter (where at_risk_fired_at is not null) at_risk,
                (select count(*) from workflow.outbox) outbox
           from workflow.deadlines where id = any($1::uuid[])`,
          [[...burstIds]],
        )
      ).rows[0];
      if (firings.breached.distinct < burstIds.size) {
        process.stderr.write(
          `workflow's last output:\n${stack.output('workflow')}\nsecond workflow:\n${second.output.join('')}\n`,
        );
      }
      burstReport = {
        deadlines: burstIds.size,
        replicas: 2,
        ...firings,
        firedInDatabase: { breached: Number(inDatabase.breached), atRisk: Number(inDatabase.at_risk) },
        outboxLeft: Number(inDatabase.outbox),
      };
    }

    // 4. The recompute of one organisation's open deadlines: the other organisations' are closed
    // (MET) first. Each step is a mutation through the gateway as `coordinator`, timed from the
    // request to the answer; the deadline.rescheduled events it wrote are counted on NATS once
    // the outbox has drained. Before each run the open deadlines get moments no rule would give
    // (due_at moved by a second, at_risk_at cleared), so the first step moves every one again.
    const schema = readFileSync(join(root, 'apps', 'workflow', 'schema.graphql'), 'utf8');
    const hasCalendar = /^\s*loadWorkingCalendarYear\(/m.test(schema);
    const hasPolicy = /^\s*setDeadlinePolicy\(/m.test(schema);
    const recompute: RecomputeReport = { openDeadlines: 0, runs: RECOMPUTE_RUNS, steps: [], notes: [] };
    if (!hasCalendar) recompute.notes.push('no calendar step: workflow has no loadWorkingCalendarYear mutation');
    if (!hasPolicy) recompute.notes.push('no policy step: workflow has no setDeadlinePolicy mutation');
    if (hasCalendar || hasPolicy) {
      const largest = (
        await pg.query<{ organization_id: string; n: string }>(
          `select organization_id, count(*) n from workflow.deadlines where state = 'ON_TRACK'
            group by 1 order by 2 desc limit 1`,
        )
      ).rows[0];
      recompute.openDeadlines = Number(largest.n);
      log(`closing the deadlines of all organisations but ${largest.organization_id}…`);
      await pg.query(
        `update workflow.deadlines set state = 'MET', met_at = now()
          where state = 'ON_TRACK' and organization_id <> $1`,
        [largest.organization_id],
      );
      let rescheduledEvents = 0;
      nc.subscribe(`${prefix}.*.deadline.rescheduled.v1`, {
        callback: () => {
          rescheduledEvents++;
        },
      });
      const token = await developmentToken('coordinator');
      const data = readFileSync(join(root, 'libs', 'calendar', 'src', 'data', 'production-calendar-2026.json'), 'utf8');
      const steps: Array<{ name: string; enabled: boolean; query: string; variables: (run: number) => object }> = [
        {
          name: 'calendar change, every deadline moves (loadWorkingCalendarYear 2026)',
          enabled: hasCalendar,
          query: `mutation ($input: LoadWorkingCalendarYearInput!) { loadWorkingCalendarYear(input: $input) { recomputedDeadlines } }`,
          variables: () => ({ input: { year: 2026, data, reason: 'benchmark: recompute cost' } }),
        },
        {
          name: 'the same calendar again, nothing moves',
          enabled: hasCalendar,
          query: `mutation ($input: LoadWorkingCalendarYearInput!) { loadWorkingCalendarYear(input: $input) { recomputedDeadlines } }`,
          variables: () => ({ input: { year: 2026, data, reason: 'benchmark: recompute cost, unchanged' } }),
        },
        {
          name: 'policy change, only at-risk moments move (setDeadlinePolicy atRiskMinutes)',
          enabled: hasPolicy,
          query: `mutation ($input: SetDeadlinePolicyInput!) { setDeadlinePolicy(input: $input) { recomputedDeadlines } }`,
          variables: (run) => ({ input: { organizationId: largest.organization_id, atRiskMinutes: 60 + run } }),
        },
      ];
      const samples = new Map<string, Array<{ ms: number; recomputed: number; events: number }>>();
      for (let run = 0; run < RECOMPUTE_RUNS; run++) {
        await pg.query(
          `update workflow.deadlines set due_at = due_at + interval '1 second', at_risk_at = null
            where state = 'ON_TRACK'`,
        );
        await pg.query('vacuum analyze workflow.deadlines');
        for (const step of steps.filter((s) => s.enabled)) {
          log(`run ${run + 1}/${RECOMPUTE_RUNS}: ${step.name}, ${largest.n} open deadlines…`);
          const eventsBefore = rescheduledEvents;
          const [response, took] = await timed(() =>
            graphql<{ recomputedDeadlines: number }>(
              stack?.graphqlUrl as string,
              token,
              step.query,
              step.variables(run),
            ),
          );
          const recomputed = response.data ? Object.values(response.data)[0]?.recomputedDeadlines : undefined;
          if (recomputed === undefined) {
            recompute.notes.push(
              `${step.name}: failed after ${(took / 1000).toFixed(1)} s: ${JSON.stringify(response.errors)}`,
            );
            continue;
          }
          await waitForOutboxToDrain(pg);
          // The relay has published everything; give NATS a moment to deliver the last ones.
          await new Promise((r) => setTimeout(r, 1000));
          const entries = samples.get(step.name) ?? [];
          entries.push({ ms: took, recomputed, events: rescheduledEvents - eventsBefore });
          samples.set(step.name, entries);
        }
      }
      for (const [name, entries] of samples) {
        recompute.steps.push({
          name,
          runs: entries.map((e) => e.ms),
          medianMs: median(entries.map((e) => e.ms)),
          recomputedDeadlines: entries[0].recomputed,
          rescheduledEvents: entries[0].events,
        });
      }
    }

    const report = {
      machine: `${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
      data: {
        deadlines: N,
        organizations: Number(orgs),
        insertSeconds: { cases: casesMs / 1000, deadlines: deadlinesMs / 1000, analyze: analyzeMs / 1000 },
        dueAtStart: { breached: Number(dueNow.breached), atRisk: Number(dueNow.at_risk) },
        size,
      },
      claims,
      burst: burstReport,
      recompute,
    };

    if (args.json) console.log(JSON.stringify(report, null, 2));
    else {
      console.log(`machine: ${report.machine}`);
      console.log(
        `data: ${N} open deadlines (and cases) over ${orgs} organisations, inserted in ${ms(casesMs / 1000)} + ${ms(deadlinesMs / 1000)} s; ` +
          `due at the start: ${dueNow.breached} breach, ${dueNow.at_risk} at-risk; deadlines ${size.table}, ` +
          `partial indexes ${size.breach} (breach) / ${size.at_risk} (at-risk)`,
      );
      for (const [timer, claim] of Object.entries(claims)) {
        console.log(
          `\n${timer} claim SELECT (${RUNS} runs): median execution ${ms(claim.executionMs, 2)} ms, round trip ${ms(claim.roundTripMs, 2)} ms, ${claim.rows} rows`,
        );
        console.log(claim.plan.replace(/^/gm, '  '));
      }
      if (burstReport) {
        console.log(
          `\nburst: ${burstReport.deadlines} deadlines due within 60 s, 2 workflow replicas; marked fired in the database: ` +
            `${burstReport.firedInDatabase.breached} breach, ${burstReport.firedInDatabase.atRisk} at-risk; ${burstReport.outboxLeft} outbox rows left`,
        );
        for (const kind of ['breached', 'atRisk'] as const) {
          const f = burstReport[kind];
          console.log(
            `  ${kind}: ${f.distinct}/${f.expected} fired, ${f.duplicates} duplicates, last arrived ${ms(f.lastArrivalAfterBurstS)} s after the burst`,
          );
          console.log(`    lag, ms                 p50     p95     p99     max`);
          for (const [label, s] of [
            [`firedAt − ${kind === 'breached' ? 'dueAt' : 'atRiskAt'}`, f.firedMinusDue],
            [`arrival − ${kind === 'breached' ? 'dueAt' : 'atRiskAt'}`, f.arrivalMinusDue],
          ] as const) {
            console.log(
              `    ${label.padEnd(20)} ${ms(s.p50, 0).padStart(7)} ${ms(s.p95, 0).padStart(7)} ${ms(s.p99, 0).padStart(7)} ${ms(s.max, 0).padStart(7)}`,
            );
          }
        }
      }
      console.log(
        `\nrecompute of one organisation's ${recompute.openDeadlines} open deadlines (the others closed), ${RECOMPUTE_RUNS} run(s) per step:`,
      );
      for (const step of recompute.steps) {
        console.log(
          `  ${step.name}: median ${ms(step.medianMs / 1000, 1)} s (runs ${step.runs.map((r) => ms(r / 1000, 1)).join(', ')} s); ` +
            `${step.recomputedDeadlines} rescheduled, ${ms(step.medianMs / Math.max(1, recompute.openDeadlines), 3)} ms per open deadline; ` +
            `${step.rescheduledEvents} deadline.rescheduled`,
        );
      }
      for (const note of recompute.notes) console.log(`  ${note}`);
    }
    const ok =
      !burstReport ||
      (burstReport.breached.distinct === burstReport.deadlines && burstReport.breached.duplicates === 0);
    if (!ok || recompute.notes.some((n) => n.includes('failed'))) process.exitCode = 2;
  } finally {
    if (second) await stopChild(second.child);
    if (stack) await stack.stop();
    await pg.end().catch(() => undefined);
    await deleteEventStreams(nc, prefix);
    await nc.close();
    await db.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
