import { randomUUID } from 'node:crypto';
import type { Viewer } from '@otklik/auth';
import {
  CaseTransitioned,
  CaseTransitionedV1,
  DeadlineBreached,
  EventEnvelope,
  NotificationCreated,
  NotificationCreatedV1,
  StaffAppointedV1,
} from '@otklik/contracts';
import { DemoUser, demoOrganization } from '@otklik/demo';
import { waitFor } from '@otklik/testing';
import { demoUser, NotifyUnderTest, viewerOf } from './notify.harness';

// Medium test: the real notify app (PostgreSQL as the app role under row-level security,
// JetStream) told of case moves and deadlines by events published as workflow's relay would.

const KALMANSKY = demoOrganization('kalmansky').id;
const BURANOVSKY = demoOrganization('buranovsky').id;
const coordinator = demoUser('coordinator');
const reception = demoUser('reception');
const buranovskyOfficial = demoUser('buranovsky.official');
const buranovskyExecutor = demoUser('buranovsky.executor');

interface Row {
  user_id: string;
  organization_id: string;
  kind: string;
  text: string;
}

describe('notify: case moves and deadlines reach the people of the case’s path', () => {
  let notify: NotifyUnderTest;

  beforeAll(async () => {
    notify = await NotifyUnderTest.start('notify_moves');

    // Nobody at buranovsky's reception, and no coordinator there: both sit in the district above.
    const appointments: Array<[DemoUser, string, StaffAppointedV1['role']]> = [
      [coordinator, KALMANSKY, 'COORDINATOR'],
      [reception, KALMANSKY, 'RECEPTION'],
      [buranovskyOfficial, BURANOVSKY, 'OFFICIAL'],
      [buranovskyExecutor, BURANOVSKY, 'EXECUTOR'],
    ];
    let last = 0;
    for (const [user, organizationId, role] of appointments) {
      ({ seq: last } = await notify.appoint(user, organizationId, role));
    }
    await notify.handledUpTo('staff-projection', last);
  });

  afterAll(() => notify?.stop());

  /** A move of a buranovsky case, as workflow publishes it: on buranovsky's subject, with the path up to the district. */
  const moveInBuranovsky = (
    caseId: string,
    moved: Partial<CaseTransitionedV1> & Pick<CaseTransitionedV1, 'action'>,
  ) => {
    const transition: CaseTransitionedV1 = {
      caseId,
      messageId: randomUUID(),
      fromStatus: 'REGISTERED',
      toStatus: 'EXCLUDED',
      actor: 'buranovsky.official',
      at: new Date().toISOString(),
      organizationPath: [BURANOVSKY, KALMANSKY],
      ...moved,
    };
    return notify.publish(CaseTransitioned, BURANOVSKY, transition);
  };

  const notificationsOfCase = (caseId: string): Promise<Row[]> =>
    notify.sql<Row>(
      'select user_id, organization_id, kind, text from notify.notifications where case_id = $1 order by created_at, user_id',
      [caseId],
    );

  const announced = async (organizationId: string): Promise<NotificationCreatedV1[]> =>
    (await notify.events(NotificationCreated, organizationId)).map((e) => e.data);

  async function feedOf(viewer: Viewer): Promise<Array<{ id: string; kind: string; case: { id: string } | null }>> {
    const answer = await notify.graphql<{
      notifications: { edges: Array<{ node: { id: string; kind: string; case: { id: string } | null } }> };
    }>('{ notifications(first: 100) { edges { node { id kind case { id } } } } }', {}, viewer);
    expect(answer.errors).toBeUndefined();
    return answer.data!.notifications.edges.map((e) => e.node);
  }

  const threatCase = randomUUID();
  let threatEnvelope: EventEnvelope<CaseTransitionedV1>;

  describe('cl. 11: a threat excluded in buranovsky reaches kalmansky’s coordinator', () => {
    it('one CASE_THREAT notification, for the coordinator, kept under the district', async () => {
      const { envelope, seq } = await moveInBuranovsky(threatCase, {
        action: 'EXCLUDE',
        exclusionReasons: ['THREAT'],
        reason: 'угрожает главе сельсовета',
      });
      threatEnvelope = envelope;
      await notify.handledUpTo('case-transitioned', seq);
      expect(await notificationsOfCase(threatCase)).toEqual([
        {
          user_id: coordinator.id,
          organization_id: KALMANSKY,
          kind: 'CASE_THREAT',
          text: 'Угроза в сообщении: обращение исключено из рассмотрения. Комментарий: угрожает главе сельсовета',
        },
      ]);
    });

    it('NotificationCreated goes out on the district’s subject, for the gateway to push to the coordinator', async () => {
      const events = await waitFor('NotificationCreated for the coordinator', async () => {
        const all = await announced(KALMANSKY);
        return all.some((e) => e.caseId === threatCase) ? all : undefined;
      });
      expect(events.filter((e) => e.caseId === threatCase)).toEqual([
        expect.objectContaining({ userId: coordinator.id, kind: 'CASE_THREAT' }),
      ]);
    });

    it('the coordinator reads it in `notifications`; buranovsky’s own official has nothing of it', async () => {
      expect(await feedOf(viewerOf(coordinator))).toEqual([
        { id: expect.any(String), kind: 'CASE_THREAT', case: { id: threatCase } },
      ]);
      expect((await feedOf(viewerOf(buranovskyOfficial))).filter((n) => n.case?.id === threatCase)).toEqual([]);
    });

    it('redelivered, even after the inbox forgot the event, it notifies nobody twice', async () => {
      // Same event id past JetStream's de-duplication: stopped by the inbox.
      const redelivered = await notify.publish(CaseTransitioned, BURANOVSKY, threatEnvelope.data, {
        eventId: threatEnvelope.eventId,
        msgId: randomUUID(),
      });
      await notify.handledUpTo('case-transitioned', redelivered.seq);
      expect((await notificationsOfCase(threatCase)).map((r) => r.user_id)).toEqual([coordinator.id]);
      // The inbox purged (it keeps 8 days), then the event replayed: stopped by "once per person and source".
      await notify.sql('delete from notify.inbox where event_id = $1', [threatEnvelope.eventId]);
      const { seq } = await notify.publish(CaseTransitioned, BURANOVSKY, threatEnvelope.data, {
        eventId: threatEnvelope.eventId,
        msgId: randomUUID(),
      });
      await notify.handledUpTo('case-transitioned', seq);
      expect((await notificationsOfCase(threatCase)).map((r) => r.user_id)).toEqual([coordinator.id]);
      expect((await notify.sql('select 1 from notify.outbox')).length).toBe(0);
      expect((await announced(KALMANSKY)).filter((e) => e.caseId === threatCase)).toHaveLength(1);
    });
  });

  describe('the rest of a case’s moves', () => {
    const caseId = randomUUID();

    it('routed to buranovsky, which has no reception: the district’s reception is told to register it', async () => {
      const { seq } = await moveInBuranovsky(caseId, {
        action: 'ROUTE',
        fromStatus: 'DETECTED',
        toStatus: 'ROUTED',
        fromOrganizationId: KALMANSKY,
      });
      await notify.handledUpTo('case-transitioned', seq);
      expect(await notificationsOfCase(caseId)).toEqual([
        {
          user_id: reception.id,
          organization_id: KALMANSKY,
          kind: 'CASE_ROUTED',
          text: 'Вам направлено обращение: зарегистрируйте его',
        },
      ]);
    });

    it('a draft returned twice tells the executor twice: once per transition, not once per case', async () => {
      for (const reason of ['добавьте фото', 'уточните сроки']) {
        const { seq } = await moveInBuranovsky(caseId, {
          action: 'RETURN_DRAFT',
          fromStatus: 'DRAFT_SUBMITTED',
          toStatus: 'ASSIGNED',
          executorUserId: buranovskyExecutor.id,
          reason,
        });
        // Handled one after the other, so that their order is known (the consumer runs batches in parallel).
        await notify.handledUpTo('case-transitioned', seq);
      }
      expect((await notificationsOfCase(caseId)).filter((r) => r.kind === 'DRAFT_RETURNED')).toEqual(
        ['добавьте фото', 'уточните сроки'].map((reason) => ({
          user_id: buranovskyExecutor.id,
          organization_id: BURANOVSKY,
          kind: 'DRAFT_RETURNED',
          text: `Проект ответа возвращён на доработку. Комментарий: ${reason}`,
        })),
      );
      expect((await feedOf(viewerOf(buranovskyExecutor))).map((n) => n.kind)).toEqual([
        'DRAFT_RETURNED',
        'DRAFT_RETURNED',
      ]);
    });
  });

  describe('deadline.breached tells the person responsible, or else the officials', () => {
    it('nobody responsible: buranovsky’s official hears of the breach', async () => {
      const caseId = randomUUID();
      const { seq } = await notify.publish(DeadlineBreached, BURANOVSKY, {
        deadlineId: randomUUID(),
        caseId,
        kind: 'ROUTE',
        dueAt: '2026-11-28T10:00:00.000Z',
        firedAt: '2026-11-28T10:00:01.000Z',
      });
      await notify.handledUpTo('deadline-breached', seq);
      expect(await notificationsOfCase(caseId)).toEqual([
        {
          user_id: buranovskyOfficial.id,
          organization_id: BURANOVSKY,
          kind: 'DEADLINE_BREACHED',
          text: 'Срок нарушен: направить обращение нужно было до 28.11 17:00',
        },
      ]);
    });
  });
});
