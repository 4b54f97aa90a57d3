import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { DEMO_SOURCES, demoOrganization } from '@otklik/demo';
import { ALL_ORGS, callContext } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';
import { SERVICE_CONFIG, ServiceConfig } from '@otklik/service-kit';
import { APP_LOGGER } from '../app.logger';
import { SourceAnnouncer } from '../sources/source.announcer';
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
    private readonly announcer: SourceAnnouncer,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.demoSeed || this.config.printSchema) return;
    // System work at start-up: the demo sources belong to the demo organisation, whatever the caller.
    const inserted = await callContext.run({ correlationId: 'demo-seed', orgScope: ALL_ORGS, actor: 'demo-seed' }, () =>
      this.uow.run(async () => {
        await this.sources.lockForSeeding();
        if ((await this.sources.count()) > 0) return 0;
        const seeded = await this.sources.insertMissing(
          DEMO_SOURCES.map((s) => ({
            id: s.id,
            organizationId: demoOrganization(s.organizationCode).id,
            platform: s.platform,
            kind: s.kind,
            name: s.name,
            secret: s.secret,
            requireTimestamp: false,
            ...splitSettings(s.id, s.settings),
            enabled: true,
          })),
        );
        // notify publishes answers through the demo VK and Telegram accounts: it learns them as it would any source.
        for (const { id } of DEMO_SOURCES) {
          const row = await this.sources.findById(id);
          if (row) await this.announcer.announce(row);
        }
        return seeded;
      }),
    );
    if (inserted > 0) this.logger.info({ sources: inserted }, 'demo sources seeded');
  }
}

/** The pages the demo accounts would have (the official site lists them: cl. 3). */
const DEMO_PUBLIC_PAGES: Readonly<Record<string, string>> = {
  'demo-vk': 'https://vk.com/club1',
  'demo-telegram': 'https://t.me/otklik_demo_bot',
};

/** @otklik/demo keeps a source's tokens among its settings; they are stored as sealed credentials. */
const CREDENTIAL_SETTINGS = ['accessToken', 'botToken'];

function splitSettings(id: string, given: Readonly<Record<string, string | number>>) {
  const settings: Record<string, unknown> = {};
  const credentials: Record<string, string> = {};
  for (const [key, value] of Object.entries(given)) {
    if (CREDENTIAL_SETTINGS.includes(key)) credentials[key] = String(value);
    else settings[key] = value;
  }
  const publicUrl = DEMO_PUBLIC_PAGES[id];
  return { settings: publicUrl ? { ...settings, publicUrl } : settings, credentials };
}
