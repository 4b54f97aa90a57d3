import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@otklik/persistence';
import { OrganizationEntity } from '../organizations/organization.entity';
import { DeadlineEntity } from './deadline.entity';

export interface DeadlineWithZone {
  deadline: DeadlineEntity;
  /** The organisation's time zone, on whose clock the deadline's working time is counted. */
  timeZone: string;
}

@Injectable()
export class DeadlineRepository {
  constructor(private readonly uow: UnitOfWork) {}

  async insert(deadline: DeadlineEntity): Promise<void> {
    await this.uow.manager.insert(DeadlineEntity, deadline);
  }

  /** The deadlines of these cases with their organisations' time zones, oldest first. */
  async forCases(caseIds: readonly string[]): Promise<DeadlineWithZone[]> {
    const { entities, raw } = await this.uow.manager
      .createQueryBuilder(DeadlineEntity, 'd')
      .innerJoin(OrganizationEntity, 'o', 'o.id = d.organization_id')
      .addSelect('o.time_zone', 'time_zone')
      .where('d.case_id = any(:caseIds)', { caseIds: [...caseIds] })
      .orderBy('d.started_at', 'ASC')
      .addOrderBy('d.id', 'ASC')
      .getRawAndEntities();
    const zones = new Map((raw as Array<{ d_id: string; time_zone: string }>).map((r) => [r.d_id, r.time_zone]));
    return entities.map((deadline) => ({ deadline, timeZone: zones.get(deadline.id) as string }));
  }
}
