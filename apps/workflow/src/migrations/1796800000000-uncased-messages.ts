import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantIsolation, grantToAppRole } from '@otklik/persistence';

/**
 * Step 4, criticality (cl. 1): a message that is not critical — praise, chatter, news, an
 * advertisement — and that screening did not flag and no case is about opens no case. It is kept
 * here, as intake announced it, so that officials can look through such messages and open a case
 * from one (who, when and why kept on the row and in the new case's history). Never deleted.
 */
export class UncasedMessages1796800000000 implements MigrationInterface {
  name = 'UncasedMessages1796800000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table workflow.uncased_messages (
        message_id uuid primary key,
        organization_id uuid not null,
        source_id text not null,
        platform text not null,
        received_at timestamptz not null,
        message_text text not null,
        -- message.accepted as received: what a case opened later is made of.
        message jsonb not null,
        kept_at timestamptz not null,
        case_id uuid references workflow.cases (id),
        opened_by text,
        opened_at timestamptz,
        open_reason text,
        constraint uncased_messages_opened check (
          (case_id is null) = (opened_by is null) and (case_id is null) = (opened_at is null)
          and (case_id is null) = (open_reason is null))
      )`);
    // The list: an organisation's messages still without a case, newest first.
    await runner.query(`
      create index uncased_messages_waiting on workflow.uncased_messages
        (organization_id, received_at desc, message_id desc) where case_id is null`);
    await enableTenantIsolation(runner, 'workflow', 'uncased_messages');
    await grantToAppRole(runner, 'workflow', 'uncased_messages', ['SELECT', 'INSERT', 'UPDATE']);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table workflow.uncased_messages');
  }
}
