import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { UnitOfWork } from '@otklik/persistence';
import { PublicationEntity } from './publication.entity';
import { PublishingSourceEntity } from './publishing-source.entity';

/** What a finished or rescheduled attempt writes. */
export type PublicationSettlement = Partial<
  Pick<
    PublicationEntity,
    'status' | 'nextAttemptAt' | 'lastError' | 'platformError' | 'externalId' | 'url' | 'completedAt'
  >
>;

/** All persistence of publishing; runs inside the caller's UnitOfWork (and its tenant scope). */
@Injectable()
export class PublicationRepository {
  constructor(private readonly uow: UnitOfWork) {}

  /** Inserts the request unless its id is there already (a redelivered event); true when inserted. */
  async insertNew(publication: PublicationEntity): Promise<boolean> {
    const result = await this.uow.manager
      .createQueryBuilder()
      .insert()
      .into(PublicationEntity)
      .values(publication)
      .orIgnore()
      .returning(['id'])
      .execute();
    return (result.raw as unknown[]).length === 1;
  }

  /**
   * Up to `limit` due publications, locked until the transaction ends; rows another replica has
   * locked are skipped, not waited for. Due: PENDING whose time has come, or SENDING whose
   * holder stopped renewing its lease.
   */
  async lockDue(limit: number): Promise<PublicationEntity[]> {
    const rows = await this.uow.manager.query<Array<{ id: string }>>(
      `select id from notify.publications
        where status in ('PENDING', 'SENDING') and next_attempt_at <= now()
          and (status = 'PENDING' or lease_until < now())
        order by next_attempt_at
        limit $1
        for update skip locked`,
      [limit],
    );
    if (rows.length === 0) return [];
    return this.uow.manager.find(PublicationEntity, {
      where: { id: In(rows.map((r) => r.id)) },
      order: { nextAttemptAt: 'ASC' },
    });
  }

  /** Marks a locked row SENDING for the holder of `token` until `leaseUntil`, counting the attempt. */
  async lease(id: string, token: string, leaseUntil: Date): Promise<void> {
    await this.uow.manager.query(
      `update notify.publications
          set status = 'SENDING', attempts = attempts + 1, lease_token = $2, lease_until = $3
        where id = $1`,
      [id, token, leaseUntil],
    );
  }

  /** Moves the lease on while the holder still has it; false when it has lost it. */
  async renewLease(id: string, token: string, leaseUntil: Date): Promise<boolean> {
    const rows = await this.uow.manager.query<unknown[]>(
      `update notify.publications set lease_until = $3
        where id = $1 and status = 'SENDING' and lease_token = $2 returning id`,
      [id, token, leaseUntil],
    );
    return rows.length === 1;
  }

  /**
   * Writes an attempt's outcome and gives the lease up, if `token` still holds it (null: a row
   * settled in the transaction that locked it, never leased). Returns the row as it is after,
   * or null when the lease was lost (another replica took the row over).
   */
  async settle(id: string, token: string | null, settlement: PublicationSettlement): Promise<PublicationEntity | null> {
    const update = this.uow.manager
      .createQueryBuilder()
      .update(PublicationEntity)
      .set({ ...settlement, leaseToken: null, leaseUntil: null })
      .where('id = :id', { id });
    if (token) update.andWhere("status = 'SENDING' and lease_token = :token", { token });
    else update.andWhere("status = 'PENDING'");
    const result = await update.execute();
    if (result.affected !== 1) return null;
    return this.uow.manager.findOne(PublicationEntity, { where: { id } });
  }

  /**
   * Reserves the next slot of a pace key: the moment the call may be made, at least `intervalMs`
   * after the previous reservation. Replicas serialise on the key's row, so the rate holds for all.
   */
  async reserveSlot(key: string, organizationId: string, intervalMs: number): Promise<Date> {
    const [row] = await this.uow.manager.query<Array<{ slot: Date }>>(
      `insert into notify.publishing_pace as p (key, organization_id, next_allowed_at)
       values ($1, $2, now() + $3 * interval '1 millisecond')
       on conflict (key) do update
         set next_allowed_at = greatest(p.next_allowed_at, now()) + $3 * interval '1 millisecond'
       returning p.next_allowed_at - $3 * interval '1 millisecond' as slot`,
      [key, organizationId, intervalMs],
    );
    return new Date(row.slot);
  }

  findSource(id: string): Promise<PublishingSourceEntity | null> {
    return this.uow.manager.findOne(PublishingSourceEntity, { where: { id } });
  }

  /** Sources by id (for a batch of claimed publications). */
  findSources(ids: readonly string[]): Promise<PublishingSourceEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.uow.manager.find(PublishingSourceEntity, { where: { id: In([...ids]) } });
  }

  /**
   * Stores the source as announced unless a newer (or the same) version is there: events about
   * one source may arrive in any order. True when it was written.
   */
  async upsertSource(source: PublishingSourceEntity): Promise<boolean> {
    const rows = await this.uow.manager.query<unknown[]>(
      `insert into notify.publishing_sources as s
         (id, organization_id, platform, kind, name, enabled, settings, credentials_ciphertext, credential_names, version, changed_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       on conflict (id) do update
         set organization_id = excluded.organization_id, platform = excluded.platform, kind = excluded.kind,
             name = excluded.name, enabled = excluded.enabled, settings = excluded.settings,
             credentials_ciphertext = excluded.credentials_ciphertext, credential_names = excluded.credential_names,
             version = excluded.version, changed_at = excluded.changed_at
         where s.version < excluded.version
       returning id`,
      [
        source.id,
        source.organizationId,
        source.platform,
        source.kind,
        source.name,
        source.enabled,
        JSON.stringify(source.settings),
        source.credentialsCiphertext,
        source.credentialNames,
        source.version,
        source.changedAt,
      ],
    );
    return rows.length === 1;
  }
}
