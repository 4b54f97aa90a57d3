import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import {
  DeadlineAtRisk,
  DeadlineAtRiskV1,
  DeadlineBreached,
  DeadlineBreachedV1,
  DeadlineRescheduled,
  DeadlineRescheduledV1,
  DeadlineRescheduleReason,
  EventType,
} from '@otklik/contracts';
import { EventOutbox } from '@otklik/messaging';
import { CalendarError, DeadlinePolicy, WorkingTime } from '@otklik/calendar';
import { UnitOfWork } from '@otklik/persistence';
import { CalendarService } from '../calendar/calendar.service';
import { DeadlinePolicyService, DeadlinePolicySnapshot } from './deadline-policy.service';
import { DeadlineEntity } from './deadline.entity';
import { currentDeadlineState, deadlineAtRiskAt, deadlineDueAt, DeadlineKind, DeadlineState } from './deadline.policy';
import { DeadlineRepository, DeadlineTimer, FiredDeadline, OpenDeadline } from './deadline.repository';

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

/** When a deadline falls due and when it turns AT_RISK. */
interface Moments {
  dueAt: Date;
  atRiskAt: Date;
}

function rescheduledPayload(
  d: OpenDeadline,
  dueAt: Date,
  reason: DeadlineRescheduleReason,
  at: Date,
): DeadlineRescheduledV1 {
  return {
    deadlineId: d.id,
    caseId: d.caseId,
    kind: d.kind,
    previousDueAt: d.dueAt.toISOString(),
    dueAt: dueAt.toISOString(),
    ...(d.responsibleUserId ? { responsibleUserId: d.responsibleUserId } : {}),
    reason,
    at: at.toISOString(),
  };
}

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
    private readonly policies: DeadlinePolicyService,
  ) {}

  /** ROUTE (cl. 5): starts at detection, due the policy's working hours (8 by default) later on the organisation's clock. */
  startRoute(input: {
    caseId: string;
    organizationId: string;
    detectedAt: Date;
    timeZone: string;
  }): Promise<DeadlineEntity> {
    return this.start('ROUTE', { ...input, startedAt: input.detectedAt, responsibleUserId: null });
  }

  /**
   * Opens a deadline of `kind` for a case, started at `startedAt` on the organisation's clock
   * (REQUIREMENTS "Deadlines"), with the person who answers for it (cl. 18) when there is one.
   * A case has at most one open deadline of a kind: an open one of the same kind is settled
   * first (a returned draft's DRAFT deadline is replaced by the new one).
   */
  start(
    kind: DeadlineKind,
    input: {
      caseId: string;
      organizationId: string;
      startedAt: Date;
      timeZone: string;
      responsibleUserId: string | null;
    },
  ): Promise<DeadlineEntity> {
    return this.uow.run(async () => {
      await this.settle(input.caseId, [kind], input.startedAt, 'done');
      const time = await this.calendar.workingTimeIn(input.timeZone);
      const moments = this.momentsOf(kind, input.startedAt, time, await this.policies.policyOf(input.organizationId));
      const deadline = Object.assign(new DeadlineEntity(), {
        id: randomUUID(),
        caseId: input.caseId,
        organizationId: input.organizationId,
        kind,
        startedAt: input.startedAt,
        dueAt: moments.dueAt,
        state: 'ON_TRACK',
        responsibleUserId: input.responsibleUserId,
        metAt: null,
        atRiskAt: moments.atRiskAt,
        atRiskFiredAt: null,
        breachedFiredAt: null,
      } satisfies DeadlineEntity);
      await this.deadlines.insert(deadline);
      return deadline;
    });
  }

  /**
   * Settles the case's open deadlines of these kinds at `at`: `done` makes each MET when `at`
   * is not past its due moment and MISSED otherwise; `cancelled` (the case left the regulation's
   * path: excluded, dismissed) makes it CANCELLED. Returns the settled deadlines.
   */
  settle(
    caseId: string,
    kinds: readonly DeadlineKind[],
    at: Date,
    outcome: 'done' | 'cancelled',
    responsibleUserId?: string,
  ): Promise<DeadlineEntity[]> {
    return this.uow.run(() => this.deadlines.settleOpen(caseId, kinds, at, outcome, responsibleUserId));
  }

  /** The person who now answers for the case's open deadlines of these kinds (cl. 18). */
  async makeResponsible(caseId: string, kinds: readonly DeadlineKind[], userId: string): Promise<void> {
    await this.uow.run(() => this.deadlines.setResponsible(caseId, kinds, userId));
  }

  /** The kinds of the case's open deadlines. */
  openKindsOf(caseId: string): Promise<DeadlineKind[]> {
    return this.uow.run(() => this.deadlines.openKindsOf(caseId));
  }

  /** The case moved to another organisation (routing): its deadlines go with it. */
  async moveCase(caseId: string, organizationId: string): Promise<void> {
    await this.uow.run(() => this.deadlines.moveCase(caseId, organizationId));
  }

  /** When a deadline of `kind` started at `from` falls due and turns AT_RISK, on `time` under `policy` (its organisation's). */
  private momentsOf(kind: DeadlineKind, from: Date, time: WorkingTime, policy: DeadlinePolicy): Moments {
    const dueAt = deadlineDueAt(kind, from, time, policy);
    return { dueAt, atRiskAt: deadlineAtRiskAt({ startedAt: from, dueAt }, time, policy) };
  }

  /** The deadlines of these cases, oldest first, with AT_RISK / OVERDUE read against `now`. */
  async forCases(caseIds: readonly string[], now: Date = new Date()): Promise<DeadlineView[]> {
    const [calendar, policies] = await Promise.all([this.calendar.current(), this.policies.current()]);
    return this.uow.run(async () =>
      (await this.deadlines.forCases(caseIds)).map(({ deadline, timeZone }) => ({
        caseId: deadline.caseId,
        kind: deadline.kind,
        startedAt: deadline.startedAt,
        dueAt: deadline.dueAt,
        state: currentDeadlineState(
          deadline,
          now,
          calendar.workingTimeIn(timeZone),
          policies.policyOf(deadline.organizationId),
        ),
        responsibleUserId: deadline.responsibleUserId,
      })),
    );
  }

  /**
   * After a calendar year changed (in the open transaction): the open deadlines that started or
   * fall due in that year get their moments again from their kind, start and organisation's
   * policy, on `workingTimeIn` (the new calendar) — see rescheduleOpen. Returns how many moved.
   */
  recomputeOpenInYear(year: number, workingTimeIn: (timeZone: string) => WorkingTime): Promise<number> {
    return this.uow.run(async () => {
      const policies = await this.policies.inTransaction();
      return this.rescheduleOpen(
        await this.deadlines.openTouchingYear(year),
        (d) => this.momentsOf(d.kind, d.startedAt, workingTimeIn(d.timeZone), policies.policyOf(d.organizationId)),
        'CALENDAR',
      );
    });
  }

  /**
   * After a deadline policy changed (in the open transaction): the open deadlines of these
   * organisations get their moments again under `policies` (the new ones), on the calendar in
   * use — see rescheduleOpen. Returns how many moved.
   */
  recomputeOpenOf(organizationIds: readonly string[], policies: DeadlinePolicySnapshot): Promise<number> {
    return this.uow.run(async () => {
      const calendar = await this.calendar.current();
      return this.rescheduleOpen(
        await this.deadlines.openOf(organizationIds),
        (d) =>
          this.momentsOf(d.kind, d.startedAt, calendar.workingTimeIn(d.timeZone), policies.policyOf(d.organizationId)),
        'POLICY',
      );
    });
  }

  /**
   * Gives each open deadline the moments `momentsOf` computes; only those whose due or at-risk
   * moment moves are written, in batches. A fired timer that would not fire at the new moment is
   * re-armed (DeadlineRepository.rescheduleMany). Each deadline whose due moment moved is
   * announced as deadline.rescheduled, in the same transaction. A deadline the calendar cannot
   * place (its due runs into a year not loaded) keeps its moments; the log says how many.
   * Returns how many were rescheduled.
   */
  private async rescheduleOpen(
    open: readonly OpenDeadline[],
    momentsOf: (deadline: OpenDeadline) => Moments,
    reason: DeadlineRescheduleReason,
  ): Promise<number> {
    const at = new Date();
    const moved: Array<{ deadline: OpenDeadline; moments: Moments }> = [];
    const unplaced: string[] = [];
    let problem = '';
    for (const deadline of open) {
      let moments: Moments;
      try {
        moments = momentsOf(deadline);
      } catch (error) {
        if (!(error instanceof CalendarError)) throw error;
        unplaced.push(deadline.id);
        problem ||= error.message;
        continue;
      }
      if (
        moments.dueAt.getTime() !== deadline.dueAt.getTime() ||
        moments.atRiskAt.getTime() !== deadline.atRiskAt?.getTime()
      ) {
        moved.push({ deadline, moments });
      }
    }
    if (unplaced.length > 0) {
      const some = unplaced.slice(0, 5).join(', ') + (unplaced.length > 5 ? ', …' : '');
      this.logger.warn(`${unplaced.length} open deadlines keep their moments (${some}): ${problem}`);
    }
    const rescheduled = await this.deadlines.rescheduleMany(
      moved.map(({ deadline, moments }) => ({ id: deadline.id, ...moments })),
    );
    const announced = moved.filter(
      ({ deadline, moments }) => rescheduled.has(deadline.id) && moments.dueAt.getTime() !== deadline.dueAt.getTime(),
    );
    await this.outbox.addMany(
      DeadlineRescheduled,
      announced.map(({ deadline, moments }) => ({
        organizationId: deadline.organizationId,
        data: rescheduledPayload(deadline, moments.dueAt, reason, at),
      })),
      // As with the timers: one row's bad data must not undo everyone's recompute.
      (error, i) =>
        this.logger.error(
          `deadline ${announced[i].deadline.id}: rescheduled, not announced, its event is invalid: ${error.message}`,
        ),
    );
    return rescheduled.size;
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
        const announced = await this.outbox.addMany(
          TIMER_EVENTS[timer],
          claimed.map((deadline) => ({ organizationId: deadline.organizationId, data: firedPayload(deadline) })),
          // A row whose event cannot be valid (bad data) must not stop every organisation's
          // timers: it stays marked fired, and the log says which and why.
          (error, i) =>
            this.logger.error(
              `deadline ${claimed[i].id}: ${timer} not announced, its event is invalid: ${error.message}`,
            ),
        );
        fired[timer] += announced.length;
      }
      return fired;
    });
  }
}
