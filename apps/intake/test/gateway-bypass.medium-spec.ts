import { randomUUID } from 'node:crypto';
import { demoOrganization } from '@otklik/demo';
import {
  callGraphqlWith,
  entitiesQuery,
  GATEWAY_BYPASS_ATTEMPTS,
  GraphqlOutcome,
  validViewerHeaders,
} from '@otklik/testing';
import { IntakeUnderTest, postGenericWebhook, staffViewer } from './intake.harness';

/*
 * intake's /graphql trusts only the gateway's signed, short-lived viewer token (docs/security.md,
 * threat model B3, gateway → subgraphs): whatever else a direct caller sends is UNAUTHENTICATED,
 * with no data, for queries and for the `_entities` the gateway fetches alike.
 */
const KALMANSKY = demoOrganization('kalmansky').id;
const official = staffViewer('official', 'OFFICIAL', KALMANSKY);
const SOURCES = `query ($org: ID) { sources(organizationId: $org) { id } }`;
const REFUSED: GraphqlOutcome = { status: 401, codes: ['UNAUTHENTICATED'], data: null };

describe('intake: a call around the gateway is refused', () => {
  let intake: IntakeUnderTest;
  let messageId: string;
  const text = `Нет воды на ул. Ленина ${randomUUID()}`;

  beforeAll(async () => {
    intake = await IntakeUnderTest.start('intake_bypass');
    const accepted = await postGenericWebhook(intake, {
      externalId: `post-${randomUUID()}`,
      text,
      postedAt: '2026-11-27T08:15:00+07:00',
    });
    messageId = accepted.body.messageId as string;
  }, 60_000);
  afterAll(() => intake?.stop());

  const entities = () => ({
    query: entitiesQuery('Message', 'id text'),
    variables: { representations: [{ __typename: 'Message', id: messageId }] },
  });

  it('with the gateway’s viewer token: the sources and the message are there to be read', async () => {
    const sources = await callGraphqlWith(intake.url, {
      query: SOURCES,
      variables: { org: KALMANSKY },
      headers: await validViewerHeaders(official),
    });
    expect(sources.codes).toEqual([]);
    expect((sources.data?.sources as unknown[]).length).toBeGreaterThan(0);
    const viaGet = await callGraphqlWith(intake.url, {
      query: SOURCES,
      variables: { org: KALMANSKY },
      headers: await validViewerHeaders(official),
      method: 'GET',
    });
    expect(viaGet.data).toEqual(sources.data);
    const message = await callGraphqlWith(intake.url, { ...entities(), headers: await validViewerHeaders(official) });
    expect(message).toEqual({
      status: 200,
      codes: [],
      data: { _entities: [{ __typename: 'Message', id: messageId, text }] },
    });
  });

  it.each(GATEWAY_BYPASS_ATTEMPTS.map((a) => [a.name, a] as const))(
    '%s: UNAUTHENTICATED, no data',
    async (_name, attempt) => {
      const headers = await attempt.headers(official);
      const query = { query: SOURCES, variables: { org: KALMANSKY }, headers };
      expect(await callGraphqlWith(intake.url, query)).toEqual(REFUSED);
      expect(await callGraphqlWith(intake.url, { ...query, method: 'GET' })).toEqual(REFUSED);
      expect(await callGraphqlWith(intake.url, { ...entities(), headers })).toEqual(REFUSED);
    },
  );
});
