import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Example, heldOutFigures, HeldOutFigures, TextClassifier } from '@otklik/classifier';
import { ALL_ORGS, callContext, newCorrelationId } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';
import { SERVICE_CONFIG, ServiceConfig } from '@otklik/service-kit';
import { OrganizationTree } from '../organizations/organization.tree';
import { RoutingModelEntity, RoutingTarget } from './routing-model.entity';
import { RoutingModelCache } from './routing-model.cache';
import { RoutingRepository } from './routing.repository';

/** A tree's newest examples that one training reads, at most. */
export const MAX_TRAINING_EXAMPLES = 20_000;
/** Trees with at most this many examples are trained within the request that asks; larger ones in the background. */
export const INLINE_TRAINING_EXAMPLES = 500;
/** A tree's models are retrained once this many corrections have come since they were trained. */
export const RETRAIN_AFTER_CORRECTIONS = 50;
/** Below this many examples, no held-out figures: a 20 % of a handful says nothing. */
const MIN_HELD_OUT_EXAMPLES = 20;

export type TrainingOutcome = 'TRAINED' | 'BUSY';

/**
 * Trains a tree's routing and topic models from its examples, and (a loop in every replica)
 * retrains the trees that asked for it or gathered enough corrections. A transaction-scoped
 * advisory lock per tree makes one replica train it at a time; the others skip it. Training
 * runs in-process but gives the event loop a turn every few hundred examples.
 */
@Injectable()
export class RoutingTrainer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RoutingTrainer.name);
  /** Pause between looks for trees to retrain; tests may shorten it before bootstrap. */
  intervalMs = 30_000;
  private stopped = false;
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly uow: UnitOfWork,
    private readonly routing: RoutingRepository,
    private readonly tree: OrganizationTree,
    private readonly cache: RoutingModelCache,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.printSchema) return;
    this.stopped = false;
    this.loop = this.run();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  /** Looks for work now rather than at the next interval (a large import was just stored). */
  kick(): void {
    this.wake?.();
  }

  /**
   * Trains both models of the tree of `organizationId` from its examples, in one transaction
   * holding the tree's lock; BUSY when `wait` is false and someone else holds it.
   */
  train(organizationId: string, wait: boolean): Promise<TrainingOutcome> {
    // Its own transaction even when called inside another: what it reads must be committed.
    return this.system(() =>
      this.uow.runIsolated(async (): Promise<TrainingOutcome> => {
        if (!(await this.routing.lockTraining(organizationId, wait))) return 'BUSY';
        const startedAt = new Date();
        const tree = await this.tree.current(organizationId);
        const subtree = tree.subtreesOf([organizationId]);
        const examples = await this.routing.examplesOf([...subtree], MAX_TRAINING_EXAMPLES);
        const sets: Record<RoutingTarget, Example[]> = {
          ORGANIZATION: examples
            .filter((e) => e.routed && subtree.has(e.organizationId))
            .map((e) => ({ text: e.text, label: e.organizationId })),
          TOPIC: examples.filter((e) => e.topic !== null).map((e) => ({ text: e.text, label: e.topic as string })),
        };
        for (const target of ['ORGANIZATION', 'TOPIC'] as const) {
          const previous = await this.routing.modelOf(organizationId, target);
          await this.routing.saveModel(await this.trained(organizationId, target, sets[target], previous, startedAt));
        }
        return 'TRAINED';
      }),
    ).finally(() => this.cache.invalidate());
  }

  /** How many examples the tree of `organizationId` has now (to choose between training now and in the background). */
  examplesOf(organizationId: string): Promise<number> {
    return this.system(async () => {
      const subtree = (await this.tree.current(organizationId)).subtreesOf([organizationId]);
      return (await this.uow.run(() => this.routing.examplesOf([...subtree], INLINE_TRAINING_EXAMPLES + 1))).length;
    });
  }

  /** The trees whose models are asked for or have gathered enough corrections; each trained unless busy. */
  async retrainDue(): Promise<number> {
    const due = await this.system(() =>
      this.uow.run(async () => {
        const states = await this.routing.modelStates();
        const tree = await this.tree.current();
        const owners = [...new Set(states.map((s) => s.organizationId))];
        const wanted: string[] = [];
        for (const owner of owners) {
          const own = states.filter((s) => s.organizationId === owner);
          if (own.some((s) => s.requestedAt !== null)) {
            wanted.push(owner);
            continue;
          }
          const trainedAt = own.map((s) => s.trainedAt?.getTime() ?? null);
          const since = trainedAt.includes(null) ? null : new Date(Math.min(...(trainedAt as number[])));
          const corrections = await this.routing.correctionsSince([...tree.subtreesOf([owner])], since);
          if (corrections >= RETRAIN_AFTER_CORRECTIONS) wanted.push(owner);
        }
        return wanted;
      }),
    );
    let trained = 0;
    for (const owner of due) {
      if (this.stopped) break;
      if ((await this.train(owner, false)) === 'TRAINED') {
        trained += 1;
        this.logger.log(`routing models of organisation ${owner} retrained`);
      }
    }
    return trained;
  }

  private async trained(
    organizationId: string,
    target: RoutingTarget,
    examples: readonly Example[],
    previous: RoutingModelEntity | null,
    startedAt: Date,
  ): Promise<RoutingModelEntity> {
    const labels = new Set(examples.map((e) => e.label)).size;
    // One label is no choice: no model, until the examples name a second.
    const classifier = labels >= 2 ? await TextClassifier.trainAsync(examples) : null;
    const figures: HeldOutFigures | null =
      classifier && examples.length >= MIN_HELD_OUT_EXAMPLES ? await heldOutFigures(examples) : null;
    return Object.assign(new RoutingModelEntity(), {
      organizationId,
      target,
      version: (previous?.version ?? 0) + 1,
      model: classifier?.toJson() ?? null,
      trainedAt: startedAt,
      examples: examples.length,
      labels,
      features: classifier?.features ?? 0,
      heldOutSize: figures?.testSize ?? null,
      heldOutTop1: figures?.top1 ?? null,
      heldOutTop3: figures?.top3 ?? null,
      requestedAt: null,
      requestedBy: null,
    } satisfies RoutingModelEntity);
  }

  private system<T>(work: () => Promise<T>): Promise<T> {
    const caller = callContext.current();
    return callContext.run(
      {
        correlationId: caller?.correlationId ?? newCorrelationId(),
        orgScope: ALL_ORGS,
        actor: caller?.actor ?? 'routing',
      },
      work,
    );
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      await this.sleep(
        failures === 0 ? this.intervalMs : Math.min(this.intervalMs * 2 ** Math.min(failures, 4), 300_000),
      );
      if (this.stopped) break;
      try {
        await this.retrainDue();
        failures = 0;
      } catch (error) {
        failures++;
        if (failures === 1 || failures % 20 === 0) {
          this.logger.warn(`routing retraining failed (${failures} in a row), will retry: ${(error as Error).message}`);
        }
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const wake = (): void => {
        clearTimeout(timer);
        done();
      };
      this.wake = wake;
      function done(): void {
        resolve();
      }
    });
  }
}
