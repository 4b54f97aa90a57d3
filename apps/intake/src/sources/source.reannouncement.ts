import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { ALL_ORGS, callContext } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';
import { SERVICE_CONFIG, ServiceConfig } from '@otklik/service-kit';
import { APP_LOGGER } from '../app.logger';
import { SourceAnnouncer } from './source.announcer';
import { SourceRepository } from './source.repository';

/**
 * As intake starts, every source is announced again (source.changed). A change announces itself,
 * but notify learns nothing of sources made before announcing existed, or while its own tables
 * were restored from an older backup; this brings it level on each start. Each row is locked
 * while it is announced, so the announcement's version is later than any change already
 * committed, and notify keeps the latest: replicas starting together only repeat themselves.
 */
@Injectable()
export class SourceReannouncement implements OnApplicationBootstrap {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    private readonly uow: UnitOfWork,
    private readonly sources: SourceRepository,
    private readonly announcer: SourceAnnouncer,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.printSchema) return;
    const announced = await callContext.run(
      { correlationId: 'source-reannouncement', orgScope: ALL_ORGS, actor: 'intake-start' },
      () =>
        this.uow.run(async () => {
          const rows = await this.sources.lockAll();
          for (const row of rows) await this.announcer.announce(row);
          return rows.length;
        }),
    );
    this.logger.info({ sources: announced }, 'sources announced to the other services');
  }
}
