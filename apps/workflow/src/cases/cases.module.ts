import { Module } from '@nestjs/common';
import { DeadlinesModule } from '../deadlines/deadlines.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { CaseLoader } from './case.loader';
import { CaseRepository } from './case.repository';
import { CaseResolver } from './case.resolver';
import { CaseService } from './case.service';
import { OpenCaseOnMessageAccepted } from './message-accepted.handler';

@Module({
  imports: [OrganizationsModule, DeadlinesModule],
  providers: [CaseRepository, CaseService, CaseLoader, CaseResolver, OpenCaseOnMessageAccepted],
})
export class CasesModule {}
