import type { Viewer } from '@otklik/auth';
import type { OrganizationTreeSnapshot } from '../organizations/organization.tree';
import type { CaseReader } from './case.repository';
import type { TransitionRule } from './case.transitions';

/*
 * Who may read and act on a case (REQUIREMENTS "Who uses it"). A role covers its organisation
 * and every organisation below it: the district's official acts on its subdivisions' and
 * sel'sovets' cases, a sel'sovet's official on the sel'sovet's only. An executor who holds no
 * other role there sees only the cases assigned to them. Row-level security has already
 * limited every read to the viewer's organisations; these rules narrow it further.
 */

/** What the viewer may read among the cases of their organisations. */
export function readerOf(viewer: Viewer, tree: OrganizationTreeSnapshot): CaseReader {
  const full = viewer.roles.filter((r) => r.role !== 'EXECUTOR').map((r) => r.organizationId);
  return { userId: viewer.userId, fullOrganizationIds: [...tree.subtreesOf(full)] };
}

export function canRead(
  viewer: Viewer,
  kase: { organizationId: string; executorUserId: string | null },
  tree: OrganizationTreeSnapshot,
): boolean {
  if (kase.executorUserId === viewer.userId) return true;
  const path = tree.pathOf(kase.organizationId);
  return viewer.roles.some((r) => r.role !== 'EXECUTOR' && path.includes(r.organizationId));
}

/**
 * Why the viewer may not take `rule` on the case, or null when they may: they need one of the
 * rule's roles in the case's organisation or above it, or to be its executor where the rule
 * says so.
 */
export function refusalOf(
  viewer: Viewer,
  rule: TransitionRule,
  kase: { organizationId: string; executorUserId: string | null },
  tree: OrganizationTreeSnapshot,
): string | null {
  if (rule.who.includes('EXECUTOR_OF_CASE') && kase.executorUserId === viewer.userId) return null;
  const path = tree.pathOf(kase.organizationId);
  if (viewer.roles.some((r) => (rule.who as readonly string[]).includes(r.role) && path.includes(r.organizationId))) {
    return null;
  }
  const where = tree.get(kase.organizationId)?.code ?? kase.organizationId;
  const roles = rule.who.filter((w) => w !== 'SYSTEM' && w !== 'EXECUTOR_OF_CASE');
  const wanted = [
    ...(roles.length > 0 ? [`the role ${roles.join(' or ')} in ${where} or an organisation above it`] : []),
    ...(rule.who.includes('EXECUTOR_OF_CASE') ? ['to be the case’s executor'] : []),
  ];
  const held = viewer.roles.filter((r) => path.includes(r.organizationId)).map((r) => r.role);
  return (
    `${rule.mutation} needs ${wanted.join(', or ')}; ` +
    (held.length > 0 ? `you are ${[...new Set(held)].join(', ')} there` : `you hold no role there`)
  );
}
