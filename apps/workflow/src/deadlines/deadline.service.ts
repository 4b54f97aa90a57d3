import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import {
  DeadlineAtRisk,
  DeadlineAtRiskV1,
  DeadlineBreached,
  DeadlineBreachedV1,
  EventType,
  EventValidationError,
} from '@otklik/contracts';
import { EventOutbox } from '@otklik/messaging';
import { CalendarError, WorkingTime } from '@otklik/calendar';
import { UnitOfWork } from '@otklik/persistence';
import { CalendarService } from '../calendar/calendar.service';
import { DeadlineEntity } from './deadline.entity';
import {
  currentDeadlineState,
  deadlineAtRiskAt,
  deadlineDueAt,
  DeadlineKind,
  DeadlineState,
  routeDueAt,
} from './deadline.policy';
import { DeadlineRepository, DeadlineTimer, FiredDeadline } from './deadline.repository';

/** A deadline as a reader sees it: its state read against the clock now. */
export interface DeadlineView {
  caseId: string;
  kind: DeadlineKind;
  startedAt: Date;
  dueAt: Date;
  state: DeadlineState;
  responsibleUserId: string | null;
}

/** How many deadlines of each timer fired in one batch. */
export interface FiredTimers {
  atRisk: number;
  breached: number;
}

/** What each timer announces; both events carry the same payload. */
const TIMER_EVENTS: Record<DeadlineTimer, EventType<DeadlineAtRiskV1 | DeadlineBreachedV1>> = {
  atRisk: DeadlineAtRisk,
  breached: DeadlineBreached,
};

function firedPayload(d: FiredDeadline): DeadlineAtRiskV1 & DeadlineBreachedV1 {
  return {
    deadlineId: d.id,
    caseId: d.caseId,
    kind: d.kind,
    dueAt: d.dueAt.toISOString(),
    ...(d.responsibleUserId ? { responsibleUserId: d.responsibleUserId } : {}),
    firedAt: d.firedAt.toISOString(),
  };
}

@Injectable()
export class DeadlineService {
  private readonly logger = new Logger(DeadlineService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly deadlines: DeadlineRepository,
    private readonly outbox: EventOutbox,
    private readonly calendar: CalendarService,
  ) {}

  /** ROUTE (cl. 5): starts at detection, due 8 working hours later on the organisation's clock. */
  startRoute(input: {
    caseId: string;
    organizationId: string;
    detectedAt: Date;
    timeZone: string;
  }): Promise<DeadlineEntity> {
    return this.uow.run(async () => {
      const time = await this.calendar.workingTimeIn(input.timeZone);
      const due = routeDueAt(input.detectedAt, time);
      const deadline = Object.assign(new DeadlineEntity(), {
        id: randomUUID(),
        caseId: input.caseId,
        organizationId: input.organizationId,
        kind: 'ROUTE',
        startedAt: input.detectedAt,
        dueAt: due,
        state: 'ON_TRACK',
        responsibleUserId: null,
        metAt: null,
        atRiskAt: deadlineAtRiskAt(due, time),
        atRiskFiredAt: null,
        breachedFiredAt: null,
      } satisfies DeadlineEntity);
      await this.deadlines.insert(deadline);
      return deadline;
    });
  }

  /** The deadlines of these cases, oldest first, with AT_RISK / OVERDUE read against `now`. */
  async forCases(caseIds: readonly string[], now: Date = new Date()): Promise<DeadlineView[]> {
    const calendar = await this.calendar.current();
    return this.uow.run(async () =>
      (await this.deadlines.forCases(caseIds)).map(({ deadline, timeZone }) => ({
        caseId: deadline.caseId,
        kind: deadline.kind,
        startedAt: deadline.startedAt,
        dueAt: deadline.dueAt,
        state: currentDeadlineState(deadline, now, calendar.workingTimeIn(timeZone)),
        responsibleUserId: deadline.responsibleUserId,
      })),
    );
  }

  /**
   * After a calendar year changed (in the open transaction): the open deadlines that started or
   * fall due in that year get due_at and at_risk_at again from their kind and start, on
   * `workingTimeIn` (the new calendar). Fired timers keep their fired_at. A deadline the new
   * calendar cannot place (its due runs into a year not loaded) keeps its moments and is logged.
   * Returns how many were recomputed.
   */
  async recomputeOpenInYear(year: number, workingTimeIn: (timeZone: string) => WorkingTime): Promise<number> {
    return this.uow.run(async () => {
      let recomputed = 0;
      for (const { deadline, timeZone } of await this.deadlines.openTouchingYear(year)) {
        const time = workingTimeIn(timeZone);
        let due: Date;
        try {
          due = deadlineDueAt(deadline.kind, deadline.startedAt, time);
        } catch (error) {
          if (!(error instanceof CalendarError)) throw error;
          this.logger.warn(`deadline ${deadline.id} keeps its due time: ${error.message}`);
          continue;
        }
        await this.deadlines.reschedule(deadline.id, due, deadlineAtRiskAt(due, time));
        recomputed++;
      }
      return recomputed;
    });
  }

  /**
   * One batch of the timers, in one transaction: claims up to `limit` open deadlines that have
   * turned AT_RISK and up to `limit` that are past due, none fired before, and announces each
   * (deadline.at_risk, deadline.breached) on its organisation's subject through the outbox. The
   * claim and the events commit together, so each fires exactly once across replicas and restarts.
   */
  fireDueTimers(limit: number): Promise<FiredTimers> {
    return this.uow.run(async () => {
      const fired: FiredTimers = { atRisk: 0, breached: 0 };
      for (const timer of ['atRisk', 'breached'] as const) {
        const claimed = await this.deadlines.claimDue(timer, limit);
        for (const deadline of claimed) {
          try {
            await this.outbox.add(TIMER_EVENTS[timer], deadline.organizationId, firedPayload(deadline));
          } catch (error) {
            // A row whose event cannot be valid (bad data) must not stop every organisation's
            // timers: it stays marked fired, and the log says which and why.
            if (!(error instanceof EventValidationError)) throw error;
            this.logger.error(
              `deadline ${deadline.id}: ${timer} not announced, its event is invalid: ${error.message}`,
            );
            fired[timer]--;
          }
        }
        fired[timer] += claimed.length;
      }
      return fired;
    });
  }
}
