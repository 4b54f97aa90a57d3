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
    const a = refresher.track({ login: 'official', viewer });
    const b = refresher.track({ login: 'official', viewer });
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
    const live = refresher.track({ login: 'official', viewer });
    expect(live.stale).toBe(false);
    advance(30_000);
    expect(live.stale).toBe(true);
    await live.current();
    expect(live.stale).toBe(false);
  });

  it('a user workflow no longer knows: null, the connection told once, workflow not asked again', async () => {
    const { refresher, requests, workflow } = setup();
    const onGone = jest.fn();
    const live = refresher.track({ login: 'official', viewer }, { gone: onGone });
    workflow(undefined);
    await expect(live.current()).resolves.toBeNull();
    await expect(live.current()).resolves.toBeNull();
    expect(onGone).toHaveBeenCalledTimes(1);
    expect(live.gone).toBe(true);
    expect(requests()).toBe(1);
  });

  it('workflow unreachable: the last known viewer, one warning per outage, asked again every 5 s', async () => {
    const { refresher, logger, requests, workflow, advance } = setup();
    const live = refresher.track({ login: 'official', viewer });
    const other = refresher.track({ login: 'other', viewer: { ...viewer, login: 'other', userId: 'u2' } });
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

describe('ViewerRefresher: changes on the staff access list apply at once', () => {
  const issuedAt = new Date(1_000 * 1000);

  it('access changed: the cached viewer is dropped and every connection of the login checks again now, not in 30 s', async () => {
    const { refresher, requests, workflow } = setup();
    const changed = jest.fn();
    const a = refresher.track({ login: 'official', viewer, token: { login: 'official', issuedAt } });
    const b = refresher.track({ login: 'official', viewer, token: { login: 'official', issuedAt } });
    const other = refresher.track({ login: 'other', viewer: { ...viewer, login: 'other' } });
    a.onChange(changed);
    await a.current();
    expect(requests()).toBe(1);

    const withdrawn = { ...viewer, roles: [], visibleOrganizationIds: [] };
    workflow(withdrawn);
    refresher.loginChanged('official', { reason: 'role OFFICIAL withdrawn', at: 2_000 });
    await Promise.resolve();
    await expect(Promise.all([a.current(), b.current()])).resolves.toEqual([withdrawn, withdrawn]);
    // One shared lookup for the login's connections, the other login untouched.
    expect(requests()).toBe(2);
    expect(changed).toHaveBeenCalledWith(withdrawn);
    expect(other.viewer.login).toBe('other');
  });

  it('sessions revoked up to a time: connections whose token is that old are revoked, later ones only check again', () => {
    const { refresher } = setup();
    const revoked = jest.fn();
    const old = refresher.track({ login: 'official', viewer, token: { login: 'official', issuedAt } }, { revoked });
    const fresh = refresher.track({
      login: 'official',
      viewer,
      token: { login: 'official', issuedAt: new Date(3_000 * 1000) },
    });
    refresher.loginChanged('official', { notBefore: 2_000, reason: 'signed out', at: 2_000 });
    expect(revoked).toHaveBeenCalledWith('session revoked');
    expect(old.revoked).toBe('session revoked');
    expect(fresh.revoked).toBeUndefined();
    expect(refresher.tracked).toBe(1);
  });

  it('one session revoked: the connection with that jti or sid only', async () => {
    const { refresher } = setup();
    const byJti = refresher.track({ login: 'official', viewer, token: { login: 'official', issuedAt, tokenId: 'j1' } });
    const bySid = refresher.track({ login: 'head', viewer, token: { login: 'head', issuedAt, sessionId: 's1' } });
    const untouched = refresher.track({
      login: 'official',
      viewer,
      token: { login: 'official', issuedAt, tokenId: 'j2' },
    });
    refresher.sessionRevoked('j1');
    refresher.sessionRevoked('s1');
    expect([byJti.revoked, bySid.revoked, untouched.revoked]).toEqual([
      'session revoked',
      'session revoked',
      undefined,
    ]);
    await expect(byJti.current()).resolves.toBeNull();
  });

  it('a closed connection is no longer tracked', () => {
    const { refresher } = setup();
    const live = refresher.track({ login: 'official', viewer });
    live.dispose();
    expect(refresher.tracked).toBe(0);
  });
});
