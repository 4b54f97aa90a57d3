import type { Viewer } from '@otklik/auth';
import type { Role } from '@otklik/contracts';
import { mineFor } from './case.service';

const viewer = (...roles: Role[]): Viewer => ({
  userId: 'me',
  login: 'me',
  displayName: 'Me',
  roles: roles.map((role) => ({ role, organizationId: 'org' })),
  visibleOrganizationIds: ['org'],
});

describe('"my work" (CaseFilter.mine): what waits for each role', () => {
  it('the official: new cases to route and drafts to decide on', () => {
    expect(mineFor(viewer('OFFICIAL'), undefined)).toEqual({
      statuses: ['DETECTED', 'DRAFT_SUBMITTED'],
      executorOnly: false,
    });
  });

  it('the executor alone: their own assigned cases', () => {
    expect(mineFor(viewer('EXECUTOR'), undefined)).toEqual({
      statuses: ['ASSIGNED', 'AWAITING_FINAL'],
      executorOnly: true,
    });
  });

  it('several roles: the union; a status filter narrows it and may leave nothing', () => {
    expect(mineFor(viewer('RECEPTION', 'OFFICIAL'), undefined).statuses.sort()).toEqual(
      ['DETECTED', 'DRAFT_SUBMITTED', 'REGISTERED', 'ROUTED'].sort(),
    );
    expect(mineFor(viewer('OFFICIAL'), ['DETECTED', 'ANSWERED']).statuses).toEqual(['DETECTED']);
    expect(mineFor(viewer('OFFICIAL'), ['ANSWERED']).statuses).toEqual([]);
  });
});
