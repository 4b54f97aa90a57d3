import type { Viewer } from '@otklik/auth';
import type { Role } from '@otklik/contracts';
import { OrganizationTreeSnapshot } from '../organizations/organization.tree';
import { canRead, readerOf, refusalOf } from './case.access';
import { TRANSITIONS } from './case.transitions';

const node = (id: string, parentId: string | null, kind = 'SUBDIVISION') => ({
  id,
  code: id,
  name: id,
  kind: kind as 'SUBDIVISION',
  parentId,
  timeZone: 'Asia/Barnaul',
});
const tree = new OrganizationTreeSnapshot([
  node('district', null, 'DISTRICT'),
  node('housing', 'district'),
  node('village', 'district', 'SELSOVET'),
  node('other-village', 'district', 'SELSOVET'),
]);
const viewer = (...roles: Array<[Role, string]>): Viewer => ({
  userId: 'me',
  login: 'me',
  displayName: 'Me',
  roles: roles.map(([role, organizationId]) => ({ role, organizationId })),
  visibleOrganizationIds: [...tree.subtreesOf(roles.map(([, o]) => o))],
});

describe('who may read a case', () => {
  it('a role other than EXECUTOR reads every case of its organisation and below', () => {
    const head = viewer(['HEAD', 'district']);
    expect(canRead(head, { organizationId: 'village', executorUserId: null }, tree)).toBe(true);
    expect([...readerOf(head, tree).fullOrganizationIds].sort()).toEqual([
      'district',
      'housing',
      'other-village',
      'village',
    ]);
  });

  it('an executor reads only the cases assigned to them', () => {
    const executor = viewer(['EXECUTOR', 'district']);
    expect(canRead(executor, { organizationId: 'housing', executorUserId: 'me' }, tree)).toBe(true);
    expect(canRead(executor, { organizationId: 'housing', executorUserId: 'someone' }, tree)).toBe(false);
    expect(readerOf(executor, tree).fullOrganizationIds).toEqual([]);
  });

  it('a sel’sovet’s official does not read a sibling sel’sovet’s case', () => {
    expect(
      canRead(viewer(['OFFICIAL', 'village']), { organizationId: 'other-village', executorUserId: null }, tree),
    ).toBe(false);
  });
});

describe('who may take a step', () => {
  const kase = { organizationId: 'housing', executorUserId: 'executor-1' };

  it('a role held in the case’s organisation or above it', () => {
    expect(refusalOf(viewer(['OFFICIAL', 'district']), TRANSITIONS.ROUTE, kase, tree)).toBeNull();
    expect(refusalOf(viewer(['OFFICIAL', 'housing']), TRANSITIONS.ROUTE, kase, tree)).toBeNull();
  });

  it('not a role held only beside it or below it', () => {
    expect(refusalOf(viewer(['OFFICIAL', 'village']), TRANSITIONS.ROUTE, kase, tree)).toBe(
      'routeCase needs the role OFFICIAL in housing or an organisation above it; you hold no role there',
    );
  });

  it('the executor of the case drafts; another executor may not', () => {
    expect(
      refusalOf({ ...viewer(['EXECUTOR', 'district']), userId: 'executor-1' }, TRANSITIONS.SUBMIT_DRAFT, kase, tree),
    ).toBeNull();
    expect(refusalOf(viewer(['EXECUTOR', 'district']), TRANSITIONS.SUBMIT_DRAFT, kase, tree)).toBe(
      'submitDraft needs to be the case’s executor; you are EXECUTOR there',
    );
  });
});
