import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ALL_ORGS, callContext, newCorrelationId } from '@otklik/observability';
import { SERVICE_CONFIG, ServiceConfig } from '@otklik/service-kit';
import { DeadlineService, FiredTimers } from './deadline.service';

/**
 * The deadline timers (docs/deadlines.md): a loop in every replica that fires deadline.at_risk
 * and deadline.breached for the open deadlines whose moment has come. The moments are stored
 * with the deadlines, so nothing is lost across restarts; claims with SKIP LOCKED and the
 * fired_at columns make each event fire once however many replicas run the loop.
 */
@Injectable()
export class DeadlineTimers implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DeadlineTimers.name);
  /** Pause between polls when nothing more is due; tests may shorten it before bootstrap. */
  intervalMs = 1000;
  /** Deadlines claimed per timer per transaction. */
  batchSize = 200;
  private stopped = false;
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly deadlines: DeadlineService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.printSchema) return;
    this.stopped = false;
    this.loop = this.run();
  }

  /** Stops before the data source and the outbox relay shut down (their hooks run later). */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  /**
   * One batch. Deadlines of every organisation are due at once and nobody asked for it: system
   * work, so it runs in the all-organisations scope; each event still goes on its deadline's
   * organisation's subject.
   */
  fireDue(): Promise<FiredTimers> {
    return callContext.run(
      { correlationId: newCorrelationId(), orgScope: ALL_ORGS, actor: 'deadline-timers' },
      async () => {
        const fired = await this.deadlines.fireDueTimers(this.batchSize);
        if (fired.atRisk + fired.breached > 0) {
          this.logger.log(`fired ${fired.atRisk} deadline.at_risk and ${fired.breached} deadline.breached`);
        }
        return fired;
      },
    );
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        const fired = await this.fireDue();
        failures = 0;
        // A full batch means more may be waiting: go again at once.
        if (fired.atRisk < this.batchSize && fired.breached < this.batchSize) await this.sleep(this.intervalMs);
      } catch (error) {
        failures++;
        if (failures === 1 || failures % 20 === 0) {
          this.logger.warn(`deadline timers failed (${failures} in a row), will retry: ${(error as Error).message}`);
        }
        await this.sleep(Math.min(this.intervalMs * 2 ** Math.min(failures, 4), 30_000));
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
