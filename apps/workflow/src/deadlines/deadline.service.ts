import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DeadlineAtRisk, DeadlineAtRiskV1, DeadlineBreached, DeadlineBreachedV1, EventType } from '@otklik/contracts';
import { EventOutbox } from '@otklik/messaging';
import { UnitOfWork } from '@otklik/persistence';
import { DeadlineEntity } from './deadline.entity';
import { currentDeadlineState, deadlineAtRiskAt, DeadlineKind, DeadlineState, routeDueAt } from './deadline.policy';
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
  constructor(
    private readonly uow: UnitOfWork,
    private readonly deadlines: DeadlineRepository,
    private readonly outbox: EventOutbox,
  ) {}

  /** ROUTE (cl. 5): starts at detection, due 8 working hours later on the organisation's clock. */
  startRoute(input: {
    caseId: string;
    organizationId: string;
    detectedAt: Date;
    timeZone: string;
  }): Promise<DeadlineEntity> {
    const due = routeDueAt(input.detectedAt, input.timeZone);
    return this.uow.run(async () => {
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
        atRiskAt: deadlineAtRiskAt(due, input.timeZone),
        atRiskFiredAt: null,
        breachedFiredAt: null,
      } satisfies DeadlineEntity);
      await this.deadlines.insert(deadline);
      return deadline;
    });
  }

  /** The deadlines of these cases, oldest first, with AT_RISK / OVERDUE read against `now`. */
  forCases(caseIds: readonly string[], now: Date = new Date()): Promise<DeadlineView[]> {
    return this.uow.run(async () =>
      (await this.deadlines.forCases(caseIds)).map(({ deadline, timeZone }) => ({
        caseId: deadline.caseId,
        kind: deadline.kind,
        startedAt: deadline.startedAt,
        dueAt: deadline.dueAt,
        state: currentDeadlineState(deadline, now, timeZone),
        responsibleUserId: deadline.responsibleUserId,
      })),
    );
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
          await this.outbox.add(TIMER_EVENTS[timer], deadline.organizationId, firedPayload(deadline));
        }
        fired[timer] = claimed.length;
      }
      return fired;
    });
  }
}
