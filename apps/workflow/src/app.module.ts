import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { ServiceConfig, SubgraphServiceModule } from '@otklik/service-kit';
import { CalendarChangeEntity } from './calendar/calendar-change.entity';
import { CalendarYearEntity } from './calendar/calendar-year.entity';
import { WorkingCalendarModule } from './calendar/working-calendar.module';
import { CaseEntity } from './cases/case.entity';
import { CaseTransitionEntity } from './cases/case-transition.entity';
import { CasesModule } from './cases/cases.module';
import { MessageReference } from './cases/message.model';
import { DeadlineEntity } from './deadlines/deadline.entity';
import { DeadlinesModule } from './deadlines/deadlines.module';
import { DemoModule } from './demo/demo.module';
import { MIGRATIONS } from './migrations/migrations';
import { OrganizationEntity } from './organizations/organization.entity';
import { OrganizationsModule } from './organizations/organizations.module';
import { RoleAssignmentEntity } from './staff/role-assignment.entity';
import { StaffModule } from './staff/staff.module';
import { UserEntity } from './staff/user.entity';

export const ENTITIES = [
  OrganizationEntity,
  UserEntity,
  RoleAssignmentEntity,
  CaseEntity,
  DeadlineEntity,
  CaseTransitionEntity,
  CalendarYearEntity,
  CalendarChangeEntity,
];

/** workflow: organisations and staff, cases and their deadlines, the working calendar (docs/architecture.md). */
@Module({})
export class AppModule {
  static forConfig(config: ServiceConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        SubgraphServiceModule.forService({
          config,
          logger,
          entities: ENTITIES,
          migrations: MIGRATIONS,
          orphanedTypes: [MessageReference],
        }),
        OrganizationsModule,
        StaffModule,
        DeadlinesModule,
        WorkingCalendarModule,
        CasesModule,
        DemoModule,
      ],
    };
  }
}
