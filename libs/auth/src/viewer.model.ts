// @otklik/contracts' payload classes use decorators that need the Reflect metadata API loaded first.
import 'reflect-metadata';
import { ROLES, Role } from '@otklik/contracts';

export interface ViewerRole {
  organizationId: string;
  role: Role;
}

/** Who is calling: resolved by the gateway from the JWT's login, forwarded to subgraphs signed. */
export interface Viewer {
  userId: string;
  login: string;
  displayName: string;
  roles: ViewerRole[];
  /** The viewer's organisations and everything below them (workflow computes it). */
  visibleOrganizationIds: string[];
}

/**
 * Whether the viewer holds `role`: in `organizationId` exactly when given, else in any
 * organisation. Hierarchy rules (a district's role over its subdivisions) belong to workflow.
 */
export function hasRole(viewer: Viewer, role: Role, organizationId?: string): boolean {
  return viewer.roles.some(
    (r) => r.role === role && (organizationId === undefined || r.organizationId === organizationId),
  );
}

export function canSeeOrganization(viewer: Viewer, organizationId: string): boolean {
  return viewer.visibleOrganizationIds.includes(organizationId);
}

const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value !== '';
const isRole = (value: unknown): value is Role => (ROLES as readonly unknown[]).includes(value);

/** Checks an untrusted value (a token claim, a JSON answer) and returns a clean Viewer; throws naming what is wrong. */
export function parseViewer(raw: unknown): Viewer {
  const v = raw as Partial<Record<keyof Viewer, unknown>> | null;
  if (typeof v !== 'object' || v === null) throw new Error('viewer: not an object');
  const problems: string[] = [];
  for (const key of ['userId', 'login', 'displayName'] as const) {
    if (!isNonEmptyString(v[key])) problems.push(`${key}: must be a non-empty string`);
  }
  const roles: ViewerRole[] = [];
  if (!Array.isArray(v.roles)) problems.push('roles: must be an array');
  else {
    (v.roles as unknown[]).forEach((r, i) => {
      const item = r as Partial<Record<keyof ViewerRole, unknown>> | null;
      if (typeof item === 'object' && item !== null && isNonEmptyString(item.organizationId) && isRole(item.role)) {
        roles.push({ organizationId: item.organizationId, role: item.role });
      } else problems.push(`roles[${i}]: needs organizationId and a role among ${ROLES.join(', ')}`);
    });
  }
  const visible = v.visibleOrganizationIds;
  if (!Array.isArray(visible) || !visible.every(isNonEmptyString))
    problems.push('visibleOrganizationIds: must be an array of ids');
  if (problems.length > 0) throw new Error(`viewer: ${problems.join('; ')}`);
  return {
    userId: v.userId as string,
    login: v.login as string,
    displayName: v.displayName as string,
    roles,
    visibleOrganizationIds: [...(visible as string[])],
  };
}
