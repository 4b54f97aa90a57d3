import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { ALL_ORGS, callContext, newCorrelationId } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';
import { SourceRepository } from './source.repository';
import { Source, SourceSecrets } from './source.secrets';

/**
 * How long a looked-up source is reused. Every webhook names its source, and the lookup would
 * otherwise be a transaction of its own per request; a disabled source or a new secret takes
 * effect within this time on other replicas (at once on the replica that made the change). The
 * previous secret's end is checked at each use (validSecrets), so a cached source never accepts
 * it past its overlap.
 */
export const SOURCE_CACHE_TTL_MS = 5_000;

@Injectable()
export class SourceService {
  /** Unknown ids are remembered too (as null), so a flood of bad paths does not reach the database. */
  private readonly cache = new LRUCache<string, { source: Source | null }>({
    max: 10_000,
    ttl: SOURCE_CACHE_TTL_MS,
  });

  constructor(
    private readonly uow: UnitOfWork,
    private readonly sources: SourceRepository,
    private readonly secrets: SourceSecrets,
  ) {}

  /**
   * The source a webhook names in its path, with its secrets opened. Looked up across all
   * organisations: which organisation a webhook belongs to is known only from its source, and
   * the caller is not trusted yet. Nothing but the source row is read; the caller checks its
   * signature next.
   */
  async findForWebhook(id: string): Promise<Source | null> {
    const cached = this.cache.get(id);
    if (cached) return cached.source;
    const correlationId = callContext.correlationId() ?? newCorrelationId();
    const row = await callContext.run({ correlationId, orgScope: ALL_ORGS, actor: 'webhook' }, () =>
      this.uow.run(() => this.sources.findById(id)),
    );
    const source = row ? this.secrets.open(row) : null;
    this.cache.set(id, { source });
    return source;
  }

  /** A source changed here: the next webhook reads it again. */
  forget(id: string): void {
    this.cache.delete(id);
  }
}
