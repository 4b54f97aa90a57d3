import { DEVELOPMENT_AUTH, Viewer } from '@otklik/auth';
import { ViewerRefresher } from './live.viewer';
import { ViewerClient } from './viewer.client';

const viewer: Viewer = {
  userId: 'u1',
  login: 'official',
  displayName: 'Official',
  roles: [{ organizationId: 'o1', role: 'OFFICIAL' }],
  visibleOrganizationIds: ['o1'],
};

/**
 * The real ViewerClient (30 s cache, shared lookups) in front of a fake workflow whose answer
 * the tests change: a viewer, `down` (unreachable) or nothing (404). One clock for both.
 */
function setup() {
  let clock = 1_000_000;
  const now = () => clock;
  let answer: Viewer | 'down' | undefined = viewer;
  let requests = 0;
  const fetch = jest.fn(() => {
    requests += 1;
    if (answer === 'down') return Promise.reject(new TypeError('fetch failed'));
    return Promise.resolve(
      answer ? new Response(JSON.stringify(answer), { status: 200 }) : new Response(null, { status: 404 }),
    );
  });
  const client = new ViewerClient({
    workflowBaseUrl: 'http://workflow:4002',
    internalSecret: DEVELOPMENT_AUTH.internalSecret,
    fetch,
    now,
  });
  const logger = { warn: jest.fn(), info: jest.fn() };
  const refresher = new ViewerRefresher(client, logger, { now });
  return {
    client,
    refresher,
    logger,
    requests: () => requests,
    workflow: (value: Viewer | 'down' | undefined) => (answer = value),
    advance: (ms: number) => (clock += ms),
  };
}

describe('LiveViewer: a connection’s viewer, kept current through the cached lookup', () => {
  it('all connections and requests of a login share one workflow lookup per 30 s', async () => {
    const { client, refresher, requests, workflow, advance } = setup();
    const a = refresher.track('official', viewer);
    const b = refresher.track('official', viewer);
    await Promise.all([a.current(), b.current(), a.current(), client.viewer('official')]);
    expect(requests()).toBe(1);

    const moved = { ...viewer, visibleOrganizationIds: ['o2'] };
    workflow(moved);
    advance(29_000);
    await expect(a.current()).resolves.toEqual(viewer);
    expect(requests()).toBe(1);
    advance(1_000);
    await expect(Promise.all([a.current(), b.current()])).resolves.toEqual([moved, moved]);
    expect(requests()).toBe(2);
    expect(b.viewer).toEqual(moved);
  });

  it('is stale once workflow has not confirmed it for the cache lifetime', async () => {
    const { refresher, advance } = setup();
    const live = refresher.track('official', viewer);
    expect(live.stale).toBe(false);
    advance(30_000);
    expect(live.stale).toBe(true);
    await live.current();
    expect(live.stale).toBe(false);
  });

  it('a user workflow no longer knows: null, the connection told once, workflow not asked again', async () => {
    const { refresher, requests, workflow } = setup();
    const onGone = jest.fn();
    const live = refresher.track('official', viewer, onGone);
    workflow(undefined);
    await expect(live.current()).resolves.toBeNull();
    await expect(live.current()).resolves.toBeNull();
    expect(onGone).toHaveBeenCalledTimes(1);
    expect(live.gone).toBe(true);
    expect(requests()).toBe(1);
  });

  it('workflow unreachable: the last known viewer, one warning per outage, asked again every 5 s', async () => {
    const { refresher, logger, requests, workflow, advance } = setup();
    const live = refresher.track('official', viewer);
    const other = refresher.track('other', { ...viewer, login: 'other', userId: 'u2' });
    workflow('down');
    await expect(live.current()).resolves.toEqual(viewer);
    await expect(other.current()).resolves.toMatchObject({ login: 'other' });
    expect(requests()).toBe(1);
    advance(5_000);
    await expect(live.current()).resolves.toEqual(viewer);
    expect(requests()).toBe(2);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(live.gone).toBe(false);
    // Nothing new to learn meanwhile: the last known viewer is not out of date for longer than 30 s after a check.
    advance(29_000);
    expect(live.stale).toBe(false);

    const moved = { ...viewer, visibleOrganizationIds: ['o2'] };
    workflow(moved);
    advance(5_000);
    await expect(live.current()).resolves.toEqual(moved);
    expect(logger.info).toHaveBeenCalledTimes(1);
    workflow('down');
    advance(30_000);
    await expect(live.current()).resolves.toEqual(moved);
    expect(logger.warn).toHaveBeenCalledTimes(2);
  });
});
