import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ImportFormat } from './import-file.reader';
import type { ImportProblem } from './import-row.check';

export const IMPORT_ROW_STATUSES = ['ACCEPTED', 'DUPLICATE', 'REJECTED'] as const;
export type ImportRowStatus = (typeof IMPORT_ROW_STATUSES)[number];

/** What became of one data row of the file. */
export interface ImportRowReport {
  /** The row's number in the file or sheet (the header is row 1 in most files). */
  row: number;
  status: ImportRowStatus;
  /** The message stored (ACCEPTED) or found (DUPLICATE). */
  messageId?: string;
  problems: ImportProblem[];
}

/** How the file was read. */
export interface ImportDetails {
  /** Field → the header it was read from. */
  columns: Record<string, string>;
  /** Headers that named no field. */
  ignoredColumns: string[];
  /** CSV: what the bytes were read as, and the delimiter found. */
  encoding?: string;
  delimiter?: string;
  /** The zone dates without an offset were read in. */
  timeZone?: string;
}

/** A file of messages imported by hand (REQUIREMENTS cl. 2): who, when, what, and each row's fate. Append-only. */
@Entity({ schema: 'intake', name: 'message_imports' })
export class MessageImportEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'organization_id' }) organizationId: string;
  @Column('text', { name: 'source_id' }) sourceId: string;
  @Column('text', { name: 'file_name' }) fileName: string;
  @Column('text') format: ImportFormat;
  @Column('text', { name: 'imported_by' }) importedBy: string;
  @Column('text', { name: 'imported_by_user_id' }) importedByUserId: string;
  @Column('timestamptz', { name: 'imported_at' }) importedAt: Date;
  @Column('integer', { name: 'total_rows' }) totalRows: number;
  @Column('integer') accepted: number;
  @Column('integer') duplicates: number;
  @Column('integer') rejected: number;
  @Column('jsonb') details: ImportDetails;
  /** The report: every data row, in file order. */
  @Column('jsonb') report: ImportRowReport[];
}
