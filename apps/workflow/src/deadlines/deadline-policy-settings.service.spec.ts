import { findUnguardedResolvers, Viewer } from '@otklik/auth';
import type { UnitOfWork } from '@otklik/persistence';
import type { OrganizationService } from '../organizations/organization.service';
import type { DeadlinePolicyRepository } from './deadline-policy.repository';
import { DeadlinePolicyResolver } from './deadline-policy.resolver';
import { DeadlinePolicyService, DeadlinePolicySnapshot } from './deadline-policy.service';
import { DeadlinePolicySettingsService, settingsOf } from './deadline-policy-settings.service';
import type { DeadlineService } from './deadline.service';
import { WorkingTimeResolver } from './working-time.resolver';

const DISTRICT = '0b6f4a5e-0000-4000-8000-000000000001';
const SELSOVET = '0b6f4a5e-0000-4000-8000-000000000011';

const viewer = (roles: Viewer['roles']): Viewer => ({
  userId: 'u',
  login: 'someone',
  displayName: 'Someone',
  roles,
  visibleOrganizationIds: [DISTRICT, SELSOVET],
});

describe('setting a deadline policy', () => {
  const snapshot = new DeadlinePolicySnapshot([
    { organizationId: DISTRICT, parentId: null, own: null },
    { organizationId: SELSOVET, parentId: DISTRICT, own: null },
  ]);
  const service = new DeadlinePolicySettingsService(
    { run: () => Promise.reject(new Error('no transaction expected')) } as unknown as UnitOfWork,
    {} as DeadlinePolicyRepository,
    { current: () => Promise.resolve(snapshot) } as unknown as DeadlinePolicyService,
    {} as DeadlineService,
    { byId: (id: string) => Promise.resolve({ id }) } as unknown as OrganizationService,
  );

  it('settings left out or given as null keep the value in effect', () => {
    expect(
      settingsOf({ organizationId: DISTRICT, routeHours: 6, atRiskMinutes: null, atRiskShare: undefined }),
    ).toEqual({
      routeHours: 6,
    });
  });

  it('a COORDINATOR of a sel’sovet may not set the district’s policy: FORBIDDEN', async () => {
    await expect(
      service.set(
        { organizationId: DISTRICT, routeHours: 6 },
        viewer([{ organizationId: SELSOVET, role: 'COORDINATOR' }]),
      ),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('a district’s OFFICIAL who is also a sel’sovet’s COORDINATOR may not set the district’s policy either', async () => {
    const both = viewer([
      { organizationId: DISTRICT, role: 'OFFICIAL' },
      { organizationId: SELSOVET, role: 'COORDINATOR' },
    ]);
    await expect(service.set({ organizationId: DISTRICT, routeHours: 6 }, both)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('an organisation id that is not a UUID is BAD_USER_INPUT', async () => {
    await expect(service.inEffect('kalmansky')).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});

describe('guarded by default (STYLE.md §10)', () => {
  it('the deadline policy and working-time resolvers state who may call them', () => {
    expect(findUnguardedResolvers([DeadlinePolicyResolver, WorkingTimeResolver])).toEqual([]);
  });
});
