import type { Viewer } from '@otklik/auth';
import { AuthError } from '@otklik/auth';
import type { EventEnvelope } from '@otklik/contracts';
import { ViewerRefresher } from '../auth/live.viewer';
import type { ViewerLookup } from '../auth/viewer.client';
import { CaseEventPayload, EntityResolver, EventSource, Subscriber, SubscriptionBridge } from './subscription.bridge';

const ORG = 'org-kalmansky';
const SUB = 'org-kalmansky-housing';
const OTHER = 'org-shadrinsky';

const viewer: Viewer = {
  userId: 'u-coordinator',
  login: 'coordinator',
  displayName: 'Coordinator',
  roles: [{ organizationId: ORG, role: 'COORDINATOR' }],
  visibleOrganizationIds: [ORG, SUB],
};
/** A subscriber whose viewer never changes (the tests of the viewer changing use a LiveViewer). */
const subscriber: Subscriber = {
  login: viewer.login,
  viewer,
  stale: false,
  current: () => Promise.resolve(viewer),
};

let seq = 0;
const event = (type: string, organizationId: string, data: Record<string, unknown>): EventEnvelope => ({
  eventId: `e${++seq}`,
  type,
  version: 1,
  organizationId,
  occurredAt: `2026-11-27T08:00:${String(seq % 60).padStart(2, '0')}.000Z`,
  correlationId: `c${seq}`,
  data,
});
const caseEvent = (organizationId: string, caseId: string, type = 'case.routed') =>
  event(type, organizationId, { caseId });
/** A case.transitioned event as workflow publishes it: on the subject of the case's organisation after the move. */
const transitioned = (organizationId: string, caseId: string, data: Record<string, unknown> = {}) =>
  event('case.transitioned', organizationId, {
    caseId,
    action: 'REGISTER',
    fromStatus: 'ROUTED',
    toStatus: 'REGISTERED',
    actor: 'reception',
    at: '2026-11-27T08:00:00.000Z',
    organizationPath: [organizationId],
    ...data,
  });
/** The transition fields of a case event that is not a transition. */
const NO_MOVE = { action: null, from: null, to: null, actor: null, reason: null };

/** A feed the test pushes into, and a fake batched executor: the only fakes. */
function setup(options: { hidden?: string[]; failing?: string[]; maxQueue?: number; maxBatch?: number } = {}) {
  let push: (e: EventEnvelope) => void = () => undefined;
  const source: EventSource = {
    listen: (listener) => {
      push = listener;
      return () => (push = () => undefined);
    },
  };
  /** One entry per call of the executor, i.e. per batch. */
  const batches: Array<{
    login: string;
    ids: readonly string[];
    selection: string;
    correlationIds: readonly string[];
  }> = [];
  /** The viewer each batch was fetched as. */
  const fetchedAs: Viewer[] = [];
  const resolve: EntityResolver<string> = (v, ids, selection, correlationIds) => {
    batches.push({ login: v.login, ids, selection, correlationIds });
    fetchedAs.push(v);
    if (ids.some((id) => options.failing?.includes(id))) return Promise.reject(new Error('subgraph down'));
    return Promise.resolve(ids.map((id) => (options.hidden?.includes(id) ? null : { case: { id } })));
  };
  const logger = { warn: jest.fn(), error: jest.fn(), debug: jest.fn() };
  const bridge = new SubscriptionBridge<string>({
    events: source,
    resolveCase: resolve,
    resolveNotification: resolve,
    logger,
    maxQueue: options.maxQueue,
    maxBatch: options.maxBatch,
  });
  bridge.start();
  const fetched = () => batches.flatMap((b) => b.ids);
  return { bridge, publish: (e: EventEnvelope) => push(e), batches, fetched, fetchedAs, logger };
}

const caseId = (payload: CaseEventPayload) => (payload.entity.case as { id: string }).id;
/** Lets pending promise callbacks (a woken pull, a resolved batch) run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Reads what is already deliverable, without waiting for more. */
async function drain<T>(iterator: AsyncIterableIterator<T>, count: number): Promise<T[]> {
  const values: T[] = [];
  for (let i = 0; i < count; i += 1) values.push((await iterator.next()).value as T);
  return values;
}

describe('SubscriptionBridge: caseEvents', () => {
  it('delivers only events of organisations the viewer may see, with the case fetched as the viewer', async () => {
    const { bridge, publish, batches } = setup();
    const events = bridge.caseEvents(subscriber, { selection: 'sel' });
    publish(caseEvent(OTHER, 'c-other'));
    const opened = caseEvent(SUB, 'c-1', 'case.opened');
    publish(opened);
    publish(caseEvent(ORG, 'c-2'));
    expect(await drain(events, 2)).toEqual([
      { type: 'OPENED', at: opened.occurredAt, entity: { case: { id: 'c-1' } }, ...NO_MOVE },
      { type: 'UPDATED', at: expect.any(String), entity: { case: { id: 'c-2' } }, ...NO_MOVE },
    ]);
    // Both were queued before the first pull: one fetch for the two.
    expect(batches).toEqual([
      {
        login: 'coordinator',
        ids: ['c-1', 'c-2'],
        selection: 'sel',
        correlationIds: [opened.correlationId, expect.any(String)],
      },
    ]);
  });

  it('with organizationId: that organisation only', async () => {
    const { bridge, publish } = setup();
    const events = bridge.caseEvents(subscriber, { organizationId: SUB, selection: 'sel' });
    publish(caseEvent(ORG, 'c-parent'));
    publish(caseEvent(SUB, 'c-sub'));
    expect((await events.next()).value).toMatchObject({ entity: { case: { id: 'c-sub' } } });
  });

  it('an organisation the viewer may not see is FORBIDDEN at subscribe', () => {
    const { bridge } = setup();
    expect(() => bridge.caseEvents(subscriber, { organizationId: OTHER, selection: 'sel' })).toThrow(
      new AuthError('FORBIDDEN', `you may not see the events of organisation ${OTHER}`),
    );
    expect(bridge.subscriberCount).toBe(0);
  });

  it('skips an event whose case comes back null (not visible to this viewer)', async () => {
    const { bridge, publish } = setup({ hidden: ['c-hidden'] });
    const events = bridge.caseEvents(subscriber, { selection: 'sel' });
    publish(caseEvent(ORG, 'c-hidden'));
    publish(caseEvent(ORG, 'c-open'));
    expect((await events.next()).value).toMatchObject({ entity: { case: { id: 'c-open' } } });
  });

  it('ignores other event types and case events without a caseId', async () => {
    const { bridge, publish } = setup();
    const events = bridge.caseEvents(subscriber, { selection: 'sel' });
    publish(event('message.accepted', ORG, { messageId: 'm' }));
    publish(event('case.routed', ORG, {}));
    publish(caseEvent(ORG, 'c-ok'));
    expect((await events.next()).value).toMatchObject({ entity: { case: { id: 'c-ok' } } });
  });

  it('an executor failure skips the events of that batch with one log line, and the subscription goes on', async () => {
    const { bridge, publish, logger, batches } = setup({ failing: ['c-boom'] });
    const events = bridge.caseEvents(subscriber, { selection: 'sel' });
    const boom = caseEvent(ORG, 'c-boom');
    const sameBatch = caseEvent(ORG, 'c-same-batch');
    publish(boom);
    publish(sameBatch);
    const next = events.next();
    await settle();
    publish(caseEvent(ORG, 'c-fine'));
    expect(caseId((await next).value as CaseEventPayload)).toBe('c-fine');
    expect(batches.map((b) => b.ids)).toEqual([['c-boom', 'c-same-batch'], ['c-fine']]);
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(logger.error.mock.calls[0][0]).toMatchObject({
      err: new Error('subgraph down'),
      login: 'coordinator',
      eventIds: [boom.eventId, sameBatch.eventId],
      correlationIds: [boom.correlationId, sameBatch.correlationId],
    });
  });
});

describe('SubscriptionBridge: case.transitioned', () => {
  it('is TRANSITIONED, with the action, both statuses, the actor and the reason of the move', async () => {
    const { bridge, publish } = setup();
    const events = bridge.caseEvents(subscriber, { selection: 'sel' });
    const returned = transitioned(ORG, 'c-1', {
      action: 'RETURN_DRAFT',
      fromStatus: 'DRAFT_SUBMITTED',
      toStatus: 'ASSIGNED',
      actor: 'official',
      reason: 'добавьте фото',
    });
    publish(returned);
    publish(transitioned(ORG, 'c-2'));
    expect(await drain(events, 2)).toEqual([
      {
        type: 'TRANSITIONED',
        at: returned.occurredAt,
        entity: { case: { id: 'c-1' } },
        action: 'RETURN_DRAFT',
        from: 'DRAFT_SUBMITTED',
        to: 'ASSIGNED',
        actor: 'official',
        reason: 'добавьте фото',
      },
      {
        type: 'TRANSITIONED',
        at: expect.any(String),
        entity: { case: { id: 'c-2' } },
        action: 'REGISTER',
        from: 'ROUTED',
        to: 'REGISTERED',
        actor: 'reception',
        reason: null,
      },
    ]);
  });

  /** A case routed from the district (ORG) down to its subdivision (SUB): published on SUB's subject. */
  const routedDown = () =>
    transitioned(SUB, 'c-routed', {
      action: 'ROUTE',
      fromStatus: 'DETECTED',
      toStatus: 'ROUTED',
      fromOrganizationId: ORG,
    });

  it('a routed case is an event of the organisation it left too: a subscriber of that organisation gets it', async () => {
    const { bridge, publish } = setup();
    const left = bridge.caseEvents(subscriber, { organizationId: ORG, selection: 'sel' });
    const arrived = bridge.caseEvents(subscriber, { organizationId: SUB, selection: 'sel' });
    publish(routedDown());
    for (const events of [left, arrived]) {
      expect((await events.next()).value).toMatchObject({
        type: 'TRANSITIONED',
        action: 'ROUTE',
        entity: { case: { id: 'c-routed' } },
      });
    }
  });

  it('a subscriber of every visible organisation gets a routed case once, not once per organisation', async () => {
    const { bridge, publish, fetched } = setup();
    const events = bridge.caseEvents(subscriber, { selection: 'sel' });
    publish(routedDown());
    publish(caseEvent(ORG, 'c-next'));
    expect((await drain(events, 2)).map(caseId)).toEqual(['c-routed', 'c-next']);
    expect(fetched()).toEqual(['c-routed', 'c-next']);
  });

  it('a case routed between two other organisations is no event of this one', async () => {
    const { bridge, publish, fetched } = setup();
    const events = bridge.caseEvents(subscriber, { organizationId: ORG, selection: 'sel' });
    publish(transitioned(SUB, 'c-elsewhere', { action: 'ROUTE', fromOrganizationId: OTHER }));
    publish(caseEvent(ORG, 'c-mine'));
    expect(caseId((await events.next()).value as CaseEventPayload)).toBe('c-mine');
    expect(fetched()).toEqual(['c-mine']);
  });

  it('routed to an organisation the viewer may not see: the organisation left gets the event while the case is still visible to the viewer', async () => {
    const { bridge, publish, fetched } = setup({ hidden: ['c-gone'] });
    const events = bridge.caseEvents(subscriber, { organizationId: SUB, selection: 'sel' });
    publish(transitioned(OTHER, 'c-shown', { action: 'ROUTE', fromOrganizationId: SUB }));
    // CaseEvent.case is non-null: a case the viewer may no longer read cannot be shown, so its event is skipped.
    publish(transitioned(OTHER, 'c-gone', { action: 'ROUTE', fromOrganizationId: SUB }));
    publish(caseEvent(SUB, 'c-after'));
    expect((await drain(events, 2)).map(caseId)).toEqual(['c-shown', 'c-after']);
    expect(fetched()).toEqual(['c-shown', 'c-gone', 'c-after']);
  });
});

describe('SubscriptionBridge: batches', () => {
  it('a burst of 250 queued events is fetched in 3 batches (100, 100, 50), delivered in order', async () => {
    const { bridge, publish, batches } = setup();
    const events = bridge.caseEvents(subscriber, { selection: 'sel' });
    const ids = Array.from({ length: 250 }, (_, i) => `c-${i}`);
    for (const id of ids) publish(caseEvent(ORG, id));

    const first = await events.next();
    expect(caseId(first.value as CaseEventPayload)).toBe('c-0');
    // The next batch is fetched only when the subscriber has read the current one.
    expect(batches.map((b) => b.ids.length)).toEqual([100]);

    const rest = await drain(events, 249);
    expect([first.value, ...rest].map(caseId)).toEqual(ids);
    expect(batches.map((b) => b.ids.length)).toEqual([100, 100, 50]);
    expect(batches.flatMap((b) => b.ids)).toEqual(ids);
  });

  it('maxBatch bounds a batch', async () => {
    const { bridge, publish, batches } = setup({ maxBatch: 2 });
    const events = bridge.caseEvents(subscriber, { selection: 'sel' });
    for (let i = 1; i <= 5; i += 1) publish(caseEvent(ORG, `c-${i}`));
    expect((await drain(events, 5)).map(caseId)).toEqual(['c-1', 'c-2', 'c-3', 'c-4', 'c-5']);
    expect(batches.map((b) => b.ids)).toEqual([['c-1', 'c-2'], ['c-3', 'c-4'], ['c-5']]);
  });

  it('nulls inside a batch are skipped without reordering the others', async () => {
    const { bridge, publish, batches } = setup({ hidden: ['c-h1', 'c-h2', 'c-h3'] });
    const events = bridge.caseEvents(subscriber, { selection: 'sel' });
    for (const id of ['c-h1', 'c-1', 'c-h2', 'c-2', 'c-3', 'c-h3']) publish(caseEvent(ORG, id));
    publish(caseEvent(ORG, 'c-4'));
    expect((await drain(events, 4)).map(caseId)).toEqual(['c-1', 'c-2', 'c-3', 'c-4']);
    expect(batches).toHaveLength(1);
  });

  it('a batch of nulls only: the pull goes on to the next events', async () => {
    const { bridge, publish, batches } = setup({ hidden: ['c-h1', 'c-h2'] });
    const events = bridge.caseEvents(subscriber, { selection: 'sel' });
    publish(caseEvent(ORG, 'c-h1'));
    publish(caseEvent(ORG, 'c-h2'));
    const next = events.next();
    await settle();
    publish(caseEvent(ORG, 'c-1'));
    expect(caseId((await next).value as CaseEventPayload)).toBe('c-1');
    expect(batches.map((b) => b.ids)).toEqual([['c-h1', 'c-h2'], ['c-1']]);
  });

  it('one queued event is a batch of one, fetched at once (no waiting for a batch to fill)', async () => {
    const { bridge, publish, batches } = setup();
    const events = bridge.caseEvents(subscriber, { selection: 'sel' });
    const next = events.next();
    await settle();
    publish(caseEvent(ORG, 'c-alone'));
    expect(caseId((await next).value as CaseEventPayload)).toBe('c-alone');
    expect(batches.map((b) => b.ids)).toEqual([['c-alone']]);

    // Events that arrive together, before the waiting pull goes on, are one batch.
    const second = events.next();
    await settle();
    publish(caseEvent(ORG, 'c-a'));
    publish(caseEvent(ORG, 'c-b'));
    expect(caseId((await second).value as CaseEventPayload)).toBe('c-a');
    expect(caseId((await events.next()).value as CaseEventPayload)).toBe('c-b');
    expect(batches.map((b) => b.ids)).toEqual([['c-alone'], ['c-a', 'c-b']]);
  });
});

describe('SubscriptionBridge: notificationAdded', () => {
  it("delivers the viewer's own notifications only", async () => {
    const { bridge, publish, fetched } = setup();
    const notifications = bridge.notificationAdded(subscriber, 'sel');
    publish(event('notification.created', ORG, { notificationId: 'n-other', userId: 'someone-else' }));
    publish(event('notification.created', ORG, { notificationId: 'n-mine', userId: viewer.userId }));
    expect((await notifications.next()).value).toEqual({ entity: { case: { id: 'n-mine' } } });
    expect(fetched()).toEqual(['n-mine']);
  });
});

describe('SubscriptionBridge: bounds and clean-up', () => {
  it('drops the slowest subscriber’s oldest events beyond the queue limit, with one log line', async () => {
    const { bridge, publish, logger } = setup({ maxQueue: 3 });
    const events = bridge.caseEvents(subscriber, { selection: 'sel' });
    for (let i = 1; i <= 5; i += 1) publish(caseEvent(ORG, `c-${i}`));
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0][0]).toMatchObject({ login: 'coordinator', maxQueue: 3 });
    const delivered = await drain(events, 3);
    expect(delivered.map(caseId)).toEqual(['c-3', 'c-4', 'c-5']);
  });

  it('unsubscribing (return) removes the subscriber and ends a pending read', async () => {
    const { bridge } = setup();
    const events = bridge.caseEvents(subscriber, { selection: 'sel' });
    const pending = events.next();
    expect(bridge.subscriberCount).toBe(1);
    await events.return?.();
    await expect(pending).resolves.toEqual({ value: undefined, done: true });
    expect(bridge.subscriberCount).toBe(0);
  });

  it('stop() ends every stream and stops listening', async () => {
    const { bridge, publish, fetched } = setup();
    const a = bridge.caseEvents(subscriber, { selection: 'sel' });
    const b = bridge.notificationAdded(subscriber, 'sel');
    bridge.stop();
    publish(caseEvent(ORG, 'c-late'));
    await expect(a.next()).resolves.toMatchObject({ done: true });
    await expect(b.next()).resolves.toMatchObject({ done: true });
    expect(fetched()).toEqual([]);
    expect(bridge.subscriberCount).toBe(0);
  });
});

/**
 * Workflow as the viewer lookup sees it, changed by the tests: a login's viewer, `down` (the
 * lookup fails), or nothing (unknown user). The subscriber is a real LiveViewer over it, with a clock.
 */
function liveSetup(answer: Viewer) {
  let clock = 1_000_000;
  const answers = new Map<string, Viewer | 'down'>([[answer.login, answer]]);
  const lookups: string[] = [];
  const lookup: ViewerLookup = {
    viewer: (login) => {
      lookups.push(login);
      const current = answers.get(login);
      if (current === 'down') return Promise.reject(new Error('connect ECONNREFUSED workflow:4002'));
      if (!current) return Promise.reject(new AuthError('UNAUTHENTICATED', 'unknown user'));
      return Promise.resolve(current);
    },
  };
  const refresherLogger = { warn: jest.fn(), info: jest.fn() };
  const refresher = new ViewerRefresher(lookup, refresherLogger, { freshMs: 30_000, retryMs: 5_000, now: () => clock });
  const onGone = jest.fn();
  const live = refresher.track({ login: answer.login, viewer: answer }, { gone: onGone });
  return {
    ...setup(),
    live,
    refresher,
    onGone,
    lookups,
    refresherLogger,
    workflow: (login: string, value: Viewer | 'down' | undefined) =>
      value ? answers.set(login, value) : answers.delete(login),
    advance: (ms: number) => (clock += ms),
  };
}

const withVisible = (...visibleOrganizationIds: string[]): Viewer => ({ ...viewer, visibleOrganizationIds });

describe('SubscriptionBridge: the viewer as it is now', () => {
  it('visibility removed: later events of that organisation are not delivered, and batches are fetched as the current viewer', async () => {
    const { bridge, publish, live, workflow, fetched, fetchedAs } = liveSetup(withVisible(ORG, SUB));
    const events = bridge.caseEvents(live, { selection: 'sel' });
    publish(caseEvent(ORG, 'c-before'));
    expect(caseId((await events.next()).value as CaseEventPayload)).toBe('c-before');

    workflow(viewer.login, withVisible(SUB));
    // Queued with the last known viewer (which still sees ORG), dropped against the current one.
    publish(caseEvent(ORG, 'c-removed'));
    publish(caseEvent(SUB, 'c-kept'));
    expect(caseId((await events.next()).value as CaseEventPayload)).toBe('c-kept');
    // The last known viewer is the current one now: ORG's events are not even queued.
    publish(caseEvent(ORG, 'c-removed-later'));
    publish(caseEvent(SUB, 'c-kept-later'));
    expect(caseId((await events.next()).value as CaseEventPayload)).toBe('c-kept-later');

    expect(fetched()).toEqual(['c-before', 'c-kept', 'c-kept-later']);
    expect(fetchedAs.map((v) => v.visibleOrganizationIds)).toEqual([[ORG, SUB], [SUB], [SUB]]);
    expect(live.viewer.visibleOrganizationIds).toEqual([SUB]);
  });

  it('visibility added: events of the new organisation are delivered once a batch has seen the current viewer', async () => {
    const { bridge, publish, live, workflow } = liveSetup(withVisible(ORG));
    const events = bridge.caseEvents(live, { selection: 'sel' });
    workflow(viewer.login, withVisible(ORG, OTHER));
    publish(caseEvent(ORG, 'c-1'));
    expect(caseId((await events.next()).value as CaseEventPayload)).toBe('c-1');
    publish(caseEvent(OTHER, 'c-new-org'));
    expect(caseId((await events.next()).value as CaseEventPayload)).toBe('c-new-org');
  });

  it('visibility added: once the last known viewer is older than the cache lifetime, any event is checked against the current one', async () => {
    const { bridge, publish, live, workflow, advance, fetched } = liveSetup(withVisible(ORG));
    const events = bridge.caseEvents(live, { selection: 'sel' });
    publish(caseEvent(OTHER, 'c-not-visible'));
    workflow(viewer.login, withVisible(ORG, OTHER));
    advance(30_000);
    expect(live.stale).toBe(true);
    publish(caseEvent(OTHER, 'c-new-org'));
    expect(caseId((await events.next()).value as CaseEventPayload)).toBe('c-new-org');
    expect(fetched()).toEqual(['c-new-org']);
    expect(live.stale).toBe(false);
  });

  it('an event queued while the viewer looked out of date, of an organisation still not visible, is not fetched', async () => {
    const { bridge, publish, live, advance, fetched } = liveSetup(withVisible(ORG));
    const events = bridge.caseEvents(live, { selection: 'sel' });
    advance(30_000);
    publish(caseEvent(OTHER, 'c-other'));
    publish(caseEvent(ORG, 'c-mine'));
    expect(caseId((await events.next()).value as CaseEventPayload)).toBe('c-mine');
    expect(fetched()).toEqual(['c-mine']);
  });

  it('user deleted: the subscriptions complete and the connection is told once', async () => {
    const { bridge, publish, live, workflow, onGone, fetched } = liveSetup(withVisible(ORG));
    const events = bridge.caseEvents(live, { selection: 'sel' });
    const notifications = bridge.notificationAdded(live, 'sel');
    const pendingNotification = notifications.next();
    workflow(viewer.login, undefined);
    publish(caseEvent(ORG, 'c-after-deletion'));
    await expect(events.next()).resolves.toEqual({ value: undefined, done: true });
    publish(event('notification.created', ORG, { notificationId: 'n-1', userId: viewer.userId }));
    await expect(pendingNotification).resolves.toEqual({ value: undefined, done: true });
    expect(onGone).toHaveBeenCalledTimes(1);
    expect(fetched()).toEqual([]);
    expect(bridge.subscriberCount).toBe(0);
  });

  it('lookup failing: the last known viewer is kept, with one warning per outage', async () => {
    const { bridge, publish, live, workflow, advance, lookups, refresherLogger, fetchedAs } = liveSetup(
      withVisible(ORG),
    );
    const events = bridge.caseEvents(live, { selection: 'sel' });
    workflow(viewer.login, 'down');
    for (const id of ['c-1', 'c-2', 'c-3']) {
      publish(caseEvent(ORG, id));
      expect(caseId((await events.next()).value as CaseEventPayload)).toBe(id);
      advance(5_000);
    }
    expect(lookups).toHaveLength(3);
    expect(fetchedAs.map((v) => v.visibleOrganizationIds)).toEqual([[ORG], [ORG], [ORG]]);
    expect(refresherLogger.warn).toHaveBeenCalledTimes(1);
    expect(refresherLogger.warn.mock.calls[0][0]).toMatchObject({ login: viewer.login });

    // Between retries, batches go on with the last known viewer without asking.
    publish(caseEvent(ORG, 'c-4'));
    await events.next();
    expect(lookups).toHaveLength(4);
    publish(caseEvent(ORG, 'c-5'));
    await events.next();
    expect(lookups).toHaveLength(4);

    // Back: the current viewer again, and a later outage is a new warning.
    workflow(viewer.login, withVisible(SUB));
    advance(5_000);
    publish(caseEvent(ORG, 'c-gone-from-view'));
    const next = events.next();
    await settle();
    publish(caseEvent(SUB, 'c-6'));
    expect(caseId((await next).value as CaseEventPayload)).toBe('c-6');
    expect(refresherLogger.info).toHaveBeenCalledTimes(1);
    workflow(viewer.login, 'down');
    publish(caseEvent(SUB, 'c-7'));
    expect(caseId((await events.next()).value as CaseEventPayload)).toBe('c-7');
    expect(refresherLogger.warn).toHaveBeenCalledTimes(2);
    expect(bridge.subscriberCount).toBe(1);
  });

  it('caseEvents(organizationId) whose organisation is no longer visible ends with FORBIDDEN', async () => {
    const { bridge, publish, live, workflow, fetched } = liveSetup(withVisible(ORG, SUB));
    const events = bridge.caseEvents(live, { organizationId: SUB, selection: 'sel' });
    publish(caseEvent(SUB, 'c-1'));
    expect(caseId((await events.next()).value as CaseEventPayload)).toBe('c-1');
    workflow(viewer.login, withVisible(ORG));
    const pending = events.next();
    publish(caseEvent(SUB, 'c-2'));
    await expect(pending).rejects.toEqual(
      new AuthError('FORBIDDEN', `you may not see the events of organisation ${SUB}`),
    );
    await expect(events.next()).resolves.toEqual({ value: undefined, done: true });
    expect(fetched()).toEqual(['c-1']);
    expect(bridge.subscriberCount).toBe(0);
  });

  it('a role withdrawn and announced on the staff access list: caseEvents(organizationId) ends with FORBIDDEN at once, no event needed', async () => {
    const { bridge, live, refresher, workflow, lookups } = liveSetup(withVisible(ORG, SUB));
    const events = bridge.caseEvents(live, { organizationId: SUB, selection: 'sel' });
    const pending = events.next();
    workflow(viewer.login, withVisible(ORG));
    refresher.loginChanged(viewer.login, { reason: 'role withdrawn', at: 1 });
    await expect(pending).rejects.toEqual(
      new AuthError('FORBIDDEN', `you may not see the events of organisation ${SUB}`),
    );
    expect(lookups).toEqual([viewer.login]);
    expect(bridge.subscriberCount).toBe(0);
  });

  it('a role withdrawn and announced: an open caseEvents of every organisation no longer queues the lost organisation’s events', async () => {
    const { bridge, publish, live, refresher, workflow, fetched } = liveSetup(withVisible(ORG, SUB));
    const events = bridge.caseEvents(live, { selection: 'sel' });
    workflow(viewer.login, withVisible(ORG));
    refresher.loginChanged(viewer.login, { reason: 'role withdrawn', at: 1 });
    await settle();
    expect(live.viewer.visibleOrganizationIds).toEqual([ORG]);
    publish(caseEvent(SUB, 'c-lost'));
    publish(caseEvent(ORG, 'c-kept'));
    expect(caseId((await events.next()).value as CaseEventPayload)).toBe('c-kept');
    expect(fetched()).toEqual(['c-kept']);
  });
});
