import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { StaffModule } from '../staff/staff.module';
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
  ],
  exports: [DeadlineService, DeadlineLoader],
})
export class DeadlinesModule {}
