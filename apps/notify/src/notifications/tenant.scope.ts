import { Injectable } from '@nestjs/common';
import { orgsScope } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';

/**
 * The organisations whose rows are visible, widened for one piece of work inside the handler's
 * transaction (UnitOfWork.withinScope): a district coordinator told of a sel'sovet's case.
 */
@Injectable()
export class TenantScope {
  constructor(private readonly uow: UnitOfWork) {}

  within<T>(organizationIds: readonly string[], work: () => Promise<T>): Promise<T> {
    return this.uow.withinScope(orgsScope(organizationIds), work);
  }
}
