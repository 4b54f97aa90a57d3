import { InitWorkflow1795900000000 } from './1795900000000-init-workflow';
import { DeadlineTimers1795907764000 } from './1795907764000-deadline-timers';
import { CalendarYears1795990000000 } from './1795990000000-calendar-years';
import { CaseWorkflow1796000000000 } from './1796000000000-case-workflow';
import { CaseScreening1796400000000 } from './1796400000000-case-screening';
import { DeadlinePolicies1796100000000 } from './1796100000000-deadline-policies';
import { Attachments1796200000000 } from './1796200000000-attachments';
import { RoutingModels1796600000000 } from './1796600000000-routing-models';
import { RepeatSimilarity1796700000000 } from './1796700000000-repeat-similarity';
import { UncasedMessages1796800000000 } from './1796800000000-uncased-messages';
import { StaffAccessChanges1797300000000 } from './1797300000000-staff-access-changes';
import { AuthorErasure1797500000000 } from './1797500000000-author-erasure';

/** Every migration of the workflow schema, oldest first. */
export const MIGRATIONS = [
  InitWorkflow1795900000000,
  DeadlineTimers1795907764000,
  CalendarYears1795990000000,
  CaseWorkflow1796000000000,
  DeadlinePolicies1796100000000,
  Attachments1796200000000,
  CaseScreening1796400000000,
  RoutingModels1796600000000,
  RepeatSimilarity1796700000000,
  UncasedMessages1796800000000,
  StaffAccessChanges1797300000000,
  AuthorErasure1797500000000,
];
