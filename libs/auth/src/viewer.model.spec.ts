import { canSeeOrganization, hasRole, parseViewer, Viewer } from './viewer.model';

const viewer: Viewer = {
  userId: 'u1',
  login: 'official',
  displayName: 'Official',
  roles: [
    { organizationId: 'kalmansky', role: 'OFFICIAL' },
    { organizationId: 'buranovsky', role: 'EXECUTOR' },
  ],
  visibleOrganizationIds: ['kalmansky', 'kalmansky.housing', 'buranovsky'],
};

describe('viewer rules', () => {
  it('hasRole: in any organisation, or in the one named', () => {
    expect(hasRole(viewer, 'OFFICIAL')).toBe(true);
    expect(hasRole(viewer, 'HEAD')).toBe(false);
    expect(hasRole(viewer, 'EXECUTOR', 'buranovsky')).toBe(true);
    expect(hasRole(viewer, 'EXECUTOR', 'kalmansky')).toBe(false);
  });

  it('canSeeOrganization: only the visible ones', () => {
    expect(canSeeOrganization(viewer, 'kalmansky.housing')).toBe(true);
    expect(canSeeOrganization(viewer, 'shadrinsky')).toBe(false);
  });

  it('parseViewer keeps a good viewer and names what is wrong with a bad one', () => {
    expect(parseViewer(JSON.parse(JSON.stringify(viewer)))).toEqual(viewer);
    expect(() => parseViewer({ ...viewer, roles: [{ organizationId: 'x', role: 'KING' }] })).toThrow(/roles\[0\]/);
    expect(() => parseViewer({ ...viewer, login: '' })).toThrow(/login/);
    expect(() => parseViewer(null)).toThrow(/not an object/);
  });
});
