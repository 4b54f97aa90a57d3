import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ALL_ORGS, callContext, newCorrelationId } from '@otklik/observability';
import { SERVICE_CONFIG, ServiceConfig } from '@otklik/service-kit';
import type { ChannelSender } from './channel.sender';
import { DEFAULT_RETRY, DeliveryService, RetryPolicy } from './delivery.service';

/** Injection token of the channels' senders (only those set up: e-mail with SMTP_URL, Telegram with its bot). */
export const CHANNEL_SENDERS = Symbol('ChannelSenders');

/**
 * The delivery worker: in every replica, one loop per channel, so that a channel that hangs or
 * fails never holds up another. Claims with SKIP LOCKED and a lease: each delivery is taken by
 * one worker at a time, and one that dies mid-send leaves it to be taken again when the lease ends.
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DeliveryWorker.name);
  /** Pause between passes when nothing more is due; tests may shorten it. */
  intervalMs = 1000;
  /** Deliveries (or for digests, people) per pass. */
  batchSize = 50;
  /** Longer than any sender's timeouts. */
  leaseMs = 2 * 60 * 1000;
  /** Tests may shorten the waits. */
  retry: RetryPolicy = DEFAULT_RETRY;
  private stopped = false;
  private readonly loops: Promise<void>[] = [];
  private readonly wakers = new Set<() => void>();

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(CHANNEL_SENDERS) private readonly senders: readonly ChannelSender[],
    private readonly deliveries: DeliveryService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.printSchema) return;
    this.stopped = false;
    for (const sender of this.senders) this.loops.push(this.run(sender));
  }

  /** Stops before the data source shuts down (its hook runs later). */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    for (const wake of [...this.wakers]) wake();
    await Promise.all(this.loops);
    await Promise.all(this.senders.map((s) => s.close()));
  }

  /** One pass of a channel. Deliveries of every organisation, system work: the all-organisations scope. */
  deliverDue(sender: ChannelSender): Promise<number> {
    return callContext.run({ correlationId: newCorrelationId(), orgScope: ALL_ORGS, actor: 'delivery-worker' }, () =>
      this.deliveries.deliverDue(sender, {
        channel: sender.channel,
        batchSize: this.batchSize,
        leaseMs: this.leaseMs,
        retry: this.retry,
      }),
    );
  }

  private async run(sender: ChannelSender): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        const taken = await this.deliverDue(sender);
        failures = 0;
        // A full batch means more may be waiting: go again at once.
        if (taken < this.batchSize) await this.sleep(this.intervalMs);
      } catch (error) {
        failures++;
        if (failures === 1 || failures % 20 === 0) {
          this.logger.warn(
            `${sender.channel} deliveries failed (${failures} in a row), will retry: ${(error as Error).message}`,
          );
        }
        await this.sleep(Math.min(this.intervalMs * 2 ** Math.min(failures, 4), 30_000));
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }
}
