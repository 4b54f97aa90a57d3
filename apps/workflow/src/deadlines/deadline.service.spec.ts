import { randomUUID } from 'node:crypto';
import { EventValidationError } from '@otklik/contracts';
import type { EventOutbox } from '@otklik/messaging';
import type { UnitOfWork } from '@otklik/persistence';
import type { CalendarService } from '../calendar/calendar.service';
import type { DeadlineRepository, DeadlineTimer, FiredDeadline } from './deadline.repository';
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

function serviceWith(claimed: FiredDeadline[], add: (data: { deadlineId: string }) => Promise<void>) {
  const uow = { run: (work: () => Promise<unknown>) => work() } as unknown as UnitOfWork;
  const repository = {
    claimDue: (timer: DeadlineTimer) => Promise.resolve(timer === 'atRisk' ? claimed : []),
  } as unknown as DeadlineRepository;
  const outbox = {
    add: (_type: unknown, _org: string, data: { deadlineId: string }) => add(data),
  } as unknown as EventOutbox;
  return new DeadlineService(uow, repository, outbox, {} as CalendarService);
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
