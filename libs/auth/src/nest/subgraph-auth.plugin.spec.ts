import 'reflect-metadata';
import type { BaseContext, GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { VIEWER_HEADER } from '@otklik/contracts';
import { getOperationAST, GraphQLError, parse } from 'graphql';
import { signViewerToken } from '../internal.token';
import { Viewer } from '../viewer.model';
import type { AuthenticatedRequest } from './auth.options';
import { SubgraphAuthPlugin } from './subgraph-auth.plugin';

const SECRET = 'internal-secret-for-plugin-tests-012';
const viewer: Viewer = {
  userId: 'u',
  login: 'head',
  displayName: 'Head',
  roles: [{ organizationId: 'o', role: 'HEAD' }],
  visibleOrganizationIds: ['o'],
};

async function run(query: string, headers: Record<string, string> = {}) {
  const plugin = new SubgraphAuthPlugin({ internalSecret: SECRET });
  const listener = await plugin.requestDidStart();
  const req: AuthenticatedRequest = { headers: {} };
  const requestContext = {
    request: { http: { headers: new HeaderMap(Object.entries(headers)), method: 'POST', search: '', body: {} } },
    operation: getOperationAST(parse(query)),
    contextValue: { req },
  } as unknown as GraphQLRequestContextDidResolveOperation<BaseContext>;
  const error = await listener.didResolveOperation!(requestContext).then(
    () => undefined,
    (e: unknown) => e as GraphQLError,
  );
  return { error, req };
}

describe('SubgraphAuthPlugin: every operation carries the gateway viewer, checked once', () => {
  it('refuses _entities without the viewer header', async () => {
    const { error } = await run('query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }');
    expect(error?.extensions).toEqual({ code: 'UNAUTHENTICATED', http: { status: 401 } });
  });

  it('accepts the gateway viewer and puts it on the request', async () => {
    const { error, req } = await run('{ cases { id } }', { [VIEWER_HEADER]: await signViewerToken(viewer, SECRET) });
    expect(error).toBeUndefined();
    expect(req.viewer).toEqual(viewer);
  });

  it('lets schema tooling and health checks through: _service, __typename', async () => {
    expect((await run('{ _service { sdl } }')).error).toBeUndefined();
    expect((await run('query __ApolloServiceHealthCheck__ { __typename }')).error).toBeUndefined();
    expect((await run('{ _service { sdl } cases { id } }')).error?.extensions.code).toBe('UNAUTHENTICATED');
  });
});
