import type { Viewer } from '@otklik/auth';
import { demoOrganization } from '@otklik/demo';
import {
  callGraphqlWith,
  callInternal,
  createTestDatabase,
  entitiesQuery,
  GATEWAY_BYPASS_ATTEMPTS,
  GraphqlOutcome,
  SERVICE_TOKEN_ATTEMPTS,
  testEventsPrefix,
  testNatsUrl,
  validServiceHeaders,
  validViewerHeaders,
} from '@otklik/testing';
import { WorkflowUnderTest } from './workflow.harness';

/*
 * workflow's /graphql trusts only the gateway's signed, short-lived viewer token, and its
 * /internal/viewers/:login only a service token (docs/security.md, threat model
 * B3, gateway → subgraphs): whatever else a direct caller sends is refused, with no data.
 */
const KALMANSKY = demoOrganization('kalmansky').id;
const WHO_AND_WHERE = '{ me { login } organizations { code } }';
const REFUSED: GraphqlOutcome = { status: 401, codes: ['UNAUTHENTICATED'], data: null };
const entities = {
  query: entitiesQuery('Organization', 'code'),
  variables: { representations: [{ __typename: 'Organization', id: KALMANSKY }] },
};

describe('workflow: a call around the gateway is refused', () => {
  let workflow: WorkflowUnderTest;
  let official: Viewer;

  beforeAll(async () => {
    workflow = await WorkflowUnderTest.start({
      database: await createTestDatabase('wf_bypass'),
      eventsPrefix: testEventsPrefix(),
      natsUrl: testNatsUrl(),
    });
    official = await workflow.viewer('official');
  }, 60_000);
  afterAll(() => workflow?.stop());

  describe('/graphql', () => {
    it('with the gateway’s viewer token: the viewer, their organisations and the entity are there to be read', async () => {
      const headers = await validViewerHeaders(official);
      const answer = await callGraphqlWith(workflow.url, { query: WHO_AND_WHERE, headers });
      expect(answer.codes).toEqual([]);
      expect(answer.data).toMatchObject({ me: { login: 'official' } });
      expect((answer.data?.organizations as unknown[]).length).toBeGreaterThan(0);
      expect(await callGraphqlWith(workflow.url, { query: WHO_AND_WHERE, headers, method: 'GET' })).toEqual(answer);
      expect(await callGraphqlWith(workflow.url, { ...entities, headers })).toEqual({
        status: 200,
        codes: [],
        data: { _entities: [{ __typename: 'Organization', code: 'kalmansky' }] },
      });
    });

    it.each(GATEWAY_BYPASS_ATTEMPTS.map((a) => [a.name, a] as const))(
      '%s: UNAUTHENTICATED, no data',
      async (_name, attempt) => {
        const headers = await attempt.headers(official);
        expect(await callGraphqlWith(workflow.url, { query: WHO_AND_WHERE, headers })).toEqual(REFUSED);
        expect(await callGraphqlWith(workflow.url, { query: WHO_AND_WHERE, headers, method: 'GET' })).toEqual(REFUSED);
        expect(await callGraphqlWith(workflow.url, { ...entities, headers })).toEqual(REFUSED);
      },
    );
  });

  describe('GET /internal/viewers/:login', () => {
    const lookUp = async (headers: Record<string, string>) =>
      callInternal(`${workflow.url}/internal/viewers/official`, headers);

    it('with a service token: the viewer', async () => {
      expect(await lookUp(await validServiceHeaders())).toEqual({
        status: 200,
        body: expect.objectContaining({ login: 'official', roles: expect.any(Array) }),
      });
    });

    it.each(SERVICE_TOKEN_ATTEMPTS.map((a) => [a.name, a] as const))(
      '%s: 401, and nothing of the viewer',
      async (_name, attempt) => {
        const { status, body } = await lookUp(await attempt.headers(official));
        expect(status).toBe(401);
        expect(JSON.stringify(body)).not.toMatch(/visibleOrganizationIds|roles|official/);
      },
    );
  });
});
