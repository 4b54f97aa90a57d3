import { Injectable } from '@nestjs/common';
import { ALL_ORGS, callContext, newCorrelationId } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';
import { SourceEntity } from './source.entity';
import { SourceRepository } from './source.repository';

@Injectable()
export class SourceService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly sources: SourceRepository,
  ) {}

  /**
   * The source a webhook names in its path. Looked up across all organisations: which
   * organisation a webhook belongs to is known only from its source, and the caller is not
   * trusted yet. Nothing but the source row is read; the caller checks its signature next.
   */
  findForWebhook(id: string): Promise<SourceEntity | null> {
    const correlationId = callContext.correlationId() ?? newCorrelationId();
    return callContext.run({ correlationId, orgScope: ALL_ORGS, actor: 'webhook' }, () =>
      this.uow.run(() => this.sources.findById(id)),
    );
  }
}
