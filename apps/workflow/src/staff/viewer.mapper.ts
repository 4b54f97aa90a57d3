import type { Viewer } from '@otklik/auth';
import type { StaffMember } from './staff.service';
import { ViewerModel, ViewerRoleModel } from './viewer.model';

const role = (r: { organizationId: string; role: ViewerRoleModel['role'] }): ViewerRoleModel =>
  Object.assign(new ViewerRoleModel(), { organizationId: r.organizationId, role: r.role });

export function viewerToModel(viewer: Viewer): ViewerModel {
  return Object.assign(new ViewerModel(), {
    login: viewer.login,
    displayName: viewer.displayName,
    roles: viewer.roles.map(role),
  });
}

export function memberToModel(member: StaffMember): ViewerModel {
  return Object.assign(new ViewerModel(), {
    login: member.user.login,
    displayName: member.user.displayName,
    roles: member.roles.map(role),
  });
}
