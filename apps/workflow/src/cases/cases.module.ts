import { Module } from '@nestjs/common';
import { DeadlinesModule } from '../deadlines/deadlines.module';
import { DraftRepository } from '../drafts/draft.repository';
import { DraftResolver } from '../drafts/draft.resolver';
import { OrganizationsModule } from '../organizations/organizations.module';
import { PersonalDataModule } from '../personal-data/personal-data.module';
import { PublicationCompletedHandler } from '../publications/publication-completed.handler';
import { PublicationRepository } from '../publications/publication.repository';
import { RoutingModule } from '../routing/routing.module';
import { StaffModule } from '../staff/staff.module';
import { CaseWorkflowResolver } from './case-workflow.resolver';
import { CaseRepeatRepository } from './case-repeat.repository';
import { CaseRepeatService } from './case-repeat.service';
import { CaseWorkflowService } from './case-workflow.service';
import { CaseLoader } from './case.loader';
import { CaseRepository } from './case.repository';
import { CaseResolver } from './case.resolver';
import { CaseService } from './case.service';
import { OpenCaseOnMessageAccepted } from './message-accepted.handler';
import { UncasedMessageRepository } from './uncased-message.repository';
import { UncasedMessageResolver } from './uncased-message.resolver';
import { UncasedMessageService } from './uncased-message.service';

/** Cases and their workflow: drafts and publications are parts of a case, kept in their own folders. */
@Module({
  imports: [OrganizationsModule, DeadlinesModule, StaffModule, RoutingModule, PersonalDataModule],
  providers: [
    CaseRepository,
    CaseRepeatRepository,
    CaseRepeatService,
    DraftRepository,
    PublicationRepository,
    CaseService,
    CaseWorkflowService,
    CaseLoader,
    CaseResolver,
    CaseWorkflowResolver,
    DraftResolver,
    OpenCaseOnMessageAccepted,
    PublicationCompletedHandler,
    UncasedMessageRepository,
    UncasedMessageService,
    UncasedMessageResolver,
  ],
})
export class CasesModule {}
