import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@otklik/persistence';

/** A feed a poller holds: its source's settings and what the last poll left. */
export interface ClaimedFeed {
  sourceId: string;
  organizationId: string;
  settings: Record<string, unknown>;
  /** The address the validators belong to. */
  url: string | null;
  etag: string | null;
  lastModified: string | null;
  failures: number;
  leaseOwner: string;
}

/** What a poll ends with, written back as the lease is given up. */
export interface FeedPollRecord {
  url: string | null;
  etag: string | null;
  lastModified: string | null;
  failures: number;
  status: number | null;
  error: string | null;
  nextPollAt: Date;
  /** Set on success (an answer, new items or 304): the time of it and how many items were new. */
  newItems: number | null;
}

interface ClaimedRow {
  source_id: string;
  organization_id: string;
  settings: Record<string, unknown>;
  url: string | null;
  etag: string | null;
  last_modified: string | null;
  failures: number;
}

@Injectable()
export class FeedStateRepository {
  constructor(private readonly uow: UnitOfWork) {}

  /** A state row, due now, for every enabled FEED source that has none yet; returns how many were made. */
  async addMissing(): Promise<number> {
    const rows = await this.uow.manager.query<unknown[]>(
      `insert into intake.feed_state (source_id, organization_id)
       select s.id, s.organization_id from intake.sources s
        where s.kind = 'FEED' and s.enabled
          and not exists (select 1 from intake.feed_state f where f.source_id = s.id)
       on conflict (source_id) do nothing
       returning source_id`,
    );
    return rows.length;
  }

  /**
   * Claims up to `limit` due feeds for `owner` until the lease ends. SKIP LOCKED lets replicas
   * claim side by side without waiting on each other; the lease keeps a claimed feed from being
   * claimed again after this transaction commits, while it is being fetched. A poller that dies
   * holding a lease gives the feed back when the lease runs out.
   */
  async claimDue(limit: number, leaseSeconds: number, owner: string): Promise<ClaimedFeed[]> {
    const [rows] = await this.uow.manager.query<[ClaimedRow[], number]>(
      `with due as (
         select f.source_id from intake.feed_state f
           join intake.sources s on s.id = f.source_id
          where s.kind = 'FEED' and s.enabled
            and f.next_poll_at <= now()
            and (f.lease_until is null or f.lease_until < now())
          order by f.next_poll_at
          limit $1
          for update of f skip locked)
       update intake.feed_state f
          set lease_until = now() + make_interval(secs => $2), lease_owner = $3, last_polled_at = now()
         from due, intake.sources s
        where f.source_id = due.source_id and s.id = f.source_id
       returning f.source_id, f.organization_id, s.settings, f.url, f.etag, f.last_modified, f.failures`,
      [limit, leaseSeconds, owner],
    );
    return rows.map((r) => ({
      sourceId: r.source_id,
      organizationId: r.organization_id,
      settings: r.settings,
      url: r.url,
      etag: r.etag,
      lastModified: r.last_modified,
      failures: r.failures,
      leaseOwner: owner,
    }));
  }

  /** Writes a poll's outcome and gives up the lease; false when the lease had passed to another poller. */
  async record(sourceId: string, owner: string, poll: FeedPollRecord): Promise<boolean> {
    const [, updated] = await this.uow.manager.query<[unknown[], number]>(
      `update intake.feed_state
          set url = $3, etag = $4, last_modified = $5, failures = $6, last_status = $7, last_error = $8,
              next_poll_at = $9,
              last_success_at = case when $10::integer is null then last_success_at else now() end,
              last_new_items = coalesce($10::integer, last_new_items),
              lease_until = null, lease_owner = null
        where source_id = $1 and lease_owner = $2`,
      [
        sourceId,
        owner,
        poll.url,
        poll.etag,
        poll.lastModified,
        poll.failures,
        poll.status,
        poll.error,
        poll.nextPollAt,
        poll.newItems,
      ],
    );
    return updated > 0;
  }
}
