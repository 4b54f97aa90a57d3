import { PageInfoModel } from '@otklik/service-kit';
import type { PersonalDataReadEntity } from './personal-data-read.entity';
import { PersonalDataReadConnectionModel, PersonalDataReadModel } from './personal-data-read.model';
import type { PersonalDataReadsPage } from './personal-data-read.service';
import { encodeReadsCursor } from './personal-data.rules';

export function toPersonalDataReadModel(entity: PersonalDataReadEntity): PersonalDataReadModel {
  return Object.assign(new PersonalDataReadModel(), {
    id: entity.id,
    at: entity.at,
    viewerLogin: entity.viewerLogin,
    viewerUserId: entity.viewerUserId,
    messageId: entity.messageId,
    organizationId: entity.organizationId,
    fields: entity.fields,
    correlationId: entity.correlationId,
  });
}

export function toPersonalDataReadConnection(page: PersonalDataReadsPage): PersonalDataReadConnectionModel {
  const edges = page.reads.map((read) => ({
    cursor: encodeReadsCursor({ at: read.at, id: read.id }),
    node: toPersonalDataReadModel(read),
  }));
  const pageInfo = Object.assign(new PageInfoModel(), {
    hasNextPage: page.hasNextPage,
    hasPreviousPage: page.hasPreviousPage,
    startCursor: edges.length > 0 ? edges[0].cursor : null,
    endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : null,
  });
  return Object.assign(new PersonalDataReadConnectionModel(), { edges, pageInfo });
}
