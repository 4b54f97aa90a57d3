import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { UnitOfWork } from '@otklik/persistence';
import { OrganizationEntity } from './organization.entity';

export type NewOrganization = Omit<OrganizationEntity, 'createdAt'>;

/** Organisations, as far as the current scope's row-level security lets them be seen. */
@Injectable()
export class OrganizationRepository {
  constructor(private readonly uow: UnitOfWork) {}

  findAll(): Promise<OrganizationEntity[]> {
    return this.uow.manager.find(OrganizationEntity, { order: { code: 'ASC' } });
  }

  findById(id: string): Promise<OrganizationEntity | null> {
    return this.uow.manager.findOneBy(OrganizationEntity, { id });
  }

  findByIds(ids: readonly string[]): Promise<OrganizationEntity[]> {
    return this.uow.manager.findBy(OrganizationEntity, { id: In([...ids]) });
  }

  async any(): Promise<boolean> {
    return (await this.uow.manager.count(OrganizationEntity)) > 0;
  }

  /** Inserts the organisation unless one with its id or code exists; true when inserted. */
  async insertIfNew(organization: NewOrganization): Promise<boolean> {
    const result = await this.uow.manager
      .createQueryBuilder()
      .insert()
      .into(OrganizationEntity)
      .values(organization)
      .orIgnore()
      .returning(['id'])
      .execute();
    return (result.raw as unknown[]).length > 0;
  }
}
