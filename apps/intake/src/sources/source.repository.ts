import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { UnitOfWork } from '@otklik/persistence';
import { SourceChangeEntity } from './source-change.entity';
import { SourceEntity, SourceKind } from './source.entity';
import { SourceSecrets } from './source.secrets';

/** The columns that hold a source's sealed secrets and what is known of them. */
type SecretColumn =
  | 'secretCiphertext'
  | 'previousSecretCiphertext'
  | 'previousSecretUntil'
  | 'secretRotatedAt'
  | 'credentialsCiphertext'
  | 'credentialNames';

/**
 * A source to insert, its secrets in plaintext: they are sealed here, on the way into the table,
 * so no caller can store one unsealed. The timestamps are the database's.
 */
export type NewSource = Omit<SourceEntity, 'createdAt' | 'updatedAt' | SecretColumn> & {
  /** The webhook secret; none for kinds no webhook reaches. */
  secret?: string | null;
  credentials?: Record<string, string>;
};

export type SourceChanges = Partial<
  Pick<SourceEntity, 'name' | 'settings' | 'enabled' | 'requireTimestamp' | SecretColumn>
>;

/** What the official site shows of a source (no secrets: they are not read at all). */
export type PublicSourceRow = Pick<SourceEntity, 'name' | 'platform' | 'settings'>;

@Injectable()
export class SourceRepository {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly secrets: SourceSecrets,
  ) {}

  findById(id: string): Promise<SourceEntity | null> {
    return this.uow.manager.findOne(SourceEntity, { where: { id } });
  }

  /** For a change: the row locked until the transaction ends, so two rotations do not interleave. */
  findForUpdate(id: string): Promise<SourceEntity | null> {
    return this.uow.manager.findOne(SourceEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** The sources of these organisations (row-level security also limits them to the caller's). */
  findByOrganizations(organizationIds: readonly string[]): Promise<SourceEntity[]> {
    if (organizationIds.length === 0) return Promise.resolve([]);
    return this.uow.manager.find(SourceEntity, {
      where: { organizationId: In([...organizationIds]) },
      order: { organizationId: 'ASC', name: 'ASC', id: 'ASC' },
    });
  }

  /** Enabled sources of one organisation that are not of these kinds, with a public page set. */
  async findPublic(organizationId: string, hiddenKinds: readonly SourceKind[]): Promise<PublicSourceRow[]> {
    return this.uow.manager
      .createQueryBuilder(SourceEntity, 's')
      .select(['s.name', 's.platform', 's.settings'])
      .where('s.organizationId = :organizationId', { organizationId })
      .andWhere('s.enabled')
      .andWhere('s.kind not in (:...hiddenKinds)', { hiddenKinds })
      .andWhere("jsonb_typeof(s.settings -> 'publicUrl') = 'string'")
      .orderBy('s.platform')
      .addOrderBy('s.name')
      .getMany();
  }

  /** Inserts a new source; false when the id is taken (the transaction stays usable). */
  async insert(source: NewSource): Promise<boolean> {
    const result = await this.uow.manager
      .createQueryBuilder()
      .insert()
      .into(SourceEntity)
      // TypeORM's deep-partial type cannot see through a jsonb Record; the row is complete.
      .values(this.row(source) as QueryDeepPartialEntity<SourceEntity>)
      .orIgnore()
      .returning('id')
      .execute();
    return (result.raw as unknown[]).length === 1;
  }

  async update(id: string, changes: SourceChanges): Promise<void> {
    await this.uow.manager
      .createQueryBuilder()
      .update(SourceEntity)
      .set({ ...changes, updatedAt: () => 'now()' } as QueryDeepPartialEntity<SourceEntity>)
      .where('id = :id', { id })
      .execute();
  }

  async appendChange(change: SourceChangeEntity): Promise<void> {
    // TypeORM's deep-partial type cannot see through a jsonb Record; the row is complete.
    await this.uow.manager.insert(SourceChangeEntity, change as QueryDeepPartialEntity<SourceChangeEntity>);
  }

  /** The changes of these sources, oldest first. */
  changesOf(sourceIds: readonly string[]): Promise<SourceChangeEntity[]> {
    if (sourceIds.length === 0) return Promise.resolve([]);
    return this.uow.manager.find(SourceChangeEntity, {
      where: { sourceId: In([...sourceIds]) },
      order: { at: 'ASC', id: 'ASC' },
    });
  }

  /** Every source, locked until the transaction ends (in id order, so replicas doing the same wait rather than deadlock). */
  lockAll(): Promise<SourceEntity[]> {
    return this.uow.manager.find(SourceEntity, { order: { id: 'ASC' }, lock: { mode: 'pessimistic_write' } });
  }

  /** Serialises seeding between replicas until the transaction ends. */
  async lockForSeeding(): Promise<void> {
    await this.uow.manager.query('select pg_advisory_xact_lock(hashtext($1))', ['otklik-seed-intake-sources']);
  }

  async count(): Promise<number> {
    return this.uow.manager.count(SourceEntity);
  }

  /** Inserts the sources that are not there yet (by id); returns how many were new. */
  async insertMissing(sources: NewSource[]): Promise<number> {
    if (sources.length === 0) return 0;
    const result = await this.uow.manager
      .createQueryBuilder()
      .insert()
      .into(SourceEntity)
      // TypeORM's deep-partial type cannot see through a jsonb Record; the rows are complete.
      .values(sources.map((s) => this.row(s)) as Array<QueryDeepPartialEntity<SourceEntity>>)
      .orIgnore()
      .returning('id')
      .execute();
    return (result.raw as unknown[]).length;
  }

  private row(source: NewSource): Omit<SourceEntity, 'createdAt' | 'updatedAt'> {
    const { secret, credentials, ...plain } = source;
    const sealed = this.secrets.sealCredentials(source.id, credentials ?? {});
    return {
      ...plain,
      secretCiphertext: secret ? this.secrets.sealSecret(source.id, secret) : null,
      previousSecretCiphertext: null,
      previousSecretUntil: null,
      secretRotatedAt: null,
      credentialsCiphertext: sealed.ciphertext,
      credentialNames: sealed.names,
    };
  }
}
