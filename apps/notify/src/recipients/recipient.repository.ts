import { Injectable } from '@nestjs/common';
import type { Role } from '@otklik/contracts';
import { In } from 'typeorm';
import { UnitOfWork } from '@otklik/persistence';
import { RecipientEntity } from './recipient.entity';

/** All persistence of recipients; runs inside the caller's UnitOfWork. */
@Injectable()
export class RecipientRepository {
  constructor(private readonly uow: UnitOfWork) {}

  /**
   * Inserts or refreshes a recipient. An older announcement (replayed, or delivered late)
   * never overwrites a newer one.
   */
  async upsert(recipient: RecipientEntity): Promise<void> {
    await this.uow.manager.query(
      `insert into notify.recipients as r (user_id, organization_id, role, login, display_name, email, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7)
       on conflict (user_id, organization_id, role) do update
         set login = excluded.login, display_name = excluded.display_name, email = excluded.email, updated_at = excluded.updated_at
         where r.updated_at <= excluded.updated_at`,
      [
        recipient.userId,
        recipient.organizationId,
        recipient.role,
        recipient.login,
        recipient.displayName,
        recipient.email,
        recipient.updatedAt,
      ],
    );
  }

  findByRole(organizationId: string, role: Role): Promise<RecipientEntity[]> {
    return this.uow.manager.find(RecipientEntity, { where: { organizationId, role }, order: { userId: 'ASC' } });
  }

  /** The holders of a role in any of these organisations (those the transaction's scope lets it see). */
  findByRoleIn(organizationIds: readonly string[], role: Role): Promise<RecipientEntity[]> {
    if (organizationIds.length === 0) return Promise.resolve([]);
    return this.uow.manager.find(RecipientEntity, {
      where: { organizationId: In([...organizationIds]), role },
      order: { organizationId: 'ASC', userId: 'ASC' },
    });
  }

  async isEmpty(): Promise<boolean> {
    return !(await this.uow.manager.exists(RecipientEntity));
  }

  /** Inserts the rows that are not there yet; keeps the ones that are (events may have brought newer data). */
  async insertMissing(recipients: RecipientEntity[]): Promise<void> {
    if (recipients.length === 0) return;
    await this.uow.manager.createQueryBuilder().insert().into(RecipientEntity).values(recipients).orIgnore().execute();
  }

  /** Serialises demo seeding across replicas for the rest of the transaction. */
  async lockDemoSeed(): Promise<void> {
    await this.uow.manager.query('select pg_advisory_xact_lock(hashtext($1))', ['otklik-notify-demo-seed']);
  }
}
