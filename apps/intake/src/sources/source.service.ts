import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { ALL_ORGS, callContext, newCorrelationId } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';
import { SourceEntity } from './source.entity';
import { SourceRepository } from './source.repository';

/**
 * How long a looked-up source is reused. Every webhook names its source, and the lookup would
 * otherwise be a transaction of its own per request; a disabled source or a new secret takes
 * effect within this time.
 */
export const SOURCE_CACHE_TTL_MS = 5_000;

@Injectable()
export class SourceService {
  /** Unknown ids are remembered too (as null), so a flood of bad paths does not reach the database. */
  private readonly cache = new LRUCache<string, { source: SourceEntity | null }>({
    max: 10_000,
    ttl: SOURCE_CACHE_TTL_MS,
  });

  constructor(
    private readonly uow: UnitOfWork,
    private readonly sources: SourceRepository,
  ) {}

  /**
   * The source a webhook names in its path. Looked up across all organisations: which
   * organisation a webhook belongs to is known only from its source, and the caller is not
   * trusted yet. Nothing but the source row is read; the caller checks its signature next.
   */
  async findForWebhook(id: string): Promise<SourceEntity | null> {
    const cached = this.cache.get(id);
    if (cached) return cached.source;
    const correlationId = callContext.correlationId() ?? newCorrelationId();
    const source = await callContext.run({ correlationId, orgScope: ALL_ORGS, actor: 'webhook' }, () =>
      this.uow.run(() => this.sources.findById(id)),
    );
    this.cache.set(id, { source });
    return source;
  }
}
