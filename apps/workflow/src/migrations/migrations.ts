import { InitWorkflow1795900000000 } from './1795900000000-init-workflow';
import { DeadlineTimers1795907764000 } from './1795907764000-deadline-timers';
import { CalendarYears1795990000000 } from './1795990000000-calendar-years';

/** Every migration of the workflow schema, oldest first. */
export const MIGRATIONS = [InitWorkflow1795900000000, DeadlineTimers1795907764000, CalendarYears1795990000000];
