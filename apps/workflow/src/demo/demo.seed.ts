import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DEMO_ORGANIZATIONS, DEMO_USERS, DemoOrganization } from '@otklik/demo';
import { ALL_ORGS, callContext } from '@otklik/observability';
import { UnitOfWork } from '@otklik/persistence';
import { SERVICE_CONFIG, ServiceConfig } from '@otklik/service-kit';
import { OrganizationService } from '../organizations/organization.service';
import { StaffService } from '../staff/staff.service';
import { DemoSeedRepository } from './demo-seed.repository';

/** Organisations before the ones below them. */
function parentsFirst(organizations: readonly DemoOrganization[]): DemoOrganization[] {
  const byCode = new Map(organizations.map((o) => [o.code, o]));
  const depth = (o: DemoOrganization): number =>
    o.parentCode ? 1 + depth(byCode.get(o.parentCode) as DemoOrganization) : 0;
  return [...organizations].sort((a, b) => depth(a) - depth(b));
}

/**
 * workflow's part of the demo district (CONTRACT.md "Demo data"): its organisations, staff and
 * their roles, each appointment announced as StaffAppointed. Only into an empty database, once
 * even when replicas start together.
 */
@Injectable()
export class DemoSeed implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoSeed.name);

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly uow: UnitOfWork,
    private readonly seeds: DemoSeedRepository,
    private readonly organizations: OrganizationService,
    private readonly staff: StaffService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.demoSeed || this.config.printSchema) return;
    // Seeding writes rows of every demo organisation: system work, so every organisation's scope.
    const seeded = await callContext.run({ correlationId: 'demo-seed', orgScope: ALL_ORGS, actor: 'demo-seed' }, () =>
      this.uow.run(async () => {
        await this.seeds.lock();
        if (await this.organizations.any()) return false;
        const idOf = new Map(DEMO_ORGANIZATIONS.map((o) => [o.code, o.id]));
        for (const o of parentsFirst(DEMO_ORGANIZATIONS)) {
          await this.organizations.create({
            id: o.id,
            code: o.code,
            name: o.name,
            kind: o.kind,
            parentId: o.parentCode ? (idOf.get(o.parentCode) as string) : null,
            timeZone: o.timeZone,
          });
        }
        for (const u of DEMO_USERS) {
          const user = { id: u.id, login: u.login, displayName: u.displayName, email: u.email };
          await this.staff.addUser(user);
          for (const r of u.roles) {
            await this.staff.appoint(user, {
              organizationId: idOf.get(r.organizationCode) as string,
              role: r.role,
              orderNumber: r.orderNumber,
              orderDate: r.orderDate,
            });
          }
        }
        return true;
      }),
    );
    if (seeded) {
      this.logger.log(`demo district seeded: ${DEMO_ORGANIZATIONS.length} organisations, ${DEMO_USERS.length} users`);
    }
  }
}
