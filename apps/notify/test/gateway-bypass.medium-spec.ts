import { randomUUID } from 'node:crypto';
import {
  callGraphqlWith,
  entitiesQuery,
  GATEWAY_BYPASS_ATTEMPTS,
  GraphqlOutcome,
  validViewerHeaders,
} from '@otklik/testing';
import { demoUser, NotifyUnderTest, viewerOf } from './notify.harness';

/*
 * notify's /graphql trusts only the gateway's signed, short-lived viewer token (docs/security.md,
 * threat model B3, gateway → subgraphs): whatever else a direct caller sends is UNAUTHENTICATED,
 * with no data, for queries and for the `_entities` the gateway fetches alike.
 */
const official = viewerOf(demoUser('official'));
const PREFERENCES = '{ notificationPreferences { kind channel enabled } notifications { totalCount } }';
const REFUSED: GraphqlOutcome = { status: 401, codes: ['UNAUTHENTICATED'], data: null };
const caseId = randomUUID();
const entities = {
  query: entitiesQuery('Case', 'id'),
  variables: { representations: [{ __typename: 'Case', id: caseId }] },
};

describe('notify: a call around the gateway is refused', () => {
  let notify: NotifyUnderTest;

  beforeAll(async () => {
    notify = await NotifyUnderTest.start('notify_bypass');
  }, 60_000);
  afterAll(() => notify?.stop());

  it('with the gateway’s viewer token: the viewer’s preferences and notifications are there to be read', async () => {
    const headers = await validViewerHeaders(official);
    const answer = await callGraphqlWith(notify.url, { query: PREFERENCES, headers });
    expect(answer.codes).toEqual([]);
    expect((answer.data?.notificationPreferences as unknown[]).length).toBeGreaterThan(0);
    expect(answer.data?.notifications).toEqual({ totalCount: 0 });
    expect(await callGraphqlWith(notify.url, { query: PREFERENCES, headers, method: 'GET' })).toEqual(answer);
    expect(await callGraphqlWith(notify.url, { ...entities, headers })).toEqual({
      status: 200,
      codes: [],
      data: { _entities: [{ __typename: 'Case', id: caseId }] },
    });
  });

  it.each(GATEWAY_BYPASS_ATTEMPTS.map((a) => [a.name, a] as const))(
    '%s: UNAUTHENTICATED, no data',
    async (_name, attempt) => {
      const headers = await attempt.headers(official);
      expect(await callGraphqlWith(notify.url, { query: PREFERENCES, headers })).toEqual(REFUSED);
      expect(await callGraphqlWith(notify.url, { query: PREFERENCES, headers, method: 'GET' })).toEqual(REFUSED);
      expect(await callGraphqlWith(notify.url, { ...entities, headers })).toEqual(REFUSED);
    },
  );
});
