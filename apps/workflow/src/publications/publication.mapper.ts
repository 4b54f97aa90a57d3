import type { PublicationEntity } from './publication.entity';
import { PublicationModel } from './publication.model';

export function toPublicationModel(entity: PublicationEntity): PublicationModel {
  return Object.assign(new PublicationModel(), {
    id: entity.id,
    kind: entity.kind,
    platform: entity.platform,
    status: entity.status,
    url: entity.url,
    error: entity.error,
    at: entity.at,
    requestedAt: entity.requestedAt,
    recordedBy: entity.recordedBy,
  });
}
