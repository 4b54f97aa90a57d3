import type { MigrationInterface, QueryRunner } from 'typeorm';

const FIELDS_CHECK = 'personal_data_reads_fields_check';

/**
 * exportAuthorData is a staff read of an author's data too (152-FZ): the read log names what it
 * handed out of each message beyond the author's fields as EXPORT.
 */
export class ExportReads1797600000000 implements MigrationInterface {
  name = 'ExportReads1797600000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      alter table intake.personal_data_reads
        drop constraint ${FIELDS_CHECK},
        add constraint ${FIELDS_CHECK} check (
          cardinality(fields) > 0
          and fields <@ array['AUTHOR_ID', 'AUTHOR_NAME', 'AUTHOR_URL', 'EXPORT']::text[])`);
  }

  async down(runner: QueryRunner): Promise<void> {
    // NOT VALID: the export reads already logged stay (the log is append-only); new ones are refused.
    await runner.query(`
      alter table intake.personal_data_reads
        drop constraint ${FIELDS_CHECK},
        add constraint ${FIELDS_CHECK} check (
          cardinality(fields) > 0
          and fields <@ array['AUTHOR_ID', 'AUTHOR_NAME', 'AUTHOR_URL']::text[]) not valid`);
  }
}
