import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { FetchLike, guardedFetch } from '@otklik/channels';
import { callContext, newCorrelationId, orgsScope } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';
import { APP_LOGGER } from '../app.logger';
import { MessageService } from '../messages/message.service';
import { feedMessageOf, storableRaw } from './feed-entry.mapper';
import { fetchFeed } from './feed.fetcher';
import { decodeFeedBody, FeedFormatError, ParsedFeed, parseFeed } from './feed.parser';
import { nextPollAfterFailure, nextPollAfterSuccess } from './feed.schedule';
import { DEFAULT_FEED_INTERVAL_SECONDS, FeedPollerSettings, readFeedSourceSettings } from './feed.settings';
import { ClaimedFeed, FeedPollRecord, FeedStateRepository } from './feed-state.repository';

export const FEED_POLLER_SETTINGS = Symbol('FeedPollerSettings');

/** The most entries of one feed read per poll; a feed keeps its newest first, and the rest were read before. */
export const MAX_ENTRIES_PER_POLL = 500;

/** How one poll of one feed ended. */
export interface FeedPollOutcome {
  sourceId: string;
  result: 'NEW_ITEMS' | 'UNCHANGED' | 'NOT_MODIFIED' | 'FAILED';
  status: number | null;
  newItems: number;
  duplicates: number;
  error?: string;
}

/**
 * Polls one claimed feed (REQUIREMENTS cl. 2, websites): a conditional GET, the items parsed and
 * stored as WEBSITE messages through MessageService.accept (the same item again is a duplicate),
 * then the feed's state — validators, failures, the next poll — written as the lease is given
 * up. Every way a poll fails ends as a recorded failure with its reason; none is thrown.
 */
@Injectable()
export class FeedService {
  /** Feeds' addresses are officials' say-so: fetched through the SSRF guard (docs/security.md, B8). */
  private readonly fetch: FetchLike;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly states: FeedStateRepository,
    private readonly messages: MessageService,
    @Inject(FEED_POLLER_SETTINGS) private readonly settings: FeedPollerSettings,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {
    this.fetch = guardedFetch({ policy: { allowPrivate: settings.allowPrivateAddresses } });
  }

  async poll(feed: ClaimedFeed): Promise<FeedPollOutcome> {
    try {
      return await this.fetchAndStore(feed);
    } catch (error) {
      // The database went away mid-poll, or a bug: recorded like any failure when it can be.
      const reason = `internal error: ${(error as Error).message}`;
      this.logger.error({ err: error, sourceId: feed.sourceId }, 'feed poll failed unexpectedly');
      await this.recordFailure(feed, null, reason, undefined, feed.url).catch((e: unknown) =>
        this.logger.warn(
          { sourceId: feed.sourceId, err: (e as Error).message },
          'feed failure not recorded; its lease will lapse',
        ),
      );
      return { sourceId: feed.sourceId, result: 'FAILED', status: null, newItems: 0, duplicates: 0, error: reason };
    }
  }

  private async fetchAndStore(feed: ClaimedFeed): Promise<FeedPollOutcome> {
    const read = readFeedSourceSettings(feed.settings);
    if (!read.ok) return this.recordFailure(feed, null, read.problem, undefined, feed.url);
    const { url, intervalSeconds } = read.settings;
    // Validators belong to the address they came from: a new address is read in full.
    const validators = feed.url === url ? { etag: feed.etag, lastModified: feed.lastModified } : {};
    const fetched = await fetchFeed(url, validators, this.settings, this.fetch);
    const now = new Date();

    if (fetched.kind === 'failed') {
      return this.recordFailure(feed, fetched.status, fetched.reason, fetched.retryAfterSeconds, url, intervalSeconds);
    }
    if (fetched.kind === 'not-modified') {
      await this.record(feed, {
        url,
        etag: fetched.etag ?? validators.etag ?? null,
        lastModified: fetched.lastModified ?? validators.lastModified ?? null,
        failures: 0,
        status: 304,
        error: null,
        nextPollAt: nextPollAfterSuccess(now, intervalSeconds),
        newItems: 0,
      });
      return { sourceId: feed.sourceId, result: 'NOT_MODIFIED', status: 304, newItems: 0, duplicates: 0 };
    }

    let parsed: ParsedFeed;
    try {
      parsed = parseFeed(decodeFeedBody(fetched.body, fetched.contentType), url);
    } catch (error) {
      if (!(error instanceof FeedFormatError)) throw error;
      return this.recordFailure(
        feed,
        fetched.status,
        `malformed feed: ${error.message}`,
        undefined,
        url,
        intervalSeconds,
      );
    }
    const entries = parsed.entries.slice(0, MAX_ENTRIES_PER_POLL);
    const record: FeedPollRecord = {
      url,
      etag: fetched.etag ?? null,
      lastModified: fetched.lastModified ?? null,
      failures: 0,
      status: fetched.status,
      error: null,
      nextPollAt: nextPollAfterSuccess(now, intervalSeconds),
      newItems: 0,
    };
    // The feed's messages are its organisation's: stored in that scope alone, with the state, in
    // one transaction, so validators are kept only together with the items they stand for.
    const counts = await callContext.run(
      {
        correlationId: newCorrelationId(),
        orgScope: orgsScope([feed.organizationId]),
        actor: `source:${feed.sourceId}`,
      },
      () =>
        this.uow.run(async () => {
          let newItems = 0;
          let duplicates = 0;
          for (const entry of entries) {
            const message = feedMessageOf(entry, url, now);
            if (!message) continue;
            const accepted = await this.messages.accept({
              organizationId: feed.organizationId,
              sourceId: feed.sourceId,
              platform: 'WEBSITE',
              ...message,
              raw: { feed: url, format: parsed.format, item: storableRaw(entry.raw) },
            });
            if (accepted.duplicate) duplicates++;
            else newItems++;
          }
          await this.record(feed, { ...record, newItems });
          return { newItems, duplicates };
        }),
    );
    if (counts.newItems > 0) {
      this.logger.info(
        { sourceId: feed.sourceId, ...counts, entries: parsed.entries.length },
        'feed polled: new items stored',
      );
    } else this.logger.debug({ sourceId: feed.sourceId, ...counts }, 'feed polled: nothing new');
    return {
      sourceId: feed.sourceId,
      result: counts.newItems > 0 ? 'NEW_ITEMS' : 'UNCHANGED',
      status: fetched.status,
      ...counts,
    };
  }

  private async recordFailure(
    feed: ClaimedFeed,
    status: number | null,
    reason: string,
    retryAfterSeconds: number | undefined,
    url: string | null,
    intervalSeconds = DEFAULT_FEED_INTERVAL_SECONDS,
  ): Promise<FeedPollOutcome> {
    const failures = feed.failures + 1;
    const nextPollAt = nextPollAfterFailure(new Date(), intervalSeconds, failures, retryAfterSeconds);
    // Validators are kept: the feed did not change because the site failed.
    const keep = feed.url === url;
    await this.record(feed, {
      url,
      etag: keep ? feed.etag : null,
      lastModified: keep ? feed.lastModified : null,
      failures,
      status,
      error: reason.slice(0, 1000),
      nextPollAt,
      newItems: null,
    });
    this.logger.warn(
      { sourceId: feed.sourceId, status, reason, failures, nextPollAt: nextPollAt.toISOString() },
      'feed poll failed; backing off',
    );
    return { sourceId: feed.sourceId, result: 'FAILED', status, newItems: 0, duplicates: 0, error: reason };
  }

  /** The state is written in the feed organisation's scope, joining the storing transaction when one is open. */
  private async record(feed: ClaimedFeed, poll: FeedPollRecord): Promise<void> {
    const kept = await callContext.run(
      {
        correlationId: callContext.correlationId() ?? newCorrelationId(),
        orgScope: orgsScope([feed.organizationId]),
        actor: `source:${feed.sourceId}`,
      },
      () => this.uow.run(() => this.states.record(feed.sourceId, feed.leaseOwner, poll)),
    );
    if (!kept) {
      this.logger.warn(
        { sourceId: feed.sourceId },
        'feed lease ran out before the poll ended; another poller has it now',
      );
    }
  }
}
