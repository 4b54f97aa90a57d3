import { Injectable } from '@nestjs/common';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { UnitOfWork } from '@otklik/persistence';
import { SourceEntity } from './source.entity';

export type NewSource = Omit<SourceEntity, 'createdAt'>;

@Injectable()
export class SourceRepository {
  constructor(private readonly uow: UnitOfWork) {}

  findById(id: string): Promise<SourceEntity | null> {
    return this.uow.manager.findOne(SourceEntity, { where: { id } });
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
      .values(sources as Array<QueryDeepPartialEntity<SourceEntity>>)
      .orIgnore()
      .returning('id')
      .execute();
    return (result.raw as unknown[]).length;
  }
}
