import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@otklik/persistence';

/** notify's copies of what an erased author wrote or is known by; runs in the caller's UnitOfWork. */
@Injectable()
export class AuthorErasureRepository {
  constructor(private readonly uow: UnitOfWork) {}

  /**
   * The publications under these messages: their target (the message's external id, thread,
   * address and author id) becomes the message's own id, and the platform's own words about a
   * failure (which may name the author) go. The answer, its status and where it stands stay.
   */
  async erasePublicationTargets(messageIds: readonly string[]): Promise<number> {
    const [{ n }] = await this.uow.manager.query<Array<{ n: number }>>(
      `with erased as (
         update notify.publications
            set target = jsonb_build_object('externalId', message_id::text), platform_error = null
          where message_id = any($1::uuid[])
          returning id)
       select count(*)::int as n from erased`,
      [messageIds],
    );
    return n;
  }
}
