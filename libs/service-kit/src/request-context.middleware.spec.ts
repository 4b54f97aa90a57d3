import type { IncomingMessage, ServerResponse } from 'node:http';
import { AuthenticatedRequest, signViewerToken, Viewer } from '@otklik/auth';
import { CORRELATION_HEADER, VIEWER_HEADER } from '@otklik/contracts';
import { CallContext, callContext } from '@otklik/observability';
import { RequestContextMiddleware } from './request-context.middleware';
import type { ServiceConfig } from './service.config';

const SECRET = 'internal-secret-for-middleware-tests-0123';
const ORG_A = '0b6f4a5e-0000-4000-8000-000000000001';
const ORG_B = '0b6f4a5e-0000-4000-8000-000000000002';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const official: Viewer = {
  userId: '6f1c3a52-8e55-4d1f-9f1a-1c0e2f3a4b5c',
  login: 'official',
  displayName: 'Official',
  roles: [{ organizationId: ORG_A, role: 'OFFICIAL' }],
  visibleOrganizationIds: [ORG_A, ORG_B],
};

type Request = IncomingMessage & AuthenticatedRequest;

/** Runs the middleware on a request with these headers; resolves with what `next` saw. */
function through(headers: Record<string, string>) {
  const middleware = new RequestContextMiddleware({ internalSecret: SECRET } as ServiceConfig);
  const req = { headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])) };
  const responseHeaders: Record<string, unknown> = {};
  const res = { setHeader: (name: string, value: unknown) => (responseHeaders[name] = value) };
  return new Promise<{ context: CallContext | undefined; req: Request; responseHeaders: Record<string, unknown> }>(
    (resolve) =>
      middleware.use(req as unknown as Request, res as unknown as ServerResponse, () =>
        resolve({ context: callContext.current(), req: req as unknown as Request, responseHeaders }),
      ),
  );
}

describe('RequestContextMiddleware: every request runs inside a call context', () => {
  it('keeps a well-formed correlation id from the caller and returns it in the response', async () => {
    const { context, responseHeaders } = await through({ [CORRELATION_HEADER]: 'gw-2025.03:01_a-b' });
    expect(context?.correlationId).toBe('gw-2025.03:01_a-b');
    expect(responseHeaders[CORRELATION_HEADER]).toBe('gw-2025.03:01_a-b');
  });

  it.each([
    ['missing', undefined],
    ['with a space', 'two words'],
    ['with a newline (log injection)', 'id\ninjected'],
    ['with a quote', 'id"'],
    ['longer than 100 characters', 'x'.repeat(101)],
  ])('replaces a correlation id that is %s with a fresh UUID, and returns that one', async (_why, given) => {
    const { context, responseHeaders } = await through(given === undefined ? {} : { [CORRELATION_HEADER]: given });
    expect(context?.correlationId).toMatch(UUID);
    expect(responseHeaders[CORRELATION_HEADER]).toBe(context?.correlationId);
  });

  it('accepts a correlation id of exactly 100 characters', async () => {
    const id = 'y'.repeat(100);
    expect((await through({ [CORRELATION_HEADER]: id })).context?.correlationId).toBe(id);
  });

  it('a verified viewer scopes the call to its visible organisations and names the actor', async () => {
    const { context, req } = await through({ [VIEWER_HEADER]: await signViewerToken(official, SECRET) });
    expect(context?.orgScope).toEqual({ kind: 'orgs', ids: [ORG_A, ORG_B] });
    expect(context?.actor).toBe('official');
    expect(req.viewer).toEqual(official);
  });

  it.each([
    ['no viewer token', () => Promise.resolve({})],
    [
      'a token signed with another secret',
      async () => ({ [VIEWER_HEADER]: await signViewerToken(official, 'x'.repeat(40)) }),
    ],
    ['a malformed token', () => Promise.resolve({ [VIEWER_HEADER]: 'not.a.jwt' })],
  ])('with %s the scope is empty and no viewer is set (the guard then refuses)', async (_why, headers) => {
    const { context, req } = await through(await headers());
    expect(context?.orgScope).toEqual({ kind: 'orgs', ids: [] });
    expect(context?.actor).toBeUndefined();
    expect(req.viewer).toBeUndefined();
  });
});
