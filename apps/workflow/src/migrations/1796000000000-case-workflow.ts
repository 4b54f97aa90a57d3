import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantIsolation, grantToAppRole } from '@otklik/persistence';

/**
 * Step 3, the case workflow: what a case needs to move through the regulation — its executor,
 * the message it answers (for replies and repeats), drafts with their versions, publications,
 * comments, links to related cases, the messages that joined it — and the history made
 * append-only in the database itself, for every role including the owner.
 */
export class CaseWorkflow1796000000000 implements MigrationInterface {
  name = 'CaseWorkflow1796000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`alter table workflow.deadlines drop constraint deadlines_state_check`);
    await runner.query(`
      alter table workflow.deadlines add constraint deadlines_state_check
        check (state in ('ON_TRACK', 'MET', 'MISSED', 'CANCELLED'))`);
    // A case's deadlines of one kind, and "my open deadlines" for the inbox's sorting by due time.
    await runner.query(
      `create index deadlines_case_kind on workflow.deadlines (case_id, kind) where state = 'ON_TRACK'`,
    );

    // What the answer is published under (copied from message.accepted: workflow reads no other
    // service's tables), the executor (cl. 18), the earlier case of a repeat (cl. 9), and the
    // decision that ended a case off the regulation's path (cl. 11 or not critical).
    await runner.query(`
      alter table workflow.cases
        add column external_id text,
        add column thread_id text,
        add column author_id text,
        add column author_name text,
        add column message_url text,
        add column message_text text,
        add column executor_user_id uuid references workflow.users (id),
        add column repeat_of_id uuid references workflow.cases (id),
        add column exclusion_reasons text[],
        add column decided_by text,
        add column decision_reason text,
        add column closed_at timestamptz`);
    await runner.query(`create index cases_executor on workflow.cases (executor_user_id, status)`);
    // Replies and repeats are found by author or thread on the same source.
    await runner.query(`create index cases_source_author on workflow.cases (source_id, author_id, detected_at desc)`);
    await runner.query(`create index cases_source_thread on workflow.cases (source_id, thread_id, detected_at desc)`);
    await runner.query(`create index cases_status on workflow.cases (status, detected_at desc)`);

    await runner.query(`alter table workflow.case_transitions add column action text not null default 'OPEN'`);
    await runner.query(`alter table workflow.case_transitions alter column action drop default`);
    // Append-only for everyone: the grant keeps the application role to INSERT and SELECT; the
    // trigger stops an owner's or an administrator's UPDATE and DELETE too.
    await runner.query(`
      create function workflow.refuse_change_of_history() returns trigger language plpgsql as $$
      begin
        raise exception 'workflow.%: the history of cases is append-only', tg_table_name
          using errcode = 'insufficient_privilege';
      end $$`);
    await runner.query(`
      create trigger case_transitions_append_only before update or delete on workflow.case_transitions
        for each row execute function workflow.refuse_change_of_history()`);

    // Every version of a draft is kept: a returned draft stays, the next one is version + 1.
    await runner.query(`
      create table workflow.drafts (
        id uuid primary key,
        case_id uuid not null references workflow.cases (id),
        organization_id uuid not null,
        version integer not null check (version > 0),
        kind text not null check (kind in ('FINAL', 'INTERIM', 'CLARIFICATION')),
        text text not null,
        measures text,
        attachments jsonb not null default '[]',
        author_user_id uuid not null references workflow.users (id),
        submitted_at timestamptz not null,
        status text not null check (status in ('SUBMITTED', 'RETURNED', 'APPROVED')),
        decided_by text,
        decided_at timestamptz,
        decision_comment text,
        unique (case_id, version)
      )`);
    await enableTenantIsolation(runner, 'workflow', 'drafts');
    await grantToAppRole(runner, 'workflow', 'drafts', ['SELECT', 'INSERT', 'UPDATE']);

    await runner.query(`
      create table workflow.publications (
        id uuid primary key,
        case_id uuid not null references workflow.cases (id),
        organization_id uuid not null,
        draft_id uuid references workflow.drafts (id),
        kind text not null check (kind in ('FINAL', 'INTERIM', 'CLARIFICATION')),
        platform text not null,
        status text not null check (status in ('PENDING', 'PUBLISHED', 'FAILED', 'MANUAL')),
        url text,
        error text,
        requested_at timestamptz not null,
        at timestamptz,
        recorded_by text
      )`);
    await runner.query('create index publications_case on workflow.publications (case_id, requested_at)');
    await enableTenantIsolation(runner, 'workflow', 'publications');
    await grantToAppRole(runner, 'workflow', 'publications', ['SELECT', 'INSERT', 'UPDATE']);

    // Inside the team only; never published. Append-only like the history.
    await runner.query(`
      create table workflow.case_comments (
        id uuid primary key,
        seq bigint generated always as identity,
        case_id uuid not null references workflow.cases (id),
        organization_id uuid not null,
        author_login text not null,
        text text not null,
        at timestamptz not null
      )`);
    await runner.query('create index case_comments_case on workflow.case_comments (case_id, seq)');
    await enableTenantIsolation(runner, 'workflow', 'case_comments');
    await grantToAppRole(runner, 'workflow', 'case_comments', ['SELECT', 'INSERT']);
    await runner.query(`
      create trigger case_comments_append_only before update or delete on workflow.case_comments
        for each row execute function workflow.refuse_change_of_history()`);

    // Related cases, one row per pair and direction written (a link reads both ways).
    await runner.query(`
      create table workflow.case_links (
        case_id uuid not null references workflow.cases (id),
        related_case_id uuid not null references workflow.cases (id),
        organization_id uuid not null,
        created_by text not null,
        created_at timestamptz not null,
        primary key (case_id, related_case_id),
        check (case_id <> related_case_id)
      )`);
    await runner.query('create index case_links_related on workflow.case_links (related_case_id)');
    await enableTenantIsolation(runner, 'workflow', 'case_links');
    await grantToAppRole(runner, 'workflow', 'case_links', ['SELECT', 'INSERT', 'DELETE']);

    // Messages of a case beyond the first: the author's replies to a clarification request (cl. 7).
    await runner.query(`
      create table workflow.case_messages (
        message_id uuid primary key,
        case_id uuid not null references workflow.cases (id),
        organization_id uuid not null,
        text text not null,
        url text,
        posted_at timestamptz not null,
        joined_at timestamptz not null
      )`);
    await runner.query('create index case_messages_case on workflow.case_messages (case_id, joined_at)');
    await enableTenantIsolation(runner, 'workflow', 'case_messages');
    await grantToAppRole(runner, 'workflow', 'case_messages', ['SELECT', 'INSERT']);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['case_messages', 'case_links', 'case_comments', 'publications', 'drafts']) {
      await runner.query(`drop table if exists workflow.${table}`);
    }
    await runner.query('drop trigger if exists case_transitions_append_only on workflow.case_transitions');
    await runner.query('drop function if exists workflow.refuse_change_of_history()');
    await runner.query('alter table workflow.case_transitions drop column action');
    for (const index of ['cases_status', 'cases_source_thread', 'cases_source_author', 'cases_executor']) {
      await runner.query(`drop index if exists workflow.${index}`);
    }
    await runner.query(`
      alter table workflow.cases
        drop column closed_at, drop column decision_reason, drop column decided_by,
        drop column exclusion_reasons, drop column repeat_of_id, drop column executor_user_id,
        drop column message_text, drop column message_url, drop column author_name,
        drop column author_id, drop column thread_id, drop column external_id`);
    await runner.query('drop index if exists workflow.deadlines_case_kind');
    await runner.query(`update workflow.deadlines set state = 'MISSED' where state = 'CANCELLED'`);
    await runner.query(`alter table workflow.deadlines drop constraint deadlines_state_check`);
    await runner.query(`
      alter table workflow.deadlines add constraint deadlines_state_check
        check (state in ('ON_TRACK', 'MET', 'MISSED'))`);
  }
}
