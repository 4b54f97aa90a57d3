import { DEFAULT_DEADLINE_POLICY, deadlinePolicy, DeadlinePolicySettings } from '@otklik/calendar';
import type { UnitOfWork } from '@otklik/persistence';
import type { DeadlinePolicyRepository, OrganizationPolicyRow } from './deadline-policy.repository';
import { DEADLINE_POLICY_CACHE_MS, DeadlinePolicyService, DeadlinePolicySnapshot } from './deadline-policy.service';

// A district with a subdivision and a sel'sovet, which has a department of its own.
const DISTRICT = 'district';
const SUBDIVISION = 'subdivision';
const SELSOVET = 'selsovet';
const DEPARTMENT = 'department';

const row = (
  organizationId: string,
  parentId: string | null,
  policy?: DeadlinePolicySettings,
): OrganizationPolicyRow => ({
  organizationId,
  parentId,
  own: policy ? { policy, updatedBy: 'coordinator', updatedAt: new Date('2026-11-28T00:00:00Z') } : null,
});

describe('the policy in effect: an organisation’s own, else its nearest ancestor’s, else the defaults', () => {
  const tree = (district?: DeadlinePolicySettings, selsovet?: DeadlinePolicySettings) =>
    new DeadlinePolicySnapshot([
      row(DISTRICT, null, district),
      row(SUBDIVISION, DISTRICT),
      row(SELSOVET, DISTRICT, selsovet),
      row(DEPARTMENT, SELSOVET),
    ]);

  it('no policy anywhere: the defaults, defined by no one', () => {
    expect(tree().inEffect(DEPARTMENT)).toMatchObject({
      policy: DEFAULT_DEADLINE_POLICY,
      definedBy: null,
      updatedBy: null,
    });
  });

  it('a sub-organisation without its own policy follows the nearest ancestor that has one', () => {
    const snapshot = tree({ routeHours: 6 }, { atRiskShare: 0.25 });
    expect(snapshot.inEffect(SUBDIVISION)).toMatchObject({ definedBy: DISTRICT, policy: { routeHours: 6 } });
    expect(snapshot.inEffect(DEPARTMENT)).toMatchObject({
      definedBy: SELSOVET,
      policy: deadlinePolicy({ atRiskShare: 0.25 }),
      updatedBy: 'coordinator',
    });
  });

  it('an organisation the snapshot does not know gets the defaults', () => {
    expect(tree({ routeHours: 6 }).inEffect('unknown').policy).toBe(DEFAULT_DEADLINE_POLICY);
  });

  it('governs itself and the organisations below it that have no policy of their own', () => {
    expect(tree({ routeHours: 6 }).governedBy(DISTRICT).sort()).toEqual([DEPARTMENT, DISTRICT, SELSOVET, SUBDIVISION]);
    expect(tree({ routeHours: 6 }, { routeHours: 4 }).governedBy(DISTRICT).sort()).toEqual([DISTRICT, SUBDIVISION]);
    expect(tree({ routeHours: 6 }, { routeHours: 4 }).governedBy(SELSOVET).sort()).toEqual([DEPARTMENT, SELSOVET]);
  });

  it('a stored policy that no longer validates is ignored with a warning: the ancestor’s applies', () => {
    const warnings: string[] = [];
    const snapshot = new DeadlinePolicySnapshot(
      [row(DISTRICT, null, { routeHours: 6 }), row(SELSOVET, DISTRICT, { routeHours: 900 })],
      (m) => warnings.push(m),
    );
    expect(snapshot.inEffect(SELSOVET)).toMatchObject({ definedBy: DISTRICT, policy: { routeHours: 6 } });
    expect(warnings).toEqual([expect.stringMatching(/organisation selsovet is ignored: .*routeHours: 900/)]);
  });

  it('its path walks up, nearest first, and survives a loop in bad data', () => {
    expect(tree().pathOf(DEPARTMENT)).toEqual([DEPARTMENT, SELSOVET, DISTRICT]);
    expect(new DeadlinePolicySnapshot([row('a', 'b'), row('b', 'a')]).pathOf('a')).toEqual(['a', 'b']);
  });
});

describe('DeadlinePolicyService caches the policies for 30 s per replica', () => {
  let rows: OrganizationPolicyRow[];
  let reads: number;
  let clock: number;
  let service: DeadlinePolicyService;

  beforeEach(() => {
    rows = [row(DISTRICT, null)];
    reads = 0;
    clock = 0;
    const uow = { runIsolated: <T>(work: () => Promise<T>) => work() } as unknown as UnitOfWork;
    const repository = {
      organizationsWithPolicies: () => {
        reads++;
        return Promise.resolve([...rows]);
      },
    } as unknown as DeadlinePolicyRepository;
    service = new DeadlinePolicyService(uow, repository);
    service.now = () => clock;
  });

  it('reads once within the cache time, and again after it', async () => {
    await service.policyOf(DISTRICT);
    rows = [row(DISTRICT, null, { routeHours: 6 })];
    clock = DEADLINE_POLICY_CACHE_MS - 1;
    expect((await service.policyOf(DISTRICT)).routeHours).toBe(8);
    expect(reads).toBe(1);
    clock = DEADLINE_POLICY_CACHE_MS;
    expect((await service.policyOf(DISTRICT)).routeHours).toBe(6);
    expect(reads).toBe(2);
  });

  it('invalidate() makes the next reader see a change at once', async () => {
    await service.policyOf(DISTRICT);
    rows = [row(DISTRICT, null, { routeHours: 6 })];
    service.invalidate();
    expect((await service.policyOf(DISTRICT)).routeHours).toBe(6);
  });

  it('an organisation added since the last read makes it read again at once, to know its ancestors', async () => {
    rows = [row(DISTRICT, null, { routeHours: 6 })];
    await service.policyOf(DISTRICT);
    rows = [...rows, row(SELSOVET, DISTRICT)];
    expect((await service.policyOf(SELSOVET)).routeHours).toBe(6);
    expect(reads).toBe(2);
  });
});
