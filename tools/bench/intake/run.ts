// Benchmark of the walking skeleton's whole path (issue "Step 1"): signed webhook → intake →
// outbox → NATS → workflow opens a case → outbox → NATS → gateway → graphql-ws subscriber,
// whose payload is resolved through the federated graph. It starts its own four apps on a
// fresh database and events prefix, so it measures nothing else and leaves nothing behind.
//
//   npm run bench:intake -- --messages 5000 --concurrency 50 --rate 50 --seconds 20
//
// Phase 1 (throughput): N webhooks at concurrency C, as fast as they are accepted.
// Phase 2 (latency): webhooks at a steady R per second for S seconds.
// Each message is timed at four points: webhook answered (202), message.accepted on NATS,
// case.opened on NATS, case delivered to the subscriber; the report splits the time there.
import { createHmac, randomUUID } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { connect } from '@nats-io/transport-node';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import {
  createTestDatabase,
  deleteEventStreams,
  developmentToken,
  startStack,
  testEventsPrefix,
  testNatsUrl,
} from '@otklik/testing';
import { ms, stats } from '../support/stats';

const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '50' },
    rate: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '20' },
    json: { type: 'boolean', default: false },
    // The apps' LOG_LEVEL: at info each message writes about three log lines.
    'log-level': { type: 'string', default: 'error' },
    // How long phase 1 waits for the last deliveries before it reports what arrived.
    drain: { type: 'string', default: '120' },
  },
});
const N = Number(args.messages);
const C = Number(args.concurrency);
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);

interface Timing {
  sent: number;
  answered?: number;
  accepted?: number;
  opened?: number;
  delivered?: number;
}

async function main(): Promise<void> {
  const db = await createTestDatabase('bench');
  const prefix = testEventsPrefix();
  const natsUrl = testNatsUrl();
  process.stderr.write('starting the four apps…\n');
  const stack = await startStack({ databaseUrl: db.url, natsUrl, eventsPrefix: prefix, logLevel: args['log-level'] });
  const nc = await connect({ servers: natsUrl });
  const timings = new Map<string, Timing>(); // by externalId
  const byMessage = new Map<string, Timing>(); // by messageId
  const pendingByMessage = new Map<string, number[]>();

  // Observe the two events on NATS (core subscriptions see JetStream publications too).
  const mark = (messageId: string, field: 'accepted' | 'opened' | 'delivered', at: number) => {
    const timing = byMessage.get(messageId);
    if (timing) timing[field] ??= at;
    else pendingByMessage.set(`${field}:${messageId}`, [at]);
  };
  nc.subscribe(`${prefix}.*.message.accepted.v1`, {
    callback: (_e, m) => mark(m.json<{ data: { messageId: string } }>().data.messageId, 'accepted', performance.now()),
  });
  nc.subscribe(`${prefix}.*.case.opened.v1`, {
    callback: (_e, m) => mark(m.json<{ data: { messageId: string } }>().data.messageId, 'opened', performance.now()),
  });

  const token = await developmentToken('official');
  const ws = createClient({
    url: stack.websocketUrl,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: false,
    retryAttempts: 0,
  });
  ws.subscribe<{ caseEvents: { case: { id: string; status: string; message: { id: string; text: string } } } }>(
    { query: 'subscription { caseEvents { type at case { id status message { id text } } } }' },
    {
      next: (v) => v.data && mark(v.data.caseEvents.case.message.id, 'delivered', performance.now()),
      error: (e) => console.error('subscription error', e),
      complete: () => undefined,
    },
  );
  await new Promise((resolve) => setTimeout(resolve, 1000));

  const webhookUrl = `${stack.urls.intake}/webhooks/generic/demo-webhook`;
  async function send(): Promise<void> {
    const externalId = `bench-${randomUUID()}`;
    const raw = JSON.stringify({
      externalId,
      text: 'Нет воды на улице Ленина, третий день',
      postedAt: new Date().toISOString(),
      platform: 'VK',
      url: 'https://vk.com/wall-1_1',
    });
    const signature = createHmac('sha256', 'demo-secret').update(raw).digest('hex');
    const timing: Timing = { sent: performance.now() };
    timings.set(externalId, timing);
    const response = await fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-otklik-signature': `sha256=${signature}` },
      body: raw,
    });
    timing.answered = performance.now();
    if (response.status !== 202) throw new Error(`webhook answered ${response.status}: ${await response.text()}`);
    const { messageId } = (await response.json()) as { messageId: string };
    byMessage.set(messageId, timing);
    for (const field of ['accepted', 'opened', 'delivered'] as const) {
      const early = pendingByMessage.get(`${field}:${messageId}`);
      if (early) timing[field] ??= early[0];
    }
  }

  async function waitDelivered(group: Timing[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && group.some((t) => t.delivered === undefined))
      await new Promise((r) => setTimeout(r, 50));
  }

  // Phase 1: throughput.
  process.stderr.write(`phase 1: ${N} webhooks at concurrency ${C}…\n`);
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: C }, async () => {
      while (next++ < N) await send();
    }),
  );
  const acceptedIn = performance.now() - t0;
  const phase1 = [...timings.values()];
  await waitDelivered(phase1, Number(args.drain) * 1000);
  const lastDelivered = Math.max(...phase1.map((t) => t.delivered ?? NaN).filter(Number.isFinite));
  const deliveredCount = phase1.filter((t) => t.delivered !== undefined).length;

  // Phase 2: latency at a steady rate.
  process.stderr.write(`phase 2: ${RATE}/s for ${SECONDS} s…\n`);
  timings.clear();
  const sends: Promise<void>[] = [];
  const interval = 1000 / RATE;
  const start2 = performance.now();
  for (let i = 0; i < RATE * SECONDS; i++) {
    const due = start2 + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    sends.push(send());
  }
  await Promise.all(sends);
  const phase2 = [...timings.values()];
  await waitDelivered(phase2, 60_000);

  const split = (group: Timing[]) => ({
    webhook: stats(group.map((t) => (t.answered ?? NaN) - t.sent)),
    toAccepted: stats(group.map((t) => (t.accepted ?? NaN) - (t.answered ?? NaN))),
    toOpened: stats(group.map((t) => (t.opened ?? NaN) - (t.accepted ?? NaN))),
    toDelivered: stats(group.map((t) => (t.delivered ?? NaN) - (t.opened ?? NaN))),
    endToEnd: stats(group.map((t) => (t.delivered ?? NaN) - t.sent)),
  });
  const report = {
    machine: `${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
    phase1: {
      messages: N,
      concurrency: C,
      acceptedPerSecond: N / (acceptedIn / 1000),
      deliveredPerSecond: deliveredCount / ((lastDelivered - t0) / 1000),
      delivered: deliveredCount,
      latency: split(phase1),
    },
    phase2: {
      rate: RATE,
      seconds: SECONDS,
      delivered: phase2.filter((t) => t.delivered !== undefined).length,
      sent: phase2.length,
      latency: split(phase2),
    },
  };

  if (args.json) console.log(JSON.stringify(report, null, 2));
  else {
    console.log(`machine: ${report.machine}`);
    console.log(
      `phase 1: ${N} webhooks, concurrency ${C}: accepted ${report.phase1.acceptedPerSecond.toFixed(0)}/s, delivered to the subscriber ${report.phase1.deliveredPerSecond.toFixed(0)}/s (${deliveredCount}/${N})`,
    );
    console.log(`phase 2: ${RATE}/s for ${SECONDS} s: delivered ${report.phase2.delivered}/${report.phase2.sent}`);
    for (const [name, phase] of [
      ['phase 1', report.phase1.latency],
      ['phase 2', report.phase2.latency],
    ] as const) {
      console.log(`\n${name} latency, ms          p50     p95     p99     max`);
      for (const [label, s] of Object.entries(phase)) {
        console.log(
          `  ${label.padEnd(22)} ${ms(s.p50).padStart(7)} ${ms(s.p95).padStart(7)} ${ms(s.p99).padStart(7)} ${ms(s.max).padStart(7)}`,
        );
      }
    }
  }

  await ws.dispose();
  await stack.stop();
  await deleteEventStreams(nc, prefix);
  await nc.close();
  await db.drop();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
