import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { ALL_ORGS, callContext, newCorrelationId } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';
import { SERVICE_CONFIG, ServiceConfig } from '@otklik/service-kit';
import { APP_LOGGER } from '../app.logger';
import type { RetentionRunEntity } from './retention-run.entity';
import { RetentionRepository } from './retention.repository';
import type { RetentionSettings } from './retention.settings';

export const RETENTION_SETTINGS = Symbol('RetentionSettings');

const DAY_MS = 24 * 60 * 60 * 1000;

/** What one run is asked to do; tests pin the clock and the batch size. */
export interface RetentionRunOptions {
  now?: Date;
  batchSize?: number;
}

/**
 * The retention job (152-FZ: keep only what the work needs; docs in tmp/sec-d1.md). Every intake
 * replica runs it once at start and then hourly: raw platform payloads of messages older than
 * INTAKE_RAW_RETENTION_DAYS are cleared, and platform deliveries older than
 * INTAKE_DELIVERY_RETENTION_DAYS are forgotten. Batches of rows claimed with SKIP LOCKED make
 * several replicas safe together; each run is counted in the log and in intake.retention_runs.
 */
@Injectable()
export class RetentionJob implements OnApplicationBootstrap, OnModuleDestroy {
  /** This replica's name on its runs. */
  readonly id = randomUUID();
  private stopped = false;
  private timer?: NodeJS.Timeout;
  private current?: Promise<unknown>;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(RETENTION_SETTINGS) private readonly settings: RetentionSettings,
    private readonly uow: UnitOfWork,
    private readonly retention: RetentionRepository,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.printSchema) return;
    this.stopped = false;
    this.tick();
  }

  /** Stops before the data source shuts down; a batch under way finishes first. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.current;
  }

  /**
   * One run: batches until nothing old is left (or the app stops), messages' raw payloads first,
   * then deliveries. Nobody asked and every organisation's rows are due: system work, so it runs
   * in the all-organisations scope. A failure stops the run; what it purged before is recorded.
   */
  async runOnce(options: RetentionRunOptions = {}): Promise<RetentionRunEntity> {
    const startedAt = new Date();
    const now = options.now ?? startedAt;
    const batchSize = options.batchSize ?? this.settings.batchSize;
    const run: RetentionRunEntity = {
      id: randomUUID(),
      runner: this.id,
      startedAt,
      finishedAt: startedAt,
      rawBefore: new Date(now.getTime() - this.settings.rawRetentionDays * DAY_MS),
      deliveriesBefore: new Date(now.getTime() - this.settings.deliveryRetentionDays * DAY_MS),
      rawPurged: 0,
      deliveriesDeleted: 0,
      batches: 0,
      error: null,
    };
    return callContext.run({ correlationId: newCorrelationId(), orgScope: ALL_ORGS, actor: 'retention' }, async () => {
      try {
        run.rawPurged = await this.inBatches(run, (limit) => this.retention.purgeRaw(run.rawBefore, limit), batchSize);
        run.deliveriesDeleted = await this.inBatches(
          run,
          (limit) => this.retention.deleteDeliveries(run.deliveriesBefore, limit),
          batchSize,
        );
      } catch (error) {
        run.error = (error as Error).message;
      }
      run.finishedAt = new Date();
      await this.uow.run(() => this.retention.recordRun(run));
      const counts = {
        runId: run.id,
        rawPurged: run.rawPurged,
        deliveriesDeleted: run.deliveriesDeleted,
        batches: run.batches,
        rawBefore: run.rawBefore.toISOString(),
        deliveriesBefore: run.deliveriesBefore.toISOString(),
        ms: run.finishedAt.getTime() - startedAt.getTime(),
      };
      if (run.error) this.logger.warn({ ...counts, err: run.error }, 'retention run stopped early; will retry');
      else this.logger.info(counts, 'retention run: raw payloads purged, old deliveries forgotten');
      return run;
    });
  }

  /** Each batch is a transaction of its own, so locks are short; a short batch means none are left. */
  private async inBatches(
    run: RetentionRunEntity,
    batch: (limit: number) => Promise<number>,
    batchSize: number,
  ): Promise<number> {
    let total = 0;
    while (!this.stopped) {
      const done = await this.uow.run(() => batch(batchSize));
      run.batches++;
      total += done;
      if (done < batchSize) break;
    }
    return total;
  }

  /** Runs now, then again `everyMs` after the run ends (never two at once in one replica). */
  private tick(): void {
    if (this.stopped) return;
    const running = this.runOnce()
      .catch((error: unknown) => {
        // Recording the run failed (the database is down, say): the next hour tries again.
        this.logger.warn({ err: (error as Error).message }, 'retention run could not be recorded; will retry');
      })
      .finally(() => {
        if (!this.stopped) this.timer = setTimeout(() => this.tick(), this.settings.everyMs);
      });
    this.current = running;
  }
}
