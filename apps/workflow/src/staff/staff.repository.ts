import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { UnitOfWork } from '@otklik/persistence';
import type { Role } from '@otklik/contracts';
import { RoleAssignmentEntity } from './role-assignment.entity';
import { StaffAccessChangeEntity } from './staff-access-change.entity';
import { UserEntity } from './user.entity';

export type NewUser = Omit<UserEntity, 'createdAt'>;
export type NewRoleAssignment = Omit<RoleAssignmentEntity, 'createdAt'>;

@Injectable()
export class StaffRepository {
  constructor(private readonly uow: UnitOfWork) {}

  findUserByLogin(login: string): Promise<UserEntity | null> {
    return this.uow.manager.findOneBy(UserEntity, { login });
  }

  findUsersByIds(ids: readonly string[]): Promise<UserEntity[]> {
    return this.uow.manager.findBy(UserEntity, { id: In([...ids]) });
  }

  /** Role assignments of these users, as far as the scope's row-level security shows them. */
  rolesOfUsers(userIds: readonly string[]): Promise<RoleAssignmentEntity[]> {
    return this.uow.manager.find(RoleAssignmentEntity, {
      where: { userId: In([...userIds]) },
      order: { createdAt: 'ASC', organizationId: 'ASC', role: 'ASC' },
    });
  }

  /** The organisations a user holds a role in and every organisation below them. */
  async organizationsUnderRolesOf(userId: string): Promise<string[]> {
    const rows = await this.uow.manager.query<Array<{ id: string }>>(
      `with recursive visible (id) as (
         select organization_id from workflow.role_assignments where user_id = $1
         union
         select child.id from workflow.organizations child join visible on child.parent_id = visible.id
       )
       select id from visible order by id`,
      [userId],
    );
    return rows.map((r) => r.id);
  }

  /** Inserts the user unless the id or login exists; true when inserted. */
  async insertUserIfNew(user: NewUser): Promise<boolean> {
    const result = await this.uow.manager
      .createQueryBuilder()
      .insert()
      .into(UserEntity)
      .values(user)
      .orIgnore()
      .returning(['id'])
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  /** Removes the assignment; true when the user held that role there. */
  async deleteRole(userId: string, organizationId: string, role: Role): Promise<boolean> {
    const result = await this.uow.manager.delete(RoleAssignmentEntity, { userId, organizationId, role });
    return (result.affected ?? 0) > 0;
  }

  /** Appends rows to the record of access changes (the table takes no update or delete). */
  async appendAccessChanges(rows: readonly StaffAccessChangeEntity[]): Promise<void> {
    if (rows.length > 0) await this.uow.manager.insert(StaffAccessChangeEntity, [...rows]);
  }

  /** Inserts the assignment unless the user already holds that role there; true when inserted. */
  async insertRoleIfNew(assignment: NewRoleAssignment): Promise<boolean> {
    const result = await this.uow.manager
      .createQueryBuilder()
      .insert()
      .into(RoleAssignmentEntity)
      .values(assignment)
      .orIgnore()
      .returning(['user_id'])
      .execute();
    return (result.raw as unknown[]).length > 0;
  }
}
