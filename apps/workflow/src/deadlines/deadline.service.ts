import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@otklik/persistence';
import { DeadlineEntity } from './deadline.entity';
import { currentDeadlineState, DeadlineKind, DeadlineState, routeDueAt } from './deadline.policy';
import { DeadlineRepository } from './deadline.repository';

/** A deadline as a reader sees it: its state read against the clock now. */
export interface DeadlineView {
  caseId: string;
  kind: DeadlineKind;
  startedAt: Date;
  dueAt: Date;
  state: DeadlineState;
  responsibleUserId: string | null;
}

@Injectable()
export class DeadlineService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly deadlines: DeadlineRepository,
  ) {}

  /** ROUTE (cl. 5): starts at detection, due 8 working hours later on the organisation's clock. */
  startRoute(input: {
    caseId: string;
    organizationId: string;
    detectedAt: Date;
    timeZone: string;
  }): Promise<DeadlineEntity> {
    return this.uow.run(async () => {
      const deadline = Object.assign(new DeadlineEntity(), {
        id: randomUUID(),
        caseId: input.caseId,
        organizationId: input.organizationId,
        kind: 'ROUTE',
        startedAt: input.detectedAt,
        dueAt: routeDueAt(input.detectedAt, input.timeZone),
        state: 'ON_TRACK',
        responsibleUserId: null,
        metAt: null,
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
}
