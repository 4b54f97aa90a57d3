import type { MessageImportEntity, ImportRowReport } from './message-import.entity';
import type { MessageImportModel, MessageImportRowModel } from './import.model';

export function toMessageImportModel(
  record: Omit<MessageImportEntity, 'report'> & { report?: ImportRowReport[] },
): MessageImportModel {
  return {
    id: record.id,
    organizationId: record.organizationId,
    fileName: record.fileName,
    format: record.format,
    importedBy: record.importedBy,
    importedAt: record.importedAt,
    totalRows: record.totalRows,
    accepted: record.accepted,
    duplicates: record.duplicates,
    rejected: record.rejected,
    ignoredColumns: record.details.ignoredColumns,
    encoding: record.details.encoding ?? null,
    loadedRows: record.report,
  };
}

export function toMessageImportRowModel(row: ImportRowReport): MessageImportRowModel {
  return {
    row: row.row,
    status: row.status,
    messageId: row.messageId ?? null,
    problems: row.problems.map((p) => ({ column: p.column, message: p.message })),
  };
}
