import type { OrganizationEntity } from './organization.entity';
import { OrganizationModel } from './organization.model';

export function toOrganizationModel(entity: OrganizationEntity): OrganizationModel {
  return Object.assign(new OrganizationModel(), {
    id: entity.id,
    code: entity.code,
    name: entity.name,
    kind: entity.kind,
    timeZone: entity.timeZone,
    parentId: entity.parentId,
  });
}
