import { Injectable } from '@nestjs/common';
import type { Viewer } from '@otklik/auth';
import { Role, StaffAppointed } from '@otklik/contracts';
import { EventOutbox } from '@otklik/messaging';
import { ALL_ORGS, callContext } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';
import { RoleAssignmentEntity } from './role-assignment.entity';
import { NewUser, StaffRepository } from './staff.repository';
import { UserEntity } from './user.entity';

export interface Appointment {
  organizationId: string;
  role: Role;
  /** The order that appointed an official (cl. 4), when there is one. */
  orderNumber?: string;
  orderDate?: string;
}

export interface StaffMember {
  user: UserEntity;
  roles: RoleAssignmentEntity[];
}

@Injectable()
export class StaffService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly staff: StaffRepository,
    private readonly outbox: EventOutbox,
  ) {}

  /**
   * Who a login is, for the gateway (docs/architecture.md, "Identity"): roles, and the
   * organisations they may see — each one they hold a role in and everything below it. null
   * for a login nobody holds.
   */
  viewerOf(login: string): Promise<Viewer | null> {
    // This lookup is what establishes a viewer's scope, so it cannot run inside one: it reads
    // role assignments and the organisation tree of every organisation (system work).
    const caller = callContext.require();
    return callContext.run({ ...caller, orgScope: ALL_ORGS }, () =>
      this.uow.run(async () => {
        const user = await this.staff.findUserByLogin(login);
        if (!user) return null;
        const roles = await this.staff.rolesOfUsers([user.id]);
        return {
          userId: user.id,
          login: user.login,
          displayName: user.displayName,
          roles: roles.map((r) => ({ organizationId: r.organizationId, role: r.role })),
          visibleOrganizationIds: await this.staff.organizationsUnderRolesOf(user.id),
        };
      }),
    );
  }

  /** Users by id with the roles the caller's scope shows of them (for Deadline.responsible, Case.executor). */
  membersByIds(userIds: readonly string[]): Promise<StaffMember[]> {
    return this.uow.run(async () => {
      const users = await this.staff.findUsersByIds(userIds);
      const roles = await this.staff.rolesOfUsers(userIds);
      return users.map((user) => ({ user, roles: roles.filter((r) => r.userId === user.id) }));
    });
  }

  /** A user by login with the roles the caller's scope shows of them, or null. */
  memberByLogin(login: string): Promise<StaffMember | null> {
    return this.uow.run(async () => {
      const user = await this.staff.findUserByLogin(login);
      if (!user) return null;
      return { user, roles: await this.staff.rolesOfUsers([user.id]) };
    });
  }

  /** Adds a user unless the id or login is taken; true when added. */
  addUser(user: NewUser): Promise<boolean> {
    return this.uow.run(() => this.staff.insertUserIfNew(user));
  }

  /**
   * Gives a user a role in an organisation and announces it (StaffAppointed, which notify keeps
   * to know whom to tell) in the same transaction. Appointing someone to a role they hold is a
   * no-op; returns whether anything changed.
   */
  appoint(user: NewUser, appointment: Appointment): Promise<boolean> {
    return this.uow.run(async () => {
      const added = await this.staff.insertRoleIfNew({
        userId: user.id,
        organizationId: appointment.organizationId,
        role: appointment.role,
        orderNumber: appointment.orderNumber ?? null,
        orderDate: appointment.orderDate ?? null,
      });
      if (!added) return false;
      await this.outbox.add(StaffAppointed, appointment.organizationId, {
        userId: user.id,
        login: user.login,
        displayName: user.displayName,
        ...(user.email ? { email: user.email } : {}),
        organizationId: appointment.organizationId,
        role: appointment.role,
      });
      return true;
    });
  }
}
