import { Injectable } from '@nestjs/common';
import { byKeys, requestLoader } from '@otklik/service-kit';
import { toOrganizationModel } from './organization.mapper';
import { OrganizationModel } from './organization.model';
import { OrganizationService } from './organization.service';

const BY_ID = Symbol('organization by id');

/** Organisations by id, one query per request's batch; null for one the viewer may not see. */
@Injectable()
export class OrganizationLoader {
  constructor(private readonly organizations: OrganizationService) {}

  load(context: object, id: string): Promise<OrganizationModel | null> {
    return requestLoader<string, OrganizationModel | null>(context, BY_ID, async (ids) => {
      const rows = await this.organizations.byIds(ids);
      return byKeys(ids, rows.map(toOrganizationModel), (o) => o.id, null);
    }).load(id);
  }
}
