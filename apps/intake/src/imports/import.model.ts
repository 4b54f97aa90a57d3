import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IMPORT_FORMATS, ImportFormat } from './import-file.reader';
import { IMPORT_ROW_STATUSES, ImportRowReport, ImportRowStatus } from './message-import.entity';

const enumOf = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const ImportFormatEnum = enumOf(IMPORT_FORMATS);
registerEnumType(ImportFormatEnum, {
  name: 'ImportFormat',
  description: 'The kind of file messages are imported from',
});

export const ImportRowStatusEnum = enumOf(IMPORT_ROW_STATUSES);
registerEnumType(ImportRowStatusEnum, {
  name: 'ImportRowStatus',
  description: 'ACCEPTED: stored as a new message; DUPLICATE: the same message was there already; REJECTED: not stored',
});

@InputType('ImportMessagesInput')
export class ImportMessagesInput {
  @Field(() => ID, { description: 'The organisation the messages concern' }) organizationId: string;
  @Field({ description: 'The file’s name, as the official chose it (its extension tells the format)' })
  fileName: string;
  @Field({ description: 'The file, base64-encoded; at most 5 MiB once decoded' }) contentBase64: string;
  @Field(() => ImportFormatEnum, { nullable: true, description: 'CSV or XLSX; from the file name when not given' })
  format?: ImportFormat | null;
  @Field(() => String, {
    nullable: true,
    description: 'IANA time zone (Asia/Barnaul) for dates written without an offset, and Excel date cells',
  })
  timeZone?: string | null;
}

@ObjectType('ImportRowProblem', { description: 'What is wrong with a row, and in which column' })
export class ImportRowProblemModel {
  @Field(() => String, {
    nullable: true,
    description: 'The column’s header as the file names it; null: the row as a whole',
  })
  column: string | null;
  @Field() message: string;
}

@ObjectType('MessageImportRow', { description: 'What became of one data row of an imported file' })
export class MessageImportRowModel {
  @Field(() => Int, { description: 'The row’s number in the file or sheet' }) row: number;
  @Field(() => ImportRowStatusEnum) status: ImportRowStatus;
  @Field(() => ID, { nullable: true, description: 'The message stored (ACCEPTED) or already there (DUPLICATE)' })
  messageId: string | null;
  @Field(() => [ImportRowProblemModel]) problems: ImportRowProblemModel[];
}

@ObjectType('MessageImport', { description: 'A file of messages imported by hand (cl. 2), and each row’s fate' })
export class MessageImportModel {
  @Field(() => ID) id: string;
  @Field(() => ID) organizationId: string;
  @Field() fileName: string;
  @Field(() => ImportFormatEnum) format: ImportFormat;
  @Field({ description: 'The login of who imported it' }) importedBy: string;
  @Field(() => GraphQLISODateTime) importedAt: Date;
  @Field(() => Int, { description: 'Data rows in the file (empty ones not counted)' }) totalRows: number;
  @Field(() => Int) accepted: number;
  @Field(() => Int) duplicates: number;
  @Field(() => Int) rejected: number;
  @Field(() => [String], { description: 'Headers that name no known column, left out' }) ignoredColumns: string[];
  @Field(() => String, { nullable: true, description: 'CSV: the encoding the file was read as (UTF-8, windows-1251)' })
  encoding: string | null;
  /** The report when it was read with the import; listed imports leave it to the field resolver. */
  loadedRows?: ImportRowReport[];
}
