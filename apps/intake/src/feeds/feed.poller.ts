import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { ALL_ORGS, callContext, newCorrelationId } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';
import { SERVICE_CONFIG, ServiceConfig } from '@otklik/service-kit';
import { APP_LOGGER } from '../app.logger';
import { FEED_POLLER_SETTINGS, FeedPollOutcome, FeedService } from './feed.service';
import type { FeedPollerSettings } from './feed.settings';
import { FeedStateRepository } from './feed-state.repository';

/**
 * The feed poller (docs/intake-feeds-imports.md): a loop in every intake replica that claims the
 * feeds that are due and polls them. Claims go through FOR UPDATE SKIP LOCKED and a lease, so
 * however many replicas run it, each feed is fetched by one at a time. With INTAKE_FEED_POLL=off
 * the loop does not start; `pollOnce` still works (tests drive it by hand).
 */
@Injectable()
export class FeedPoller implements OnApplicationBootstrap, OnModuleDestroy {
  /** This poller's name on its leases. */
  readonly id = randomUUID();
  private stopped = false;
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(FEED_POLLER_SETTINGS) private readonly settings: FeedPollerSettings,
    private readonly uow: UnitOfWork,
    private readonly states: FeedStateRepository,
    private readonly feeds: FeedService,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.printSchema) return;
    if (this.settings.allowPrivateAddresses) {
      this.logger.warn(
        'INTAKE_FEEDS_ALLOW_PRIVATE=true: feeds may point at private, loopback and link-local addresses, cloud metadata included (the SSRF guard is off) — for development, tests or a trusted intranet site only',
      );
    }
    if (!this.settings.enabled) return;
    this.stopped = false;
    this.loop = this.run();
  }

  /** Stops before the data source shuts down; a poll under way finishes first. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  /**
   * One round: state rows for new FEED sources, then up to a batch of due feeds claimed and
   * polled, a few at a time. Feeds of every organisation are due at once and nobody asked: system
   * work, so the claim runs in the all-organisations scope; each feed's messages are stored in
   * its own organisation's scope (FeedService).
   */
  async pollOnce(): Promise<FeedPollOutcome[]> {
    const claimed = await callContext.run(
      { correlationId: newCorrelationId(), orgScope: ALL_ORGS, actor: 'feed-poller' },
      () =>
        this.uow.run(async () => {
          await this.states.addMissing();
          return this.states.claimDue(this.settings.batchSize, this.settings.leaseSeconds, this.id);
        }),
    );
    const outcomes: FeedPollOutcome[] = [];
    let next = 0;
    const worker = async () => {
      while (next < claimed.length) outcomes.push(await this.feeds.poll(claimed[next++]));
    };
    await Promise.all(Array.from({ length: Math.min(this.settings.concurrency, claimed.length) }, worker));
    return outcomes;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        const polled = await this.pollOnce();
        failures = 0;
        // A full batch means more may be due: go again at once.
        if (polled.length < this.settings.batchSize) await this.sleep(this.settings.everyMs);
      } catch (error) {
        failures++;
        if (failures === 1 || failures % 20 === 0) {
          this.logger.warn(
            { failures, err: (error as Error).message },
            'feed poller could not claim feeds; will retry',
          );
        }
        await this.sleep(Math.min(this.settings.everyMs * 2 ** Math.min(failures, 4), 300_000));
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
