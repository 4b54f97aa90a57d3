import { Module } from '@nestjs/common';
import { CalendarRepository } from './calendar.repository';
import { CalendarService } from './calendar.service';

/** The working calendar in use (bundled years overridden by stored ones), for deadlines and its GraphQL. */
@Module({
  providers: [CalendarRepository, CalendarService],
  exports: [CalendarRepository, CalendarService],
})
export class CalendarModule {}
