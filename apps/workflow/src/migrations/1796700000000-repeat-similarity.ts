import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appRoleOf, quoteIdent } from '@otklik/persistence';

/**
 * Step 4, repeats by similar text (cl. 9): pg_trgm, a normalised form of a message's text
 * (workflow.repeat_text) and the measure repeat detection uses (workflow.repeat_similarity: how
 * much of a later message is found in an earlier one, docs/repeats.md), with a trigram index on
 * each case's message text for the cases query's text filter. Candidates are found first by author or thread on
 * the same source within a window (cases_source_author, cases_source_thread of 1796000000000),
 * so the measure runs on a handful of rows.
 */
export class RepeatSimilarity1796700000000 implements MigrationInterface {
  name = 'RepeatSimilarity1796700000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('create extension if not exists pg_trgm with schema public');
    // The extension may have been installed before, in another schema: the functions below name
    // its schema, resolved now (a SQL-standard body binds at creation), so that the application
    // role's search_path (its own schema only) does not matter.
    const [{ schema: found }] = (await runner.query(
      `select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace
        where e.extname = 'pg_trgm'`,
    )) as Array<{ schema: string }>;
    const trgm = quoteIdent(found);

    // Lower case, ё as е, punctuation as spaces, and the words every complaint has (prepositions,
    // pronouns, "нет", "ул", "д") dropped: they only add trigrams that unrelated texts share.
    await runner.query(`
      create function workflow.repeat_text(message text) returns text
        language sql immutable strict parallel safe
        return array_to_string(array(
          select word
            from unnest(string_to_array(btrim(regexp_replace(translate(lower(message), 'ё', 'е'), '[^[:alnum:]]+', ' ', 'g')), ' ')) as word
           where word <> all ('{и,в,во,на,не,по,с,со,к,ко,у,о,об,от,до,за,из,для,что,это,как,а,но,же,ли,бы,я,мы,вы,он,она,они,нас,нам,наш,так,уже,еще,все,при,или,то,ни,да,нет,его,ее,их,там,тут,г,д,ул}'::text[])
        ), ' ')`);
    await runner.query(`
      create function workflow.repeat_similarity(later text, earlier text) returns real
        language sql immutable strict parallel safe
        return ${trgm}.word_similarity(workflow.repeat_text(later), workflow.repeat_text(earlier))`);
    const role = quoteIdent(appRoleOf('workflow'));
    await runner.query(`grant usage on schema ${trgm} to ${role}`);
    await runner.query(`grant execute on function workflow.repeat_text(text) to ${role}`);
    await runner.query(`grant execute on function workflow.repeat_similarity(text, text) to ${role}`);

    // The cases query's text filter (`ilike '%…%'`, case.repository.ts) reads this index instead
    // of every row; the repeat lookup itself starts from the author and thread indexes.
    await runner.query(
      `create index cases_message_text_trgm on workflow.cases using gin (message_text ${trgm}.gin_trgm_ops)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop index if exists workflow.cases_message_text_trgm');
    await runner.query('drop function if exists workflow.repeat_similarity(text, text)');
    await runner.query('drop function if exists workflow.repeat_text(text)');
    // pg_trgm stays: another schema of the database may use it.
  }
}
