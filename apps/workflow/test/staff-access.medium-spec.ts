import { jetstreamManager } from '@nats-io/jetstream';
import { connect, NatsConnection } from '@nats-io/transport-node';
import {
  ensureStaffAccessBucket,
  LoginAccess,
  loginKey,
  openStaffAccessBucket,
  parseStaffAccessEntry,
  staffAccessBucket,
  Viewer,
} from '@otklik/auth';
import { eventFilter, StaffAppointed, StaffAppointedV1 } from '@otklik/contracts';
import { demoOrganization } from '@otklik/demo';
import { ALL_ORGS } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';
import { createTestDatabase, testEventsPrefix, testNatsUrl } from '@otklik/testing';
import { WorkflowUnderTest } from './workflow.harness';

const id = (code: string) => demoOrganization(code).id;
const KALMANSKY = id('kalmansky');
const BURANOVSKY = id('buranovsky');
const SHADRINSKY = id('shadrinsky');

const CHANGE = 'action login organizationId role reason tokensIssuedBefore changedBy changedAt changed';
const GRANT = `mutation ($input: GrantRoleInput!) { grantRole(input: $input) { ${CHANGE} } }`;
const WITHDRAW = `mutation ($input: WithdrawRoleInput!) { withdrawRole(input: $input) { ${CHANGE} } }`;
const REVOKE = `mutation ($input: RevokeSessionsInput!) { revokeSessions(input: $input) { ${CHANGE} } }`;
const SIGN_OUT = `mutation { signOut { ${CHANGE} } }`;

interface ChangeRow {
  change_id: string;
  organization_id: string;
  login: string;
  action: string;
  role: string | null;
  reason: string | null;
  tokens_issued_before: Date | null;
  changed_by: string;
}

describe('workflow: staff access changes (roles, revoked sessions), recorded and announced to the gateways', () => {
  let workflow: WorkflowUnderTest;
  let nc: NatsConnection;
  let prefix: string;

  beforeAll(async () => {
    prefix = testEventsPrefix();
    workflow = await WorkflowUnderTest.start({
      database: await createTestDatabase('wf_staff_access'),
      eventsPrefix: prefix,
      natsUrl: testNatsUrl(),
    });
    nc = await connect({ servers: testNatsUrl() });
    // The gateways make the bucket (with the max age their token lifetime needs); here the test does.
    await ensureStaffAccessBucket(nc, prefix, 3_630_000);
  });
  afterAll(async () => {
    await (await jetstreamManager(nc)).streams.delete(`KV_${staffAccessBucket(prefix)}`).catch(() => undefined);
    await nc?.close();
    await workflow?.stop();
  });

  const as = (login: string) => workflow.viewer(login);
  const change = async (query: string, viewer: Viewer, input?: Record<string, unknown>) => {
    const answer = await workflow.graphql<Record<string, Record<string, unknown>>>(
      query,
      input ? { input } : {},
      viewer,
    );
    return { data: answer.data ? Object.values(answer.data)[0] : undefined, error: answer.errors?.[0] };
  };
  const announced = async (login: string): Promise<LoginAccess | null> => {
    const entry = await (await openStaffAccessBucket(nc, prefix)).get(loginKey(login));
    if (!entry || entry.operation !== 'PUT') return null;
    const parsed = parseStaffAccessEntry(entry.key, entry.json<unknown>());
    return parsed.kind === 'login' ? parsed.access : null;
  };
  const recorded = (login: string) =>
    workflow.inScope(ALL_ORGS, () =>
      workflow.app
        .get(UnitOfWork)
        .manager.query<ChangeRow[]>(
          'select * from workflow.staff_access_changes where login = $1 order by changed_at, organization_id',
          [login],
        ),
    );
  /** The bucket's revision of the login's entry: it grows with every write. */
  const revisionOf = async (login: string) =>
    (await (await openStaffAccessBucket(nc, prefix)).get(loginKey(login)))?.revision ?? 0;
  const roleOf = async (login: string) => (await as(login)).roles;

  describe('grantRole / withdrawRole (a COORDINATOR of the organisation or of one above it)', () => {
    it('the district’s coordinator makes a sel’sovet official its coordinator: recorded, announced as "access changed", StaffAppointed published', async () => {
      const before = await announced('buranovsky.official');
      const { data, error } = await change(GRANT, await as('coordinator'), {
        login: 'buranovsky.official',
        organizationId: BURANOVSKY,
        role: 'COORDINATOR',
      });
      expect(error).toBeUndefined();
      expect(data).toMatchObject({
        action: 'ROLE_GRANTED',
        login: 'buranovsky.official',
        organizationId: BURANOVSKY,
        role: 'COORDINATOR',
        tokensIssuedBefore: null,
        changedBy: 'coordinator',
        changed: true,
      });
      expect(await roleOf('buranovsky.official')).toEqual(
        expect.arrayContaining([{ organizationId: BURANOVSKY, role: 'COORDINATOR' }]),
      );
      expect(before).toBeNull();
      const access = await announced('buranovsky.official');
      expect(access).toMatchObject({ reason: expect.stringContaining('role COORDINATOR granted') });
      expect(access?.notBefore).toBeUndefined();
      expect(await recorded('buranovsky.official')).toEqual([
        expect.objectContaining({
          organization_id: BURANOVSKY,
          action: 'ROLE_GRANTED',
          role: 'COORDINATOR',
          changed_by: 'coordinator',
        }),
      ]);
      const events = await workflow.readEvents<StaffAppointedV1>(
        eventFilter(prefix, StaffAppointed),
        (found) => found.some((e) => e.data.login === 'buranovsky.official' && e.data.role === 'COORDINATOR'),
        'StaffAppointed of the new coordinator',
      );
      expect(events.some((e) => e.organizationId === BURANOVSKY && e.data.role === 'COORDINATOR')).toBe(true);
    });

    it('granting a role held already changes nothing and records nothing, but is announced again (a retry after a failed announcement)', async () => {
      const before = await revisionOf('buranovsky.official');
      const { data } = await change(GRANT, await as('coordinator'), {
        login: 'buranovsky.official',
        organizationId: BURANOVSKY,
        role: 'COORDINATOR',
      });
      expect(data).toMatchObject({ changed: false });
      expect(await recorded('buranovsky.official')).toHaveLength(1);
      expect(await revisionOf('buranovsky.official')).toBeGreaterThan(before);
    });

    it('a sel’sovet’s coordinator: its own staff yes; the district’s organisations and people are NOT_FOUND', async () => {
      const selsovet = await as('buranovsky.official');
      const granted = await change(GRANT, selsovet, {
        login: 'buranovsky.executor',
        organizationId: BURANOVSKY,
        role: 'RECEPTION',
      });
      expect(granted.error).toBeUndefined();
      expect(granted.data).toMatchObject({ changed: true, changedBy: 'buranovsky.official' });

      const districtOrg = await change(WITHDRAW, selsovet, {
        login: 'official',
        organizationId: KALMANSKY,
        role: 'OFFICIAL',
      });
      expect(districtOrg.error?.extensions?.code).toBe('NOT_FOUND');
      const districtPerson = await change(GRANT, selsovet, {
        login: 'official',
        organizationId: BURANOVSKY,
        role: 'EXECUTOR',
      });
      expect(districtPerson.error).toMatchObject({
        extensions: { code: 'NOT_FOUND' },
        message: expect.stringContaining('no member of staff "official"'),
      });
      const unknown = await change(GRANT, selsovet, { login: 'nobody', organizationId: BURANOVSKY, role: 'EXECUTOR' });
      expect(unknown.error?.extensions?.code).toBe('NOT_FOUND');
      const revoke = await change(REVOKE, selsovet, { login: 'head', reason: 'probe' });
      expect(revoke.error?.extensions?.code).toBe('NOT_FOUND');
      expect(await roleOf('official')).toEqual([{ organizationId: KALMANSKY, role: 'OFFICIAL' }]);
      expect(await announced('official')).toBeNull();
    });

    it('a coordinator elsewhere who sees an organisation without coordinating it: FORBIDDEN; someone without COORDINATOR: FORBIDDEN', async () => {
      await change(GRANT, await as('coordinator'), {
        login: 'official',
        organizationId: SHADRINSKY,
        role: 'COORDINATOR',
      });
      // official: OFFICIAL of the district (sees buranovsky), COORDINATOR of shadrinsky only.
      const official = await as('official');
      const seenNotCoordinated = await change(GRANT, official, {
        login: 'buranovsky.executor',
        organizationId: BURANOVSKY,
        role: 'HEAD',
      });
      expect(seenNotCoordinated.error?.extensions?.code).toBe('FORBIDDEN');
      const notCoordinator = await change(GRANT, await as('head'), {
        login: 'executor',
        organizationId: KALMANSKY,
        role: 'HEAD',
      });
      expect(notCoordinator.error?.extensions?.code).toBe('FORBIDDEN');
      const badId = await change(GRANT, await as('coordinator'), {
        login: 'executor',
        organizationId: 'x',
        role: 'HEAD',
      });
      expect(badId.error?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('withdrawRole takes the role away: recorded and announced; a role not held changes nothing', async () => {
      const coordinator = await as('coordinator');
      const { data, error } = await change(WITHDRAW, coordinator, {
        login: 'buranovsky.executor',
        organizationId: BURANOVSKY,
        role: 'RECEPTION',
      });
      expect(error).toBeUndefined();
      expect(data).toMatchObject({ action: 'ROLE_WITHDRAWN', role: 'RECEPTION', changed: true });
      expect(await roleOf('buranovsky.executor')).toEqual([{ organizationId: BURANOVSKY, role: 'EXECUTOR' }]);
      expect(await announced('buranovsky.executor')).toMatchObject({
        reason: expect.stringContaining('role RECEPTION withdrawn'),
      });
      expect((await recorded('buranovsky.executor')).map((r) => [r.action, r.role])).toEqual([
        ['ROLE_GRANTED', 'RECEPTION'],
        ['ROLE_WITHDRAWN', 'RECEPTION'],
      ]);
      const again = await change(WITHDRAW, coordinator, {
        login: 'buranovsky.executor',
        organizationId: BURANOVSKY,
        role: 'RECEPTION',
      });
      expect(again.data).toMatchObject({ changed: false });
      expect(await recorded('buranovsky.executor')).toHaveLength(2);
    });
  });

  describe('revokeSessions and signOut', () => {
    it('revokeSessions needs a reason', async () => {
      const { error } = await change(REVOKE, await as('coordinator'), { login: 'executor', reason: '  ' });
      expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('revokeSessions: the person’s tokens issued up to now are refused (announced with notBefore), recorded under each of their organisations', async () => {
      const { data, error } = await change(REVOKE, await as('coordinator'), {
        login: 'official',
        reason: 'phone lost',
      });
      expect(error).toBeUndefined();
      const tokensIssuedBefore = new Date(String(data?.tokensIssuedBefore));
      expect(data).toMatchObject({ action: 'SESSIONS_REVOKED', reason: 'sessions revoked by coordinator: phone lost' });
      expect(await announced('official')).toMatchObject({ notBefore: tokensIssuedBefore.getTime() / 1000 });
      const rows = (await recorded('official')).filter((r) => r.action === 'SESSIONS_REVOKED');
      expect(rows.map((r) => r.organization_id).sort()).toEqual([KALMANSKY, SHADRINSKY].sort());
      expect(new Set(rows.map((r) => r.change_id)).size).toBe(1);
      expect(rows[0].tokens_issued_before).toEqual(tokensIssuedBefore);
    });

    it('a later role change keeps the revocation in the announcement', async () => {
      const before = await announced('official');
      await change(WITHDRAW, await as('coordinator'), {
        login: 'official',
        organizationId: SHADRINSKY,
        role: 'COORDINATOR',
      });
      const after = await announced('official');
      expect(after?.reason).toMatch(/withdrawn/);
      expect(after?.notBefore).toBe(before?.notBefore);
    });

    it('signOut (any viewer): the caller’s own tokens issued up to now are refused, recorded under their organisations', async () => {
      const { data, error } = await change(SIGN_OUT, await as('head'));
      expect(error).toBeUndefined();
      expect(data).toMatchObject({ action: 'SIGNED_OUT', login: 'head', changedBy: 'head', changed: true });
      expect(await announced('head')).toMatchObject({
        notBefore: new Date(String(data?.tokensIssuedBefore)).getTime() / 1000,
        reason: 'signed out',
      });
      expect(await recorded('head')).toEqual([
        expect.objectContaining({ organization_id: KALMANSKY, action: 'SIGNED_OUT' }),
      ]);
    });
  });

  it('the gateways cannot be told (no bucket): the mutation fails — no silent success; made again once they can, it is announced', async () => {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(`KV_${staffAccessBucket(prefix)}`);
    const input = { login: 'executor', organizationId: KALMANSKY, role: 'RECEPTION' };
    const failed = await change(GRANT, await as('coordinator'), input);
    expect(failed.error?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    // Committed before the announcement: the role and its record stand.
    expect(await roleOf('executor')).toEqual(
      expect.arrayContaining([{ organizationId: KALMANSKY, role: 'RECEPTION' }]),
    );
    expect(await recorded('executor')).toHaveLength(1);

    await ensureStaffAccessBucket(nc, prefix, 3_630_000);
    const retried = await change(GRANT, await as('coordinator'), input);
    expect(retried.error).toBeUndefined();
    expect(retried.data).toMatchObject({ changed: false });
    expect(await announced('executor')).toMatchObject({ reason: expect.stringContaining('RECEPTION granted') });
  });
});
