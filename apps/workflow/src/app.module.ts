import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { SubgraphServiceModule } from '@otklik/service-kit';
import { AttachmentEntity } from './attachments/attachment.entity';
import { AttachmentsModule } from './attachments/attachments.module';
import { CalendarChangeEntity } from './calendar/calendar-change.entity';
import { CalendarYearEntity } from './calendar/calendar-year.entity';
import { WorkingCalendarModule } from './calendar/working-calendar.module';
import { CaseEntity } from './cases/case.entity';
import { CaseCommentEntity } from './cases/case-comment.entity';
import { CaseLinkEntity } from './cases/case-link.entity';
import { CaseMessageEntity } from './cases/case-message.entity';
import { CaseTransitionEntity } from './cases/case-transition.entity';
import { DraftEntity } from './drafts/draft.entity';
import { PublicationEntity } from './publications/publication.entity';
import { CasesModule } from './cases/cases.module';
import { MessageReference } from './cases/message.model';
import { DeadlinePolicyChangeEntity } from './deadlines/deadline-policy-change.entity';
import { DeadlinePolicyEntity } from './deadlines/deadline-policy.entity';
import { DeadlineEntity } from './deadlines/deadline.entity';
import { DeadlinesModule } from './deadlines/deadlines.module';
import { DemoModule } from './demo/demo.module';
import { MIGRATIONS } from './migrations/migrations';
import { OrganizationEntity } from './organizations/organization.entity';
import { OrganizationsModule } from './organizations/organizations.module';
import { RoutingExampleEntity } from './routing/routing-example.entity';
import { RoutingModelEntity } from './routing/routing-model.entity';
import { RoutingTaxonomyEntity } from './routing/routing-taxonomy.entity';
import { RoleAssignmentEntity } from './staff/role-assignment.entity';
import { StaffAccessChangeEntity } from './staff/staff-access-change.entity';
import { StaffModule } from './staff/staff.module';
import { UserEntity } from './staff/user.entity';
import type { WorkflowConfig } from './workflow.config';

export const ENTITIES = [
  OrganizationEntity,
  UserEntity,
  RoleAssignmentEntity,
  StaffAccessChangeEntity,
  CaseEntity,
  DeadlineEntity,
  CaseTransitionEntity,
  CaseCommentEntity,
  CaseLinkEntity,
  CaseMessageEntity,
  DraftEntity,
  PublicationEntity,
  CalendarYearEntity,
  CalendarChangeEntity,
  DeadlinePolicyEntity,
  DeadlinePolicyChangeEntity,
  AttachmentEntity,
  RoutingExampleEntity,
  RoutingModelEntity,
  RoutingTaxonomyEntity,
];

/** workflow: organisations and staff, cases and their deadlines, the working calendar (docs/architecture.md). */
@Module({})
export class AppModule {
  static forConfig(config: WorkflowConfig, logger: Logger): DynamicModule {
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
        AttachmentsModule.forConfig(config),
        CasesModule,
        DemoModule,
      ],
    };
  }
}
