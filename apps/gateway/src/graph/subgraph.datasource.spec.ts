import { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { DEVELOPMENT_AUTH, verifyViewerToken, Viewer } from '@otklik/auth';
import { CORRELATION_HEADER, VIEWER_HEADER } from '@otklik/contracts';
import { gatewayContext, GatewayContext } from '../auth/auth.context';
import { SubgraphDataSource, subgraphServices } from './subgraph.datasource';

const viewer: Viewer = {
  userId: 'u',
  login: 'executor',
  displayName: 'E',
  roles: [{ organizationId: 'o', role: 'EXECUTOR' }],
  visibleOrganizationIds: ['o'],
};

describe('SubgraphDataSource', () => {
  it('sends the signed viewer and the correlation id with every operation', async () => {
    const headers = new Map<string, string>();
    const context = gatewayContext(viewer, 'corr-7', DEVELOPMENT_AUTH.internalSecret);
    const options = {
      kind: 'incoming operation',
      incomingRequestContext: {},
      context,
      request: { http: { method: 'POST', url: 'http://x', headers } },
    } as unknown as GraphQLDataSourceProcessOptions<GatewayContext>;
    await new SubgraphDataSource({ url: 'http://x' }).willSendRequest(options);
    expect(headers.get(CORRELATION_HEADER)).toBe('corr-7');
    await expect(verifyViewerToken(headers.get(VIEWER_HEADER) ?? '', DEVELOPMENT_AUTH.internalSecret)).resolves.toEqual(
      viewer,
    );
  });

  it('maps subgraph names to the configured URLs and refuses unknown ones', () => {
    const build = subgraphServices({ workflow: 'http://127.0.0.1:4002/graphql' });
    expect(build({ name: 'workflow', url: 'http://elsewhere' }).url).toBe('http://127.0.0.1:4002/graphql');
    expect(() => build({ name: 'billing', url: 'http://billing' })).toThrow(/billing/);
  });
});
