import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { hasRole, Viewer } from '@otklik/auth';
import type { Role } from '@otklik/contracts';
import { ALL_ORGS, callContext } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';
import { isUuid } from '../graphql/uuid';
import { OrganizationService } from '../organizations/organization.service';
import { OrganizationTree } from '../organizations/organization.tree';
import { RoleAssignmentEntity } from './role-assignment.entity';
import { StaffAccessAction, StaffAccessChangeEntity } from './staff-access-change.entity';
import { StaffAccessAnnouncer } from './staff-access.announcer';
import { StaffRepository } from './staff.repository';
import { StaffService } from './staff.service';
import { StaffException } from './staff.exception';
import { UserEntity } from './user.entity';

export interface RoleChangeRequest {
  login: string;
  organizationId: string;
  role: Role;
}

export interface RevokeSessionsRequest {
  login: string;
  reason: string;
}

/** What a change did, as the caller is told. */
export interface StaffAccessChange {
  action: StaffAccessAction;
  login: string;
  /** The role's organisation; null for revocations (filed under each of the person's organisations). */
  organizationId: string | null;
  role: Role | null;
  reason: string | null;
  /** Revocations: tokens of the person issued at or before this are refused. */
  tokensIssuedBefore: Date | null;
  changedBy: string;
  changedAt: Date;
  /** False when nothing changed (the role was held already, or not held); the gateways are told all the same. */
  changed: boolean;
}

const MAX_REASON_LENGTH = 1000;

/**
 * Who holds which role, and whose sessions end (REQUIREMENTS "Who uses it"; docs/security.md
 * "Identity and trust"). A COORDINATOR changes the roles in the organisations they coordinate
 * (their own and those below) and may revoke the sessions of the people who work there; anyone
 * may sign themselves out. Each change is committed with its record (staff_access_changes) and
 * then announced to the gateways (the staff access list), which apply it at once: revoked tokens
 * are refused, open connections of the person check their roles again.
 */
@Injectable()
export class StaffAccessService {
  private readonly logger = new Logger(StaffAccessService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly staff: StaffRepository,
    private readonly members: StaffService,
    private readonly organizations: OrganizationService,
    private readonly tree: OrganizationTree,
    private readonly announcer: StaffAccessAnnouncer,
  ) {}

  async grantRole(request: RoleChangeRequest, viewer: Viewer): Promise<StaffAccessChange> {
    await this.assertCoordinates(viewer, request.organizationId);
    const { user } = await this.reachablePerson(viewer, request.login);
    const changedAt = new Date();
    const changed = await this.asSystem(async () => {
      const added = await this.members.appoint(user, { organizationId: request.organizationId, role: request.role });
      if (added)
        await this.record([request.organizationId], user, 'ROLE_GRANTED', viewer, changedAt, { role: request.role });
      return added;
    });
    const reason = `role ${request.role} granted in ${request.organizationId} by ${viewer.login}`;
    await this.announcer.accessChanged(user.login, reason);
    this.logger.log(`${reason} to ${user.login}${changed ? '' : ' (held already)'}`);
    return this.result('ROLE_GRANTED', user, viewer, changedAt, changed, {
      organizationId: request.organizationId,
      role: request.role,
    });
  }

  async withdrawRole(request: RoleChangeRequest, viewer: Viewer): Promise<StaffAccessChange> {
    await this.assertCoordinates(viewer, request.organizationId);
    const { user } = await this.reachablePerson(viewer, request.login);
    const changedAt = new Date();
    const changed = await this.asSystem(async () => {
      const removed = await this.staff.deleteRole(user.id, request.organizationId, request.role);
      if (removed)
        await this.record([request.organizationId], user, 'ROLE_WITHDRAWN', viewer, changedAt, { role: request.role });
      return removed;
    });
    const reason = `role ${request.role} withdrawn in ${request.organizationId} by ${viewer.login}`;
    await this.announcer.accessChanged(user.login, reason);
    this.logger.log(`${reason} from ${user.login}${changed ? '' : ' (not held)'}`);
    return this.result('ROLE_WITHDRAWN', user, viewer, changedAt, changed, {
      organizationId: request.organizationId,
      role: request.role,
    });
  }

  /** Every token of the person issued up to now is refused; their open connections are closed. */
  async revokeSessions(request: RevokeSessionsRequest, viewer: Viewer): Promise<StaffAccessChange> {
    const reason = request.reason.trim();
    if (reason === '') throw StaffException.badInput('say why the sessions are revoked (reason)');
    if (reason.length > MAX_REASON_LENGTH)
      throw StaffException.badInput(`the reason is longer than ${MAX_REASON_LENGTH} characters`);
    const { user, roles } = await this.reachablePerson(viewer, request.login);
    // Filed under each organisation the person works in; a person without roles, under the caller's.
    const filedUnder = roles.length > 0 ? roles.map((r) => r.organizationId) : this.coordinatedRoots(viewer);
    return this.revoke('SESSIONS_REVOKED', user, filedUnder, viewer, `sessions revoked by ${viewer.login}: ${reason}`);
  }

  /** The caller's own tokens issued up to now are refused (on every device). */
  async signOut(viewer: Viewer): Promise<StaffAccessChange> {
    const user = await this.asSystem(() => this.staff.findUserByLogin(viewer.login));
    if (!user) throw StaffException.personNotFound(viewer.login);
    return this.revoke(
      'SIGNED_OUT',
      user,
      viewer.roles.map((r) => r.organizationId),
      viewer,
      'signed out',
    );
  }

  private async revoke(
    action: 'SESSIONS_REVOKED' | 'SIGNED_OUT',
    user: UserEntity,
    organizationIds: readonly string[],
    viewer: Viewer,
    reason: string,
  ): Promise<StaffAccessChange> {
    // Tokens carry whole seconds: those issued in this second are revoked too.
    const changedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    await this.asSystem(() =>
      this.record(organizationIds, user, action, viewer, changedAt, { reason, tokensIssuedBefore: changedAt }),
    );
    await this.announcer.revokeTokensOf(user.login, reason, changedAt);
    this.logger.log(`${user.login}: ${reason}; tokens issued up to ${changedAt.toISOString()} refused`);
    return this.result(action, user, viewer, changedAt, true, { reason, tokensIssuedBefore: changedAt });
  }

  /** The organisation exists for the caller and the caller is a COORDINATOR of it or of one above it. */
  private async assertCoordinates(viewer: Viewer, organizationId: string): Promise<void> {
    if (!isUuid(organizationId)) throw StaffException.badInput(`"${organizationId}" is not an organisation id`);
    if (!(await this.organizations.byId(organizationId))) throw StaffException.organizationNotFound(organizationId);
    const path = (await this.tree.current(organizationId)).pathOf(organizationId);
    if (!path.some((id) => hasRole(viewer, 'COORDINATOR', id))) throw StaffException.notCoordinatorOf(organizationId);
  }

  /**
   * The person and all their roles, when the caller may act on them: they hold a role in an
   * organisation the caller coordinates, or no role at all. Anyone else is NOT_FOUND, as if they
   * did not exist (a coordinator learns nothing of other trees).
   */
  private async reachablePerson(
    viewer: Viewer,
    login: string,
  ): Promise<{ user: UserEntity; roles: RoleAssignmentEntity[] }> {
    // Whose roles these are is what decides; reading them is system work (the person's other organisations).
    const found = await this.asSystem(async () => {
      const user = await this.staff.findUserByLogin(login);
      return user ? { user, roles: await this.staff.rolesOfUsers([user.id]) } : null;
    });
    if (!found) throw StaffException.personNotFound(login);
    const coordinated = (await this.tree.current()).subtreesOf(this.coordinatedRoots(viewer));
    if (found.roles.length > 0 && !found.roles.some((r) => coordinated.has(r.organizationId)))
      throw StaffException.personNotFound(login);
    return found;
  }

  private coordinatedRoots(viewer: Viewer): string[] {
    return viewer.roles.filter((r) => r.role === 'COORDINATOR').map((r) => r.organizationId);
  }

  private record(
    organizationIds: readonly string[],
    user: UserEntity,
    action: StaffAccessAction,
    viewer: Viewer,
    changedAt: Date,
    details: { role?: Role; reason?: string; tokensIssuedBefore?: Date },
  ): Promise<void> {
    const changeId = randomUUID();
    return this.staff.appendAccessChanges(
      [...new Set(organizationIds)].map((organizationId) =>
        Object.assign(new StaffAccessChangeEntity(), {
          id: randomUUID(),
          changeId,
          organizationId,
          userId: user.id,
          login: user.login,
          action,
          role: details.role ?? null,
          reason: details.reason ?? null,
          tokensIssuedBefore: details.tokensIssuedBefore ?? null,
          changedBy: viewer.login,
          changedAt,
        }),
      ),
    );
  }

  private result(
    action: StaffAccessAction,
    user: UserEntity,
    viewer: Viewer,
    changedAt: Date,
    changed: boolean,
    details: { organizationId?: string; role?: Role; reason?: string; tokensIssuedBefore?: Date },
  ): StaffAccessChange {
    return {
      action,
      login: user.login,
      organizationId: details.organizationId ?? null,
      role: details.role ?? null,
      reason: details.reason ?? null,
      tokensIssuedBefore: details.tokensIssuedBefore ?? null,
      changedBy: viewer.login,
      changedAt,
      changed,
    };
  }

  /**
   * In one transaction in every organisation's scope: the checks above are the authorisation,
   * and a change reaches rows beyond the caller's scope (the person's other organisations).
   */
  private asSystem<T>(work: () => Promise<T>): Promise<T> {
    const caller = callContext.require();
    return callContext.run({ ...caller, orgScope: ALL_ORGS }, () => this.uow.run(work));
  }
}
