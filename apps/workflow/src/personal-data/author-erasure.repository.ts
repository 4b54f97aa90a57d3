import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@otklik/persistence';

/** A case whose message was erased: where routing examples made of it may have taught a model. */
export interface ErasedCase {
  id: string;
  organizationId: string;
}

/**
 * workflow's copies of erased messages (author.erased): plain SQL over several tables of the
 * cases feature, each statement touching only the rows of the messages named. No method filters
 * by organisation beyond the ids it is given: row-level security does.
 */
@Injectable()
export class AuthorErasureRepository {
  constructor(private readonly uow: UnitOfWork) {}

  /** Remembers the messages as erased (once each), under the organisation of their messages. */
  async remember(organizationId: string, erasureId: string, messageIds: readonly string[], at: Date): Promise<void> {
    await this.uow.manager.query(
      `insert into workflow.erased_messages (message_id, organization_id, erasure_id, erased_at)
       select id, $2, $3, $4 from unnest($1::uuid[]) as id
       on conflict (message_id) do nothing`,
      [messageIds, organizationId, erasureId, at],
    );
  }

  async isErased(messageId: string): Promise<boolean> {
    const rows = await this.uow.manager.query<unknown[]>(
      'select 1 from workflow.erased_messages where message_id = $1',
      [messageId],
    );
    return rows.length > 0;
  }

  /**
   * The cases of these messages keep everything but what came from the author: the text becomes
   * `erasedText`, the author, the address and the reply target go (an answer still to be published
   * has nowhere to go: the author asked to be forgotten).
   */
  eraseCases(messageIds: readonly string[], erasedText: string): Promise<ErasedCase[]> {
    return this.uow.manager
      .query<Array<{ id: string; organization_id: string }>>(
        `with erased as (
           update workflow.cases set
              message_text = $2, author_id = null, author_name = null, message_url = null,
              external_id = null, thread_id = null, version = version + 1, updated_at = now()
            where message_id = any($1::uuid[])
            returning id, organization_id)
         select id, organization_id from erased`,
        [messageIds, erasedText],
      )
      .then((rows) => rows.map((r) => ({ id: r.id, organizationId: r.organization_id })));
  }

  /** The author's replies joined to cases (cl. 7). */
  async eraseJoinedReplies(messageIds: readonly string[], erasedText: string): Promise<number> {
    const [{ n }] = await this.uow.manager.query<Array<{ n: number }>>(
      `with erased as (
         update workflow.case_messages set text = $2, url = null
          where message_id = any($1::uuid[])
          returning message_id)
       select count(*)::int as n from erased`,
      [messageIds, erasedText],
    );
    return n;
  }

  /**
   * Messages kept without a case: the text, and message.accepted as kept (what a case opened from
   * it later is made of) without author, address, thread and attachments; its external id becomes
   * the message's own id.
   */
  async eraseUncased(messageIds: readonly string[], erasedText: string): Promise<number> {
    const [{ n }] = await this.uow.manager.query<Array<{ n: number }>>(
      `with erased as (
         update workflow.uncased_messages set
            message_text = $2,
            message = (message - 'author' - 'url' - 'threadId')
              || jsonb_build_object('text', $2::text, 'externalId', message_id::text, 'attachments', '[]'::jsonb)
          where message_id = any($1::uuid[])
          returning message_id)
       select count(*)::int as n from erased`,
      [messageIds, erasedText],
    );
    return n;
  }

  /** Routing examples made of these cases' texts (officials' routing decisions); the organisations they were filed under. */
  async dropRoutingExamples(caseIds: readonly string[]): Promise<string[]> {
    const rows = await this.uow.manager.query<Array<{ organization_id: string }>>(
      `with dropped as (
         delete from workflow.routing_examples
          where origin = 'CORRECTION' and case_id = any($1::uuid[])
          returning organization_id)
       select distinct organization_id from dropped`,
      [caseIds],
    );
    return rows.map((r) => r.organization_id);
  }

  /** Asks the trained models of these organisations for a retraining (routing.trainer picks them up). */
  async requestRetraining(organizationIds: readonly string[], by: string, at: Date): Promise<void> {
    await this.uow.manager.query(
      `update workflow.routing_models set requested_at = $2, requested_by = $3 where organization_id = any($1::uuid[])`,
      [organizationIds, at, by],
    );
  }
}
