import { findUnguardedResolvers } from '@otklik/auth';
import { CaseResolver } from '../cases/case.resolver';
import { DeadlineResolver } from '../deadlines/deadline.resolver';
import { OrganizationResolver } from '../organizations/organization.resolver';
import { ViewerResolver, ViewerRoleResolver } from '../staff/viewer.resolver';

describe('guarded by default (STYLE.md §10)', () => {
  it('every query of workflow states who may call it (@Roles or @AnyViewer)', () => {
    expect(
      findUnguardedResolvers([
        CaseResolver,
        DeadlineResolver,
        OrganizationResolver,
        ViewerResolver,
        ViewerRoleResolver,
      ]),
    ).toEqual([]);
  });
});
