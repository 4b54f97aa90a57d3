import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DEMO_USERS, demoOrganization } from '@otklik/demo';
import { ALL_ORGS, callContext, newCorrelationId } from '@otklik/observability';
import { SERVICE_CONFIG, ServiceConfig } from '@otklik/service-kit';
import { RecipientEntity } from '../recipients/recipient.entity';
import { RecipientService } from '../recipients/recipient.service';

/** The demo district's staff as notify's recipients: one row per role a demo user holds. */
export function demoRecipients(at: Date): RecipientEntity[] {
  return DEMO_USERS.flatMap((user) =>
    user.roles.map((role) =>
      Object.assign(new RecipientEntity(), {
        userId: user.id,
        organizationId: demoOrganization(role.organizationCode).id,
        role: role.role,
        login: user.login,
        displayName: user.displayName,
        email: user.email,
        updatedAt: at,
      }),
    ),
  );
}

/**
 * With OTKLIK_DEMO_SEED, fills an empty recipients table with the demo staff, so the demo
 * notifies its officials even before workflow's StaffAppointed events arrive (those then
 * refresh the rows: the seed's time is older than theirs).
 */
@Injectable()
export class DemoSeed implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoSeed.name);

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly recipients: RecipientService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.demoSeed || this.config.printSchema) return;
    const inserted = await this.seed();
    if (inserted > 0) this.logger.log(`demo district seeded: ${inserted} recipients`);
  }

  /** System work across the demo's organisations, hence ALL_ORGS. */
  seed(): Promise<number> {
    return callContext.run({ correlationId: newCorrelationId(), orgScope: ALL_ORGS, actor: 'demo-seed' }, () =>
      this.recipients.seedIfEmpty(demoRecipients(new Date(0))),
    );
  }
}
