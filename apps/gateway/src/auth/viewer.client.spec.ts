import { AuthError, DEVELOPMENT_AUTH, verifyServiceToken, Viewer } from '@otklik/auth';
import { SERVICE_HEADER } from '@otklik/contracts';
import { ViewerCache } from './viewer.cache';
import { ViewerClient } from './viewer.client';

const viewer: Viewer = {
  userId: 'u1',
  login: 'official',
  displayName: 'Official',
  roles: [{ organizationId: 'o1', role: 'OFFICIAL' }],
  visibleOrganizationIds: ['o1'],
};

function fakeWorkflow(answer: (login: string) => { status: number; body?: unknown }) {
  const requests: Array<{ url: string; headers: Record<string, string> }> = [];
  const fetch = jest.fn((url: string, init?: RequestInit) => {
    requests.push({ url, headers: init?.headers as Record<string, string> });
    const { status, body } = answer(decodeURIComponent(url.split('/').pop() ?? ''));
    return Promise.resolve(new Response(body === undefined ? null : JSON.stringify(body), { status }));
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, requests };
}

describe('ViewerClient (GET /internal/viewers/{login}, cached 30 s)', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => (clock = 1_000_000));

  const client = (fetch: typeof globalThis.fetch) =>
    new ViewerClient({
      workflowBaseUrl: 'http://workflow:4002',
      internalSecret: DEVELOPMENT_AUTH.internalSecret,
      fetch,
      now,
    });

  it('asks workflow with a service token and returns the viewer', async () => {
    const workflow = fakeWorkflow(() => ({ status: 200, body: viewer }));
    await expect(client(workflow.fetch).viewer('official')).resolves.toEqual(viewer);
    expect(workflow.requests[0].url).toBe('http://workflow:4002/internal/viewers/official');
    await expect(
      verifyServiceToken(workflow.requests[0].headers[SERVICE_HEADER], DEVELOPMENT_AUTH.internalSecret),
    ).resolves.toEqual({ service: 'gateway' });
  });

  it('remembers a viewer for 30 seconds, then asks again', async () => {
    const workflow = fakeWorkflow(() => ({ status: 200, body: viewer }));
    const viewers = client(workflow.fetch);
    await viewers.viewer('official');
    clock += 29_000;
    await viewers.viewer('official');
    expect(workflow.requests).toHaveLength(1);
    clock += 2_000;
    await viewers.viewer('official');
    expect(workflow.requests).toHaveLength(2);
  });

  it('shares one lookup between concurrent requests for the same login', async () => {
    const workflow = fakeWorkflow(() => ({ status: 200, body: viewer }));
    const viewers = client(workflow.fetch);
    await Promise.all([viewers.viewer('official'), viewers.viewer('official'), viewers.viewer('official')]);
    expect(workflow.requests).toHaveLength(1);
  });

  it('404 is an unknown user (UNAUTHENTICATED), not remembered', async () => {
    const workflow = fakeWorkflow(() => ({ status: 404 }));
    const viewers = client(workflow.fetch);
    await expect(viewers.viewer('ghost')).rejects.toEqual(new AuthError('UNAUTHENTICATED', 'unknown user'));
    await expect(viewers.viewer('ghost')).rejects.toBeInstanceOf(AuthError);
    expect(workflow.requests).toHaveLength(2);
  });

  it('a failing or nonsensical workflow is our error, not the caller’s', async () => {
    await expect(client(fakeWorkflow(() => ({ status: 500 })).fetch).viewer('official')).rejects.toThrow(/HTTP 500/);
    await expect(
      client(fakeWorkflow(() => ({ status: 200, body: { login: 'x' } })).fetch).viewer('official'),
    ).rejects.toThrow(/unusable viewer/);
  });

  it('forget: the next request asks workflow again; an answer asked before the change is not remembered', async () => {
    let answer = viewer;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let requests = 0;
    const fetch = jest.fn(async () => {
      requests += 1;
      const body = JSON.stringify(answer);
      if (requests === 2) await gate;
      return new Response(body, { status: 200 });
    });
    const viewers = client(fetch);
    await viewers.viewer('official');
    viewers.forget('official');
    // A lookup in flight when the change is announced: its (older) answer is not cached.
    const inFlight = viewers.viewer('official');
    await Promise.resolve();
    viewers.forget('official');
    answer = { ...viewer, visibleOrganizationIds: [] };
    const after = viewers.viewer('official');
    release();
    await inFlight;
    await expect(after).resolves.toEqual(answer);
    await expect(viewers.viewer('official')).resolves.toEqual(answer);
    expect(requests).toBe(3);
  });

  it('encodes the login in the path', async () => {
    const workflow = fakeWorkflow(() => ({ status: 200, body: viewer }));
    await client(workflow.fetch).viewer('buranovsky.official/../x');
    expect(workflow.requests[0].url).toBe('http://workflow:4002/internal/viewers/buranovsky.official%2F..%2Fx');
  });
});

describe('ViewerCache size cap', () => {
  it('drops the oldest entry past the cap', () => {
    const cache = new ViewerCache<number>(1000, 2, () => 0);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.size]).toEqual([undefined, 2, 3, 2]);
  });
});
