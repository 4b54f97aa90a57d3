import { randomUUID } from 'node:crypto';
import { DeadlineRescheduledV1, EventValidationError } from '@otklik/contracts';
import type { EventOutbox } from '@otklik/messaging';
import type { UnitOfWork } from '@otklik/persistence';
import { CalendarService, snapshotOf } from '../calendar/calendar.service';
import { DeadlinePolicyService, DeadlinePolicySnapshot } from './deadline-policy.service';
import type {
  DeadlineRepository,
  DeadlineTimer,
  FiredDeadline,
  OpenDeadline,
  Rescheduling,
} from './deadline.repository';
import { DeadlineService } from './deadline.service';

const deadline = (): FiredDeadline => ({
  id: randomUUID(),
  caseId: randomUUID(),
  organizationId: randomUUID(),
  kind: 'ROUTE',
  dueAt: new Date('2026-11-30T08:00:00Z'),
  responsibleUserId: null,
  firedAt: new Date('2026-11-30T08:00:01Z'),
});

/**
 * An outbox whose addMany writes each event through `add` in turn, as the real one validates
 * each: an invalid event (EventValidationError) goes to `onInvalid` when given.
 */
function fakeOutbox<D>(add: (organizationId: string, data: D) => Promise<void>): EventOutbox {
  return {
    addMany: async (
      _type: unknown,
      events: Array<{ organizationId: string; data: D }>,
      onInvalid?: (error: EventValidationError, index: number) => void,
    ) => {
      const written: unknown[] = [];
      for (const [index, event] of events.entries()) {
        try {
          await add(event.organizationId, event.data);
          written.push(event);
        } catch (error) {
          if (!onInvalid || !(error instanceof EventValidationError)) throw error;
          onInvalid(error, index);
        }
      }
      return written;
    },
  } as unknown as EventOutbox;
}

function serviceWith(claimed: FiredDeadline[], add: (data: { deadlineId: string }) => Promise<void>) {
  const uow = { run: (work: () => Promise<unknown>) => work() } as unknown as UnitOfWork;
  const repository = {
    claimDue: (timer: DeadlineTimer) => Promise.resolve(timer === 'atRisk' ? claimed : []),
  } as unknown as DeadlineRepository;
  const outbox = fakeOutbox<{ deadlineId: string }>((_org, data) => add(data));
  return new DeadlineService(uow, repository, outbox, {} as CalendarService, {} as DeadlinePolicyService);
}

describe('deadline timers: one bad row does not stop everyone’s timers', () => {
  it('a deadline whose event is invalid is skipped (logged); the others are announced', async () => {
    const [good, bad, alsoGood] = [deadline(), deadline(), deadline()];
    const announced: string[] = [];
    const service = serviceWith([good, bad, alsoGood], (data) => {
      if (data.deadlineId === bad.id)
        return Promise.reject(new EventValidationError('deadline.at_risk', ['caseId: must be a UUID']));
      announced.push(data.deadlineId);
      return Promise.resolve();
    });
    await expect(service.fireDueTimers(200)).resolves.toEqual({ atRisk: 2, breached: 0 });
    expect(announced).toEqual([good.id, alsoGood.id]);
  });

  it('any other failure rolls the batch back, to be retried', async () => {
    const service = serviceWith([deadline()], () => Promise.reject(new Error('connection terminated')));
    await expect(service.fireDueTimers(200)).rejects.toThrow('connection terminated');
  });
});

describe('recomputing after a policy change: only what moves is written, and each moved due moment is announced', () => {
  const ORG = randomUUID();
  const barnaul = (local: string) => new Date(`${local}+07:00`);
  const open = (
    kind: OpenDeadline['kind'],
    startedAt: string,
    dueAt: string,
    atRiskAt: string | null,
  ): OpenDeadline => ({
    id: randomUUID(),
    caseId: randomUUID(),
    organizationId: ORG,
    kind,
    startedAt: barnaul(startedAt),
    dueAt: barnaul(dueAt),
    atRiskAt: atRiskAt ? barnaul(atRiskAt) : null,
    responsibleUserId: null,
    timeZone: 'Asia/Barnaul',
  });
  // ROUTE of Monday 30 November 2026 10:00 on the defaults: due Tuesday 10:00, at risk from 08:00.
  const route = open('ROUTE', '2026-11-30T10:00:00', '2026-12-01T10:00:00', '2026-12-01T08:00:00');
  // ANSWER does not depend on routeHours: its stored moments stay.
  const answer = open('ANSWER', '2026-11-30T10:00:00', '2026-12-01T17:00:00', '2026-12-01T15:00:00');
  // Opened before the timers' migration: no at-risk moment yet, the due moment is right.
  const noAtRisk = open('ANSWER', '2026-11-30T11:00:00', '2026-12-01T17:00:00', null);
  // Settled by another transaction between the read and the UPDATE.
  const settledMeanwhile = open('ROUTE', '2026-11-30T11:00:00', '2026-12-01T11:00:00', '2026-12-01T09:00:00');
  // Its due runs past the last loaded year: the calendar cannot place it.
  const unplaceable = open('FINAL', '2027-12-28T10:00:00', '2028-01-12T17:00:00', '2028-01-12T15:00:00');

  it('writes the deadlines whose due or at-risk moment moves; announces those whose due moved and that were still open', async () => {
    const written: Rescheduling[] = [];
    const announced: Array<{ organizationId: string; data: DeadlineRescheduledV1 }> = [];
    const uow = { run: (work: () => Promise<unknown>) => work() } as unknown as UnitOfWork;
    const repository = {
      openOf: () => Promise.resolve([route, answer, noAtRisk, settledMeanwhile, unplaceable]),
      rescheduleMany: (changes: Rescheduling[]) => {
        written.push(...changes);
        return Promise.resolve(new Set(changes.map((c) => c.id).filter((id) => id !== settledMeanwhile.id)));
      },
    } as unknown as DeadlineRepository;
    const outbox = fakeOutbox<DeadlineRescheduledV1>((organizationId, data) => {
      announced.push({ organizationId, data });
      return Promise.resolve();
    });
    const calendar = { current: () => Promise.resolve(snapshotOf([])) } as unknown as CalendarService;
    const service = new DeadlineService(uow, repository, outbox, calendar, {} as DeadlinePolicyService);
    const policies = new DeadlinePolicySnapshot([
      {
        organizationId: ORG,
        parentId: null,
        own: { policy: { routeHours: 4 }, updatedBy: 'coordinator', updatedAt: new Date() },
      },
    ]);

    await expect(service.recomputeOpenOf([ORG], policies)).resolves.toBe(2);

    expect(written.map((w) => w.id)).toEqual([route.id, noAtRisk.id, settledMeanwhile.id]);
    expect(written[0]).toEqual({
      id: route.id,
      dueAt: barnaul('2026-11-30T15:00:00'),
      atRiskAt: barnaul('2026-11-30T13:00:00'),
    });
    expect(written[1]).toEqual({ id: noAtRisk.id, dueAt: noAtRisk.dueAt, atRiskAt: barnaul('2026-12-01T15:00:00') });
    expect(announced).toEqual([
      {
        organizationId: ORG,
        data: {
          deadlineId: route.id,
          caseId: route.caseId,
          kind: 'ROUTE',
          previousDueAt: route.dueAt.toISOString(),
          dueAt: barnaul('2026-11-30T15:00:00').toISOString(),
          reason: 'POLICY',
          at: expect.any(String),
        },
      },
    ]);
  });
});
