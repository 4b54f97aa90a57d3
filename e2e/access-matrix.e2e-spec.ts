import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@otklik/testing';
import { AccessFixtures, LOGINS, OBSERVER, ORG } from './support/access-fixtures';
import {
  Cell,
  cellsOf,
  Entry,
  entryName,
  EXPECTED_SOON,
  MATRIX,
  publicRootFields,
  satisfies,
} from './support/access-matrix';
import { Subscription } from './support/clients';
import { E2eStack, startE2eStack } from './support/stack';

/*
 * Issue 7, "Tenant isolation, proven": every query, mutation and subscription × every role ×
 * own / child / foreign (and parent) organisation, through the real gateway and the three
 * subgraphs, generated from the one table in support/access-matrix.ts.
 */

interface Observation {
  outcome: string;
  detail?: string;
}

/** Runs one cell's probe as its caller and says what came back, in the table's terms. */
async function observe(fx: AccessFixtures, entry: Entry, cell: Cell): Promise<Observation> {
  try {
    return await observeOnce(fx, entry, cell);
  } catch (error) {
    // One cell's failure (a refused connection, a check that threw) is that cell's, not the run's.
    return { outcome: 'PROBE FAILED', detail: (error as Error).message };
  }
}

async function observeOnce(fx: AccessFixtures, entry: Entry, cell: Cell): Promise<Observation> {
  let probe;
  try {
    probe = await (entry.probe as NonNullable<Entry['probe']>)(fx, cell);
  } catch (error) {
    return { outcome: 'FIXTURE FAILED', detail: (error as Error).message };
  }
  const answer = await fx.call(cell.login, probe.query, probe.variables);
  const error: { message: string; path?: unknown; extensions?: { code?: string } } | undefined = answer.errors?.[0];
  const data: Record<string, unknown> = answer.data ?? {};
  if (error) {
    const code = error.extensions?.code ?? 'NO CODE';
    const detail = `${code}: ${error.message} ${JSON.stringify(error.extensions ?? {})}`;
    // An error of the request itself (no path): the probe is wrong, whatever the code says.
    if (!error.path) return { outcome: 'INVALID PROBE', detail };
    if (code === 'FORBIDDEN' || code === 'NOT_FOUND') return { outcome: code, detail };
    if (code !== 'CONFLICT' && code !== 'BAD_USER_INPUT') return { outcome: `ERROR ${code}`, detail };
    // A domain error means authorisation passed — unless the probe needs the call itself to succeed;
    // about the viewer's own things, it still must not have touched anyone else's.
    if (probe.leak) {
      const leak = await probe.leak({});
      return leak ? { outcome: 'LEAK', detail: leak } : { outcome: 'OWN_ONLY', detail };
    }
    return { outcome: probe.strict ? 'REFUSED' : 'OK', detail };
  }
  const detail = JSON.stringify(data).slice(0, 300);
  if (probe.leak) {
    const leak = await probe.leak(data);
    return leak ? { outcome: 'LEAK', detail: leak } : { outcome: 'OWN_ONLY', detail };
  }
  if (data[cell.field] === null || data[cell.field] === undefined) return { outcome: 'NOT_FOUND', detail };
  if (probe.found && !probe.found(data)) return { outcome: 'EMPTY', detail };
  return { outcome: 'OK', detail };
}

/** Runs `work` over `items`, at most `limit` at a time. By hand: a few lines, where a library would be a new dependency. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/** What the subscriber's socket got: an error's code, the event of the target, or nothing. */
function socketOutcome<T>(socket: Subscription<T>, matches: (payload: T) => boolean): Observation {
  if (socket.errors.length > 0) {
    const first = socket.errors[0] as Array<{ message: string; extensions?: { code?: string } }> | Error;
    const error = Array.isArray(first) ? first[0] : undefined;
    const code = error?.extensions?.code;
    return { outcome: code ?? 'ERROR', detail: JSON.stringify(socket.errors).slice(0, 300) };
  }
  return socket.received.some(matches)
    ? { outcome: 'OK', detail: `${socket.received.length} events` }
    : { outcome: 'EMPTY', detail: `${socket.received.length} events, none of the target` };
}

type CaseEventPayload = { caseEvents: { type: string; to: string | null; case: { id: string } } };
type NotificationPayload = { notificationAdded: { id: string; kind: string; case: { id: string } | null } };

/**
 * caseEvents for one relation: each role's socket subscribes as the entry says, a case of the
 * target organisation is opened and assigned to the district's executor, and each socket is
 * asked whether an event of that case reached it.
 */
async function caseEvents(
  fx: AccessFixtures,
  entry: Entry,
  row: Cell[],
  observed: Map<Cell, Observation>,
): Promise<void> {
  const sockets = await Promise.all(
    row.map(async (cell) => {
      const { query, variables } = (entry.subscription as NonNullable<Entry['subscription']>)(fx, cell);
      return new Subscription<CaseEventPayload>(fx.stack.websocketUrl, await fx.token(cell.login), query, variables);
    }),
  );
  // The district's coordinator sees every case of the tree: the event has been delivered once it has it.
  const control = new Subscription<CaseEventPayload>(
    fx.stack.websocketUrl,
    await fx.token(LOGINS.district.COORDINATOR),
    'subscription { caseEvents { type to case { id } } }',
  );
  try {
    await Promise.all([...sockets, control].map((s) => s.started));
    await settle(300);
    const { caseId } = await fx.caseIn(row[0].org, 'ASSIGNED', `${entryName(entry)}:${row[0].relation}`);
    await waitFor(
      `the ASSIGN event of case ${caseId} on the control socket`,
      () => control.received.find((p) => p.caseEvents.case.id === caseId && p.caseEvents.to === 'ASSIGNED'),
      30_000,
    );
    // Others may be a moment behind the control socket.
    await settle(1000);
    row.forEach((cell, i) =>
      observed.set(
        cell,
        socketOutcome(sockets[i], (p) => p.caseEvents.case.id === caseId),
      ),
    );
  } finally {
    await Promise.all([...sockets, control].map((s) => s.close()));
  }
}

/**
 * notificationAdded: each role's socket listens while a case opened in the observer's sel'sovet
 * gives the observer a notification (and maybe some of the district's staff theirs); what arrives
 * must be the viewer's own and never the observer's.
 */
async function notificationAdded(
  fx: AccessFixtures,
  entry: Entry,
  row: Cell[],
  observed: Map<Cell, Observation>,
): Promise<void> {
  const sockets = await Promise.all(
    row.map(
      async (cell) =>
        new Subscription<NotificationPayload>(
          fx.stack.websocketUrl,
          await fx.token(cell.login),
          (entry.subscription as NonNullable<Entry['subscription']>)(fx, cell).query,
        ),
    ),
  );
  try {
    await Promise.all(sockets.map((s) => s.started));
    await settle(300);
    const { caseId } = await fx.caseIn(ORG.buranovsky, 'DETECTED', 'notificationAdded');
    const theirs = await waitFor(
      `${OBSERVER}’s notification of case ${caseId}`,
      async () => {
        const answer = await fx.call<{
          notifications: { edges: Array<{ node: { id: string; case: { id: string } | null } }> };
        }>(OBSERVER, '{ notifications(first: 50) { edges { node { id case { id } } } } }');
        return answer.data?.notifications.edges.find((e) => e.node.case?.id === caseId)?.node.id;
      },
      30_000,
    );
    await settle(1000);
    await Promise.all(
      row.map(async (cell, i) => {
        const socket = sockets[i];
        if (socket.errors.length > 0) {
          observed.set(cell, { outcome: 'ERROR', detail: JSON.stringify(socket.errors).slice(0, 300) });
          return;
        }
        const ids = socket.received.map((p) => p.notificationAdded.id);
        if (ids.includes(theirs)) {
          observed.set(cell, { outcome: 'LEAK', detail: `${OBSERVER}’s notification ${theirs} arrived` });
          return;
        }
        for (const id of ids) {
          const own = await fx.call<{ notification: { id: string } | null }>(
            cell.login,
            'query ($id: ID!) { notification(id: $id) { id } }',
            { id },
          );
          if (!own.data?.notification) {
            observed.set(cell, { outcome: 'LEAK', detail: `notification ${id} arrived but is not the viewer’s` });
            return;
          }
        }
        observed.set(cell, { outcome: 'OWN_ONLY', detail: `${ids.length} own notifications` });
      }),
    );
  } finally {
    await Promise.all(sockets.map((s) => s.close()));
  }
}

/** Cells probed at the same time: enough to overlap the webhook-to-case waits, few enough for two cores. */
const CONCURRENCY = 32;

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const label = (cell: Cell) =>
  `${cell.role} on ${cell.relation} → ${cell.expected}${cell.deviation ? ' (deviation from REQUIREMENTS, see its why)' : ''}`;

describe('tenant isolation, proven (issue 7): every root field × every role × own / child / foreign organisation', () => {
  let e2e: E2eStack | undefined;
  let fx: AccessFixtures;

  beforeAll(async () => {
    // With ACCESS_MATRIX_LOGS, the apps log errors only, so that the last lines kept are the ones that matter.
    e2e = await startE2eStack('e2e_access_matrix', process.env.ACCESS_MATRIX_LOGS ? { LOG_LEVEL: 'error' } : {});
    fx = await AccessFixtures.open(e2e.stack, e2e.databaseUrl);
  }, 120_000);

  afterAll(async () => {
    // ACCESS_MATRIX_LOGS=<folder>: the apps' last log lines, to see behind an INTERNAL_SERVER_ERROR cell.
    const folder = process.env.ACCESS_MATRIX_LOGS;
    if (folder && e2e) {
      for (const app of ['gateway', 'intake', 'workflow', 'notify'] as const) {
        writeFileSync(join(folder, `${app}.log`), e2e.stack.output(app));
      }
    }
    await e2e?.stop();
  });

  it('every root field of the public schema (supergraph and gateway subscriptions) has an entry in the matrix, and every entry a field', () => {
    const fields = publicRootFields().map((f) => `${f.type} ${f.field}`);
    const entries = new Set(MATRIX.map((e) => `${e.type} ${e.field}`));
    const missing = fields.filter((f) => !entries.has(f));
    // A field named in EXPECTED_SOON that has landed needs its entry like any other.
    expect({
      missing,
      landedFromExpectedSoon: EXPECTED_SOON.filter((n) => missing.some((m) => m.endsWith(` ${n}`))),
    }).toEqual({
      missing: [],
      landedFromExpectedSoon: [],
    });
    expect([...entries].filter((e) => !fields.includes(e))).toEqual([]);
  });

  it('every entry says who may call it and probes it', () => {
    for (const entry of MATRIX) {
      expect({ entry: entryName(entry), probes: Boolean(entry.probe ?? entry.subscription) }).toEqual({
        entry: entryName(entry),
        probes: true,
      });
      expect(entry.may.length).toBeGreaterThan(0);
    }
  });

  describe('queries and mutations', () => {
    const entries = MATRIX.filter((e) => e.type !== 'Subscription');
    const cells = new Map(entries.map((entry) => [entry, cellsOf(entry)] as const));
    const observed = new Map<Cell, Observation>();

    // Every cell of every field at once, a few at a time: each waits only for its own fixtures,
    // which no other field's probe disturbs (fields probe separate fixtures or only add to shared ones).
    beforeAll(async () => {
      // Mutations first: their fixtures take longest, and the reads fill the gaps.
      const all = [...entries]
        .sort((a, b) => Number(b.type === 'Mutation') - Number(a.type === 'Mutation'))
        .flatMap((entry) => (cells.get(entry) as Cell[]).map((cell) => ({ entry, cell })));
      await pool(all, CONCURRENCY, async ({ entry, cell }) => {
        observed.set(cell, await observe(fx, entry, cell));
      });
    }, 240_000);

    describe.each(entries.map((e) => [entryName(e), e] as const))('%s', (_name, entry) => {
      it.each((cells.get(entry) as Cell[]).map((cell) => [label(cell), cell] as const))('%s', (_label, cell) => {
        const seen = observed.get(cell) as Observation;
        expect(satisfies(cell.expected, seen.outcome) ? cell.expected : `${seen.outcome} — ${seen.detail}`).toBe(
          cell.expected,
        );
      });
    });
  });

  describe('subscriptions', () => {
    const entries = MATRIX.filter((e) => e.type === 'Subscription');
    const cells = new Map(entries.map((entry) => [entry, cellsOf(entry)] as const));
    const observed = new Map<Cell, Observation>();

    // Each entry × relation listens on its own sockets for its own case, all at the same time.
    beforeAll(async () => {
      await Promise.all(
        entries.flatMap((entry) => {
          const row = cells.get(entry) as Cell[];
          if (entry.field === 'notificationAdded') return [notificationAdded(fx, entry, row, observed)];
          return entry.relations.map((relation) =>
            caseEvents(
              fx,
              entry,
              row.filter((c) => c.relation === relation),
              observed,
            ),
          );
        }),
      );
    }, 120_000);

    describe.each(entries.map((e) => [entryName(e), e] as const))('%s', (_name, entry) => {
      it.each((cells.get(entry) as Cell[]).map((cell) => [label(cell), cell] as const))('%s', (_label, cell) => {
        const seen = observed.get(cell) as Observation;
        expect(satisfies(cell.expected, seen.outcome) ? cell.expected : `${seen.outcome} — ${seen.detail}`).toBe(
          cell.expected,
        );
      });
    });
  });
});
