import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { DEMO_SOURCES, demoOrganization } from '@otklik/demo';
import { ALL_ORGS, callContext } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';
import { SERVICE_CONFIG, ServiceConfig } from '@otklik/service-kit';
import { APP_LOGGER } from '../app.logger';
import { SourceRepository } from '../sources/source.repository';

/**
 * Intake's part of the demo district (CONTRACT.md "Demo data"): its sources, with the fixed ids
 * of @otklik/demo. Only into an empty table, and safe when replicas start together: one
 * transaction under an advisory lock, and ON CONFLICT DO NOTHING besides.
 */
@Injectable()
export class DemoSeed implements OnApplicationBootstrap {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    private readonly uow: UnitOfWork,
    private readonly sources: SourceRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.demoSeed || this.config.printSchema) return;
    // System work at start-up: the demo sources belong to the demo organisation, whatever the caller.
    const inserted = await callContext.run({ correlationId: 'demo-seed', orgScope: ALL_ORGS, actor: 'demo-seed' }, () =>
      this.uow.run(async () => {
        await this.sources.lockForSeeding();
        if ((await this.sources.count()) > 0) return 0;
        return this.sources.insertMissing(
          DEMO_SOURCES.map((s) => ({
            id: s.id,
            organizationId: demoOrganization(s.organizationCode).id,
            platform: s.platform,
            kind: s.kind,
            name: s.name,
            secret: s.secret,
            requireTimestamp: false,
            settings: { ...s.settings },
            enabled: true,
          })),
        );
      }),
    );
    if (inserted > 0) this.logger.info({ sources: inserted }, 'demo sources seeded');
  }
}
