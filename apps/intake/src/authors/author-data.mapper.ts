import type { AuthorDataExport } from './author-data.service';
import type { AuthorDataExportModel, AuthorErasureReceiptModel } from './author-data.model';
import type { ErasureRequestEntity } from './erasure-request.entity';

export function toAuthorDataExportModel(exported: AuthorDataExport): AuthorDataExportModel {
  return {
    platform: exported.platform,
    exportedAt: exported.exportedAt,
    messages: exported.messages,
    document: exported.document,
  };
}

export function toAuthorErasureReceiptModel(entity: ErasureRequestEntity): AuthorErasureReceiptModel {
  return {
    id: entity.id,
    platform: entity.platform,
    erasedAt: entity.requestedAt,
    erasedBy: entity.requestedBy,
    reason: entity.reason,
    requestReference: entity.requestReference,
    messageIds: [...entity.messageIds],
    messages: entity.messages,
    versions: entity.versions,
    rawPayloads: entity.rawPayloads,
  };
}
