import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { StaffModule } from '../staff/staff.module';
import { DeadlinePolicyRepository } from './deadline-policy.repository';
import { DeadlinePolicyResolver } from './deadline-policy.resolver';
import { DeadlinePolicyService } from './deadline-policy.service';
import { DeadlinePolicySettingsService } from './deadline-policy-settings.service';
import { DeadlineLoader } from './deadline.loader';
import { DeadlineRepository } from './deadline.repository';
import { DeadlineResolver } from './deadline.resolver';
import { DeadlineService } from './deadline.service';
import { DeadlineTimers } from './deadline.timers';
import { WorkingTimeResolver } from './working-time.resolver';
import { WorkingTimeService } from './working-time.service';

@Module({
  imports: [StaffModule, OrganizationsModule, CalendarModule],
  providers: [
    DeadlineRepository,
    DeadlineService,
    DeadlineTimers,
    DeadlineLoader,
    DeadlineResolver,
    WorkingTimeService,
    WorkingTimeResolver,
    DeadlinePolicyRepository,
    DeadlinePolicyService,
    DeadlinePolicySettingsService,
    DeadlinePolicyResolver,
  ],
  exports: [DeadlineService, DeadlineLoader],
})
export class DeadlinesModule {}
