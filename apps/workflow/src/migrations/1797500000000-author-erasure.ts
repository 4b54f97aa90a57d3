import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appRoleOf, enableTenantIsolation, grantToAppRole, quoteIdent } from '@otklik/persistence';

/**
 * Step 6, a data subject's request (152-FZ): intake erased an author (author.erased) and workflow
 * anonymises its copies of their messages — in cases, in the replies joined to cases, in the
 * messages kept without a case — and drops the routing examples made of their texts. Each erased
 * message is remembered by its id, so that its message.accepted arriving late (a backlog, a
 * dead letter replayed) opens its case anonymised.
 */
export class AuthorErasure1797500000000 implements MigrationInterface {
  name = 'AuthorErasure1797500000000';

  async up(runner: QueryRunner): Promise<void> {
    const appRole = quoteIdent(appRoleOf('workflow'));
    // Ids only: a random id tells nothing of the author. Under the message's organisation, the
    // scope its message.accepted is handled in.
    await runner.query(`
      create table workflow.erased_messages (
        message_id uuid primary key,
        organization_id uuid not null,
        erasure_id uuid not null,
        erased_at timestamptz not null
      )`);
    await enableTenantIsolation(runner, 'workflow', 'erased_messages');
    await grantToAppRole(runner, 'workflow', 'erased_messages', ['SELECT', 'INSERT']);

    // The replies joined to cases were insert-only; erasure replaces their text and address alone.
    await runner.query(`grant update (text, url) on workflow.case_messages to ${appRole}`);
    // An official's routing of an erased author's case was a training example made of their text.
    await grantToAppRole(runner, 'workflow', 'routing_examples', ['DELETE']);
  }

  async down(runner: QueryRunner): Promise<void> {
    const appRole = quoteIdent(appRoleOf('workflow'));
    await runner.query(`revoke delete on workflow.routing_examples from ${appRole}`);
    await runner.query(`revoke update (text, url) on workflow.case_messages from ${appRole}`);
    await runner.query('drop table workflow.erased_messages');
  }
}
