import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Viewer } from '@otklik/auth';
import { isKnownTimeZone } from '@otklik/calendar';
import { isDatabaseUnavailable, UnitOfWork } from '@otklik/persistence';
import { AppError } from '@otklik/service-kit';
import { APP_LOGGER } from '../app.logger';
import { AcceptedMessage, MessageService } from '../messages/message.service';
import { SourceRepository } from '../sources/source.repository';
import { Cell, decodeUpload, ImportFormat, importFormatOf, readImportTable, TableRow } from './import-file.reader';
import { checkImportRow, ImportRowCheck } from './import-row.check';
import { mapImportColumns } from './import.columns';
import { ImportRowReport, MessageImportEntity } from './message-import.entity';
import { MessageImportRepository } from './message-import.repository';

/** A file of messages as an official hands it over. */
export interface ImportRequest {
  organizationId: string;
  fileName: string;
  contentBase64: string;
  /** CSV or XLSX; guessed from the file name (then from the bytes) when not given. */
  format?: ImportFormat | null;
  /** IANA zone for dates without an offset (Excel's date cells have none). */
  timeZone?: string | null;
}

export type MessageImportSummary = Omit<MessageImportEntity, 'report'>;

/** Where an import's rows go, and what each stored message keeps of the file. */
interface ImportTarget {
  id: string;
  fileName: string;
  sourceId: string;
  organizationId: string;
  header: Cell[];
  ignoredColumns: string[];
}

interface CheckedRow {
  line: TableRow;
  check: ImportRowCheck;
}

/** Rows stored per transaction: fewer commits, and each row still in a savepoint of its own. */
export const IMPORT_BATCH_SIZE = 100;
export const MAX_LISTED_IMPORTS = 100;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const badInput = (message: string) => new AppError('BAD_USER_INPUT', message);

/** The source of an organisation's imported messages: one, made on first use. */
export const importSourceId = (organizationId: string): string => `import-${organizationId.toLowerCase()}`;

/** PostgreSQL's jsonb refuses NUL and halves of surrogate pairs standing alone. */
const storable = (text: string) =>
  text
    .replace(/\u0000/g, '')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

/**
 * Import of a batch of messages from a CSV or XLSX file (REQUIREMENTS cl. 2). Each row is checked
 * like a generic webhook's message and stored through the organisation's IMPORT source, so it is
 * screened, announced and opened as a case like any other; the same row again is a duplicate.
 * A row's failure never stops the others. The import and every row's fate are recorded.
 */
@Injectable()
export class ImportService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly sources: SourceRepository,
    private readonly messages: MessageService,
    private readonly imports: MessageImportRepository,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {}

  async importMessages(viewer: Viewer, request: ImportRequest): Promise<MessageImportEntity> {
    assertVisible(viewer, request.organizationId);
    const fileName = request.fileName.trim();
    if (fileName === '') throw badInput('fileName is required');
    if (fileName.length > 255) throw badInput('fileName is longer than 255 characters');
    const timeZone = request.timeZone?.trim() || undefined;
    if (timeZone && !isKnownTimeZone(timeZone)) {
      throw badInput(`timeZone "${timeZone.slice(0, 60)}" is not an IANA time zone such as Asia/Barnaul`);
    }
    const bytes = decodeUpload(request.contentBase64);
    const format = importFormatOf(fileName, request.format, bytes);
    const table = await readImportTable(format, bytes);
    const columns = mapImportColumns(table.header.cells);
    const now = new Date();
    const checked: CheckedRow[] = table.rows.map((line) => ({
      line,
      check: checkImportRow(line.cells, columns, { timeZone, now }),
    }));

    const id = randomUUID();
    const sourceId = importSourceId(request.organizationId);
    const target: ImportTarget = {
      id,
      fileName,
      sourceId,
      organizationId: request.organizationId,
      header: table.header.cells,
      ignoredColumns: columns.ignored,
    };
    const report: ImportRowReport[] = [];
    // At least one batch: the source must exist for the import's record even when no row is stored.
    for (let start = 0; start === 0 || start < checked.length; start += IMPORT_BATCH_SIZE) {
      report.push(...(await this.storeBatch(target, checked.slice(start, start + IMPORT_BATCH_SIZE), start === 0)));
    }

    const count = (status: ImportRowReport['status']) => report.filter((r) => r.status === status).length;
    const record: MessageImportEntity = {
      id,
      organizationId: request.organizationId,
      sourceId,
      fileName,
      format,
      importedBy: viewer.login,
      importedByUserId: viewer.userId,
      importedAt: now,
      totalRows: report.length,
      accepted: count('ACCEPTED'),
      duplicates: count('DUPLICATE'),
      rejected: count('REJECTED'),
      details: {
        columns: Object.fromEntries(Object.entries(columns.byField).map(([field, c]) => [field, c.header])),
        ignoredColumns: columns.ignored,
        ...(table.encoding ? { encoding: table.encoding } : {}),
        ...(table.delimiter ? { delimiter: table.delimiter } : {}),
        ...(timeZone ? { timeZone } : {}),
      },
      report,
    };
    await this.uow.run(() => this.imports.insert(record));
    this.logger.info(
      {
        importId: id,
        organizationId: record.organizationId,
        format,
        rows: record.totalRows,
        accepted: record.accepted,
        duplicates: record.duplicates,
        rejected: record.rejected,
        ms: Date.now() - now.getTime(),
      },
      'messages imported',
    );
    return record;
  }

  /** An import the viewer may see (row-level security decides), or null. */
  async find(id: string): Promise<MessageImportEntity | null> {
    if (!UUID.test(id)) return null;
    return this.uow.run(() => this.imports.findById(id));
  }

  /** An organisation's imports, newest first, without their reports. */
  async list(viewer: Viewer, organizationId: string, first: number): Promise<MessageImportSummary[]> {
    assertVisible(viewer, organizationId);
    if (!Number.isInteger(first) || first < 1 || first > MAX_LISTED_IMPORTS) {
      throw badInput(`first must be from 1 to ${MAX_LISTED_IMPORTS}`);
    }
    return this.uow.run(() => this.imports.listByOrganization(organizationId, first));
  }

  /** The report of an import listed without it. */
  async reportOf(id: string): Promise<ImportRowReport[]> {
    return (await this.uow.run(() => this.imports.reportOf(id))) ?? [];
  }

  private async ensureImportSource(organizationId: string, sourceId: string): Promise<void> {
    await this.sources.insertMissing([
      {
        id: sourceId,
        organizationId,
        platform: 'OTHER',
        kind: 'IMPORT',
        name: 'Imported from files',
        // No webhook reaches an IMPORT source: it has no secret.
        secret: null,
        requireTimestamp: false,
        settings: {},
        enabled: true,
      },
    ]);
  }

  /**
   * A batch in one transaction (fewer commits). Stored straight first; should a row fail, that
   * transaction is lost, and the batch is stored again with a savepoint per row, so that the
   * failing row alone is rejected and the others stand.
   */
  private async storeBatch(target: ImportTarget, batch: CheckedRow[], withSource: boolean): Promise<ImportRowReport[]> {
    const store = (careful: boolean) =>
      this.uow.run(async () => {
        if (withSource) await this.ensureImportSource(target.organizationId, target.sourceId);
        const rows: ImportRowReport[] = [];
        for (const { line, check } of batch) rows.push(await this.storeRow(target, line, check, careful));
        return rows;
      });
    try {
      return await store(false);
    } catch (error) {
      if (isDatabaseUnavailable(error)) throw error;
      return store(true);
    }
  }

  private async storeRow(
    target: ImportTarget,
    line: TableRow,
    check: ImportRowCheck,
    careful: boolean,
  ): Promise<ImportRowReport> {
    if (!check.ok) return { row: line.row, status: 'REJECTED', problems: check.problems };
    const accept = () =>
      this.messages.accept({
        organizationId: target.organizationId,
        sourceId: target.sourceId,
        ...check.message,
        attachments: [],
        raw: {
          import: { id: target.id, fileName: target.fileName, row: line.row },
          cells: cellsByHeader(target.header, line.cells),
          ...(target.ignoredColumns.length > 0 ? { ignoredColumns: target.ignoredColumns } : {}),
        },
      });
    const reported = (accepted: AcceptedMessage): ImportRowReport => ({
      row: line.row,
      status: accepted.duplicate ? 'DUPLICATE' : 'ACCEPTED',
      messageId: accepted.messageId,
      problems: [],
    });
    if (!careful) return reported(await accept());
    try {
      return reported(await this.imports.inSavepoint(accept));
    } catch (error) {
      if (isDatabaseUnavailable(error)) throw error;
      this.logger.error({ err: error, importId: target.id, row: line.row }, 'an imported row could not be stored');
      return {
        row: line.row,
        status: 'REJECTED',
        problems: [
          { column: null, message: `could not be stored; quote import ${target.id}, row ${line.row} to the operator` },
        ],
      };
    }
  }
}

function assertVisible(viewer: Viewer, organizationId: string): void {
  if (!UUID.test(organizationId) || !viewer.visibleOrganizationIds.includes(organizationId)) {
    throw new AppError('NOT_FOUND', `organisation ${organizationId} is not among those you may see`);
  }
}

/** The row as the file has it, kept with the message: header → value (dates as ISO text). */
function cellsByHeader(header: Cell[], cells: Cell[]): Record<string, string | number | boolean | null> {
  const entries = cells.map((cell, i) => {
    const name =
      header[i] === null || header[i] === undefined || String(header[i]).trim() === ''
        ? `column ${i + 1}`
        : String(header[i]).trim();
    const value = cell instanceof Date ? cell.toISOString() : typeof cell === 'string' ? storable(cell) : cell;
    return [storable(name), value] as const;
  });
  return Object.fromEntries(entries);
}
