import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appRoleOf, enableTenantIsolation, grantToAppRole, quoteIdent } from '@otklik/persistence';

/**
 * Step 6, a data subject's request (152-FZ): a coordinator exports or erases one author's data.
 * The messages stay (their cases go on) with the author, texts and addresses replaced; each
 * erasure is recorded — who, when, why, on what request, how much — and the record is append-only.
 */
export class AuthorErasure1797500000000 implements MigrationInterface {
  name = 'AuthorErasure1797500000000';

  async up(runner: QueryRunner): Promise<void> {
    const appRole = quoteIdent(appRoleOf('intake'));
    // The record names the messages, never the author: it must not keep what it erased.
    await runner.query(`
      create table intake.erasure_requests (
        id uuid primary key,
        organization_id uuid not null,
        platform text not null,
        requested_by text not null,
        requested_by_user_id text not null,
        requested_at timestamptz not null default now(),
        reason text not null check (btrim(reason) <> '' and length(reason) <= 2000),
        request_reference text not null check (btrim(request_reference) <> '' and length(request_reference) <= 200),
        message_ids uuid[] not null,
        messages integer not null check (messages >= 0),
        versions integer not null check (versions >= 0),
        raw_payloads integer not null check (raw_payloads >= 0)
      )`);
    await runner.query(
      'create index erasure_requests_by_organization on intake.erasure_requests (organization_id, requested_at desc)',
    );
    await enableTenantIsolation(runner, 'intake', 'erasure_requests');
    await grantToAppRole(runner, 'intake', 'erasure_requests', ['SELECT', 'INSERT']);

    // An author's messages on a platform, for export and erasure (the author's id as intake stores it).
    await runner.query(`create index messages_by_author on intake.messages (platform, (author ->> 'id'))`);

    // Erasure rewrites what the earlier grants kept fixed: who wrote, where, the body as received,
    // criticality's evidence. Nothing else of the table.
    const messageColumns = ['author', 'url', 'raw', 'external_id', 'thread_id', 'criticality'];
    await runner.query(`grant update (${messageColumns.map(quoteIdent).join(', ')}) on intake.messages to ${appRole}`);

    // The replaced versions stay as they were, but for erasure: the application role may update
    // their text and attachments, and the trigger lets a change through only when it erases them —
    // to the fixed text (ERASED_TEXT of @otklik/contracts, written out: a migration does not change
    // later) and no attachments. An update that changes nothing passes. AFTER, so that it sees the
    // row as every BEFORE trigger left it; it still undoes the statement. Deleting stays ungranted.
    await runner.query(`grant update (text, attachments) on intake.message_versions to ${appRole}`);
    await runner.query(`
      create function intake.refuse_change_of_versions() returns trigger language plpgsql as $$
      begin
        if new is distinct from old
           and (new.text <> '[удалено по запросу субъекта персональных данных]' or new.attachments <> '[]'::jsonb
                or (new.message_id, new.version, new.organization_id, new.replaced_at)
                   is distinct from (old.message_id, old.version, old.organization_id, old.replaced_at)) then
          raise exception 'intake.%: a version is kept as it was; it may only be erased (152-FZ)', tg_table_name
            using errcode = 'insufficient_privilege';
        end if;
        return null;
      end $$`);
    await runner.query(`
      create trigger message_versions_only_erased after update on intake.message_versions
        for each row execute function intake.refuse_change_of_versions()`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const appRole = quoteIdent(appRoleOf('intake'));
    await runner.query('drop trigger message_versions_only_erased on intake.message_versions');
    await runner.query('drop function intake.refuse_change_of_versions()');
    await runner.query(`revoke update (text, attachments) on intake.message_versions from ${appRole}`);
    // raw stays granted: the retention of raw payloads (1797400000000) may need it as well.
    await runner.query(
      `revoke update (author, url, external_id, thread_id, criticality) on intake.messages from ${appRole}`,
    );
    await runner.query('drop index intake.messages_by_author');
    await runner.query('drop table intake.erasure_requests');
  }
}
