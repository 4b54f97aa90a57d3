import { DEVELOPMENT_AUTH, signViewerToken, Viewer } from '@otklik/auth';
import { eventFilter, StaffAppointed, StaffAppointedV1 } from '@otklik/contracts';
import { DEMO_ORGANIZATIONS, DEMO_USERS, demoOrganization } from '@otklik/demo';
import { createTestDatabase, testEventsPrefix, testNatsUrl } from '@otklik/testing';
import { DemoSeed } from '../src/demo/demo.seed';
import { WorkflowUnderTest } from './workflow.harness';

const id = (code: string) => demoOrganization(code).id;
const ALL_DEMO_ORGS = DEMO_ORGANIZATIONS.map((o) => o.id).sort();

describe('workflow: organisations, staff and who a viewer is', () => {
  let workflow: WorkflowUnderTest;

  beforeAll(async () => {
    workflow = await WorkflowUnderTest.start({
      database: await createTestDatabase('wf_viewers'),
      eventsPrefix: testEventsPrefix(),
      natsUrl: testNatsUrl(),
    });
  });
  afterAll(async () => {
    await workflow?.stop();
  });

  describe('GET /internal/viewers/:login (the gateway asks who a token’s login is)', () => {
    it('a district official holds their role and sees the district, its subdivisions and its sel’sovets', async () => {
      const { status, body } = await workflow.lookUpViewer('official');
      expect(status).toBe(200);
      const viewer = body as Viewer;
      expect(viewer).toMatchObject({
        userId: DEMO_USERS.find((u) => u.login === 'official')?.id,
        login: 'official',
        displayName: 'Андрей Петрович Бочаров',
        roles: [{ organizationId: id('kalmansky'), role: 'OFFICIAL' }],
      });
      expect(viewer.visibleOrganizationIds).toEqual(expect.arrayContaining([id('buranovsky'), id('shadrinsky')]));
      expect([...viewer.visibleOrganizationIds].sort()).toEqual(ALL_DEMO_ORGS);
    });

    it('a sel’sovet official sees their sel’sovet only', async () => {
      const viewer = await workflow.viewer('buranovsky.official');
      expect(viewer.roles).toEqual([{ organizationId: id('buranovsky'), role: 'OFFICIAL' }]);
      expect(viewer.visibleOrganizationIds).toEqual([id('buranovsky')]);
    });

    it('an unknown login is 404 with what is unknown', async () => {
      expect(await workflow.lookUpViewer('nobody')).toEqual({ status: 404, body: { error: 'unknown user nobody' } });
    });

    it('without a service token the call is refused', async () => {
      expect((await workflow.lookUpViewer('official', null)).status).toBe(401);
    });

    it('a viewer token is not a service token', async () => {
      const viewer = await workflow.viewer('official');
      const token = await signViewerToken(viewer, DEVELOPMENT_AUTH.internalSecret);
      expect((await workflow.lookUpViewer('official', token)).status).toBe(401);
    });
  });

  describe('GraphQL: me and organizations', () => {
    it('me: the caller’s login, name and roles with their organisations', async () => {
      const answer = await workflow.graphql(
        '{ me { login displayName roles { role organization { id code name } } } }',
        {},
        await workflow.viewer('official'),
      );
      expect(answer.errors).toBeUndefined();
      expect(answer.data).toEqual({
        me: {
          login: 'official',
          displayName: 'Андрей Петрович Бочаров',
          roles: [
            {
              role: 'OFFICIAL',
              organization: { id: id('kalmansky'), code: 'kalmansky', name: demoOrganization('kalmansky').name },
            },
          ],
        },
      });
    });

    it('a district viewer sees every organisation of the district, each with its parent and time zone', async () => {
      const answer = await workflow.graphql<{
        organizations: Array<{ code: string; kind: string; timeZone: string; parent: { code: string } | null }>;
      }>('{ organizations { id code name kind timeZone parent { code } } }', {}, await workflow.viewer('coordinator'));
      expect(answer.errors).toBeUndefined();
      const organizations = answer.data?.organizations ?? [];
      expect(organizations.map((o) => o.code).sort()).toEqual(DEMO_ORGANIZATIONS.map((o) => o.code).sort());
      expect(organizations.find((o) => o.code === 'buranovsky')).toMatchObject({
        kind: 'SELSOVET',
        timeZone: 'Asia/Barnaul',
        parent: { code: 'kalmansky' },
      });
      expect(organizations.find((o) => o.code === 'kalmansky')?.parent).toBeNull();
    });

    it('a sel’sovet viewer sees only their sel’sovet, and not the district above it', async () => {
      const answer = await workflow.graphql(
        '{ organizations { code parent { code } } }',
        {},
        await workflow.viewer('buranovsky.official'),
      );
      expect(answer.data).toEqual({ organizations: [{ code: 'buranovsky', parent: null }] });
    });

    it('a call without the gateway’s viewer token is UNAUTHENTICATED', async () => {
      for (const query of ['{ me { login } }', '{ organizations { id } }', '{ cases { totalCount } }']) {
        const answer = await workflow.graphql(query);
        expect(answer.status).toBe(401);
        expect(answer.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
        expect(answer.data ?? null).toBeNull();
      }
    });

    it('a viewer token signed with another secret is UNAUTHENTICATED', async () => {
      const token = await signViewerToken(await workflow.viewer('official'), 'not-the-internal-secret');
      const response = await fetch(`${workflow.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-otklik-viewer': token },
        body: JSON.stringify({ query: '{ me { login } }' }),
      });
      const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
      expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('demo seed', () => {
    it('every appointment it seeds is announced as StaffAppointed (notify builds its recipients from them)', async () => {
      const expected = DEMO_USERS.flatMap((u) =>
        u.roles.map((r) => `${u.login}/${r.role}@${r.organizationCode}`),
      ).sort();
      const events = await workflow.readEvents<StaffAppointedV1>(
        eventFilter(workflow.prefix, StaffAppointed),
        (found) => found.length >= expected.length,
        `${expected.length} StaffAppointed events`,
      );
      const codeOf = new Map(DEMO_ORGANIZATIONS.map((o) => [o.id, o.code]));
      const seen = events.map((e) => `${e.data.login}/${e.data.role}@${codeOf.get(e.data.organizationId)}`);
      expect(seen.sort()).toEqual(expected);
      const official = events.find((e) => e.data.login === 'official');
      expect(official?.organizationId).toBe(id('kalmansky'));
      expect(official?.data).toMatchObject({
        displayName: 'Андрей Петрович Бочаров',
        email: 'official@kalmansky.example',
      });
    });

    it('seeding again into a seeded database changes nothing, even twice at once', async () => {
      const seed = workflow.app.get(DemoSeed);
      await Promise.all([seed.onApplicationBootstrap(), seed.onApplicationBootstrap()]);
      const viewer = await workflow.viewer('official');
      expect(viewer.roles).toHaveLength(1);
      const organizations = await workflow.graphql<{ organizations: unknown[] }>(
        '{ organizations { id } }',
        {},
        viewer,
      );
      expect(organizations.data?.organizations).toHaveLength(DEMO_ORGANIZATIONS.length);
    });
  });
});
