import { Injectable } from '@nestjs/common';
import { bundledYears, calendarFor, WorkingTime, workingSchedule } from '@otklik/calendar';
import { FALLBACK_TIME_ZONE } from '../notifications/notification.text';

/**
 * The working hours of an organisation, as notify knows them. workflow owns the organisations'
 * calendars and time zones and announces neither yet, so every organisation is taken to keep
 * the default Russian production calendar bundled with libs/calendar (2024–2027) on the demo
 * district's clock (FALLBACK_TIME_ZONE). When workflow announces them, this is the one place to
 * change.
 */
@Injectable()
export class WorkingHours {
  private readonly time = new WorkingTime(calendarFor(bundledYears), workingSchedule(FALLBACK_TIME_ZONE));

  of(_organizationId: string): WorkingTime {
    return this.time;
  }
}
