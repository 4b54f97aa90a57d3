import { Module } from '@nestjs/common';
import { DeadlinesModule } from '../deadlines/deadlines.module';
import { DraftRepository } from '../drafts/draft.repository';
import { DraftResolver } from '../drafts/draft.resolver';
import { OrganizationsModule } from '../organizations/organizations.module';
import { PublicationRepository } from '../publications/publication.repository';
import { StaffModule } from '../staff/staff.module';
import { CaseWorkflowResolver } from './case-workflow.resolver';
import { CaseWorkflowService } from './case-workflow.service';
import { CaseLoader } from './case.loader';
import { CaseRepository } from './case.repository';
import { CaseResolver } from './case.resolver';
import { CaseService } from './case.service';
import { OpenCaseOnMessageAccepted } from './message-accepted.handler';

/** Cases and their workflow: drafts and publications are parts of a case, kept in their own folders. */
@Module({
  imports: [OrganizationsModule, DeadlinesModule, StaffModule],
  providers: [
    CaseRepository,
    DraftRepository,
    PublicationRepository,
    CaseService,
    CaseWorkflowService,
    CaseLoader,
    CaseResolver,
    CaseWorkflowResolver,
    DraftResolver,
    OpenCaseOnMessageAccepted,
  ],
})
export class CasesModule {}
