import { Injectable } from '@nestjs/common';
import { TaxonomyTopic, TextClassifier, TopicRanker } from '@otklik/classifier';
import { ALL_ORGS, callContext } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';
import type { RoutingTarget } from './routing-model.entity';
import { RoutingModelState, RoutingRepository, TaxonomyState } from './routing.repository';

/**
 * How long a replica trusts the model versions it read. A model trained here is seen at once
 * (the cache is dropped); one trained by another replica within this time.
 */
export const ROUTING_MODEL_CACHE_MS = 10_000;

export const modelKey = (organizationId: string, target: RoutingTarget): string => `${organizationId}|${target}`;

/** Which models and taxonomies exist, at one moment. */
export interface RoutingStates {
  readonly models: ReadonlyMap<string, RoutingModelState>;
  readonly taxonomies: ReadonlyMap<string, TaxonomyState>;
}

/** A taxonomy ready to rank, and its topics by name (to give a trained model's topics their codes). */
export interface LoadedTaxonomy {
  readonly ranker: TopicRanker;
  readonly byName: ReadonlyMap<string, TaxonomyTopic>;
}

/**
 * Trained models and taxonomies, kept per replica and read again only when their version
 * changes: suggestions rank with what is in memory. Reading them is system work (every
 * organisation's rows): a sel'sovet's case is suggested routes by its district's model.
 */
@Injectable()
export class RoutingModelCache {
  private states?: { value: Promise<RoutingStates>; at: number };
  private readonly classifiers = new Map<string, { version: number; value: Promise<TextClassifier | null> }>();
  private readonly taxonomies = new Map<string, { version: number; value: Promise<LoadedTaxonomy | null> }>();

  constructor(
    private readonly uow: UnitOfWork,
    private readonly routing: RoutingRepository,
  ) {}

  current(): Promise<RoutingStates> {
    if (this.states && Date.now() - this.states.at < ROUTING_MODEL_CACHE_MS) return this.states.value;
    const value = this.system(async () => {
      const [models, taxonomies] = await Promise.all([this.routing.modelStates(), this.routing.taxonomyStates()]);
      return {
        models: new Map(models.map((m) => [modelKey(m.organizationId, m.target), m])),
        taxonomies: new Map(taxonomies.map((t) => [t.organizationId, t])),
      };
    });
    this.states = { value, at: Date.now() };
    value.catch(() => (this.states = undefined));
    return value;
  }

  /** After this replica trains or imports: the next read sees it. */
  invalidate(): void {
    this.states = undefined;
  }

  /** The model of this state's version (null when it has none), read once per version. */
  classifier(state: RoutingModelState): Promise<TextClassifier | null> {
    const key = modelKey(state.organizationId, state.target);
    const cached = this.classifiers.get(key);
    if (cached && cached.version === state.version) return cached.value;
    const value = this.system(async () => {
      const row = await this.routing.modelOf(state.organizationId, state.target);
      return row?.model ? TextClassifier.fromJson(row.model) : null;
    });
    this.classifiers.set(key, { version: state.version, value });
    value.catch(() => this.classifiers.delete(key));
    return value;
  }

  taxonomy(state: TaxonomyState): Promise<LoadedTaxonomy | null> {
    const cached = this.taxonomies.get(state.organizationId);
    if (cached && cached.version === state.version) return cached.value;
    const value = this.system(async () => {
      const row = await this.routing.taxonomyOf(state.organizationId);
      if (!row) return null;
      const ranker = TopicRanker.fromTaxonomy(row.taxonomy);
      return { ranker, byName: new Map(ranker.topics.map((t) => [t.name.toLowerCase(), t])) };
    });
    this.taxonomies.set(state.organizationId, { version: state.version, value });
    value.catch(() => this.taxonomies.delete(state.organizationId));
    return value;
  }

  private system<T>(work: () => Promise<T>): Promise<T> {
    const caller = callContext.current();
    return callContext.run(
      { correlationId: caller?.correlationId ?? 'routing-models', orgScope: ALL_ORGS, actor: caller?.actor },
      () => this.uow.runIsolated(work),
    );
  }
}
