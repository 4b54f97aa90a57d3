import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SERVICE_CONFIG, ServiceConfig } from '@otklik/service-kit';
import { Claim, PublishingService } from './publishing.service';

/** Calls one replica has under way at most. */
const MAX_IN_FLIGHT = 8;
/** How often an idle replica looks for due publications. */
const POLL_MS = 1_000;
/** On shutdown, calls under way get this long to finish; the rest are retried by another replica when their lease runs out. */
const DRAIN_MS = 10_000;

/**
 * The publishing loop of each replica: claims due publications (PublishingService.claim, FOR
 * UPDATE SKIP LOCKED, so replicas share the work without taking the same row), makes the calls
 * side by side, and claims more as they finish.
 */
@Injectable()
export class PublishingWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PublishingWorker.name);
  private readonly inFlight = new Set<Promise<void>>();
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly publishing: PublishingService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.printSchema) return;
    this.running = true;
    this.loop = this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    const drained = Promise.all(this.inFlight).then(() => true);
    const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), DRAIN_MS).unref());
    if (!(await Promise.race([drained, timeout]))) {
      this.logger.warn(
        `${this.inFlight.size} publication call(s) still under way at shutdown: their leases will run out and another replica retries them with the same idempotency key`,
      );
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      const room = MAX_IN_FLIGHT - this.inFlight.size;
      if (room > 0) {
        try {
          const claims = await this.publishing.claim(room);
          for (const claim of claims) this.start(claim);
          // A full batch: more may be due, look again at once.
          if (claims.length === room) continue;
        } catch (error) {
          this.logger.warn(`could not claim due publications: ${(error as Error).message}`);
        }
      }
      // Woken early when a call finishes (there is room again).
      await this.pause(POLL_MS);
    }
  }

  private start(claim: Claim): void {
    const call = this.publishing
      .publish(claim)
      .catch((error: unknown) => {
        // Recording failed (the database away): the lease runs out and the row is retried with its key.
        this.logger.error(
          `publication ${claim.publication.id}: the outcome could not be recorded: ${(error as Error).message}`,
        );
      })
      .finally(() => {
        this.inFlight.delete(call);
        this.wake?.();
      });
    this.inFlight.add(call);
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(), ms);
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      this.wake = done;
    });
  }
}
