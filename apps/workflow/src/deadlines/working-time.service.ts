import { Injectable } from '@nestjs/common';
import { CalendarError } from '@otklik/calendar';
import { isUuid } from '../graphql/uuid';
import { CalendarService } from '../calendar/calendar.service';
import { OrganizationService } from '../organizations/organization.service';
import { DeadlinePolicyService } from './deadline-policy.service';
import { DeadlineException } from './deadline.exception';
import { DeadlineKind, deadlineDueAt } from './deadline.policy';

/** Deadline arithmetic on an organisation's clock and production calendar, for clients and checks. */
@Injectable()
export class WorkingTimeService {
  constructor(
    private readonly organizations: OrganizationService,
    private readonly calendar: CalendarService,
    private readonly policies: DeadlinePolicyService,
  ) {}

  /** When a deadline of `kind` started at `from` in the organisation falls due, under its deadline policy. */
  async dueAt(organizationId: string, kind: DeadlineKind, from: Date): Promise<Date> {
    if (!isUuid(organizationId)) throw DeadlineException.badInput(`"${organizationId}" is not an organisation id`);
    const organization = await this.organizations.byId(organizationId);
    if (!organization) throw DeadlineException.organizationNotFound(organizationId);
    const [time, policy] = await Promise.all([
      this.calendar.workingTimeIn(organization.timeZone),
      this.policies.policyOf(organizationId),
    ]);
    try {
      return deadlineDueAt(kind, from, time, policy);
    } catch (error) {
      // A year whose production calendar is not loaded: say which, never guess.
      if (error instanceof CalendarError) throw DeadlineException.badInput(error.message);
      throw error;
    }
  }
}
