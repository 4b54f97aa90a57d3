import { Module } from '@nestjs/common';
import { DeadlinesModule } from '../deadlines/deadlines.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { CalendarModule } from './calendar.module';
import { WorkingCalendarResolver } from './working-calendar.resolver';
import { WorkingCalendarService } from './working-calendar.service';

/**
 * The working calendar's GraphQL: reading a year, loading one. Apart from CalendarModule
 * because loading recomputes deadlines, while deadlines read the calendar.
 */
@Module({
  imports: [CalendarModule, DeadlinesModule, OrganizationsModule],
  providers: [WorkingCalendarService, WorkingCalendarResolver],
})
export class WorkingCalendarModule {}
