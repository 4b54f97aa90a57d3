import { Logger } from '@nestjs/common';
import type { Viewer } from '@otklik/auth';
import type { CaseOpenedV1, EventType } from '@otklik/contracts';
import type { EventOutbox } from '@otklik/messaging';
import type { UnitOfWork } from '@otklik/persistence';
import { RecipientEntity } from '../recipients/recipient.entity';
import type { RecipientService } from '../recipients/recipient.service';
import { encodeCursor } from './notification.cursor';
import type { NotificationEntity } from './notification.entity';
import type { FeedQuery, NotificationRepository } from './notification.repository';
import { NotificationService } from './notification.service';

const ORG = '0b6f4a5e-0000-4000-8000-000000000001';
const CASE = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const opened: CaseOpenedV1 = {
  caseId: CASE,
  messageId: '1a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  status: 'DETECTED',
  openedAt: '2026-11-27T10:00:00.000Z',
  routeDueAt: '2026-11-28T10:00:00.000Z',
};
const official = (n: number) =>
  Object.assign(new RecipientEntity(), {
    userId: `0b6f4a5e-0000-4000-8001-00000000000${n}`,
    organizationId: ORG,
    role: 'OFFICIAL',
    login: `official${n}`,
    displayName: `Official ${n}`,
    email: null,
    updatedAt: new Date(0),
  });
const viewer: Viewer = {
  userId: official(1).userId,
  login: 'official1',
  displayName: 'O',
  roles: [],
  visibleOrganizationIds: [ORG],
};

/** Hand-made fakes: the unit of work runs the work; the repository and outbox record what they are given. */
function setUp(options: { officials: RecipientEntity[]; alreadyNotified?: string[] }) {
  const events: Array<{ type: string; organizationId: string; data: object }> = [];
  const feedQueries: FeedQuery[] = [];
  const uow = { run: <T>(work: () => Promise<T>) => work() } as unknown as UnitOfWork;
  const repository = {
    insertNew: (rows: NotificationEntity[]) =>
      Promise.resolve(new Set(rows.filter((r) => !options.alreadyNotified?.includes(r.userId)).map((r) => r.id))),
    feed: (query: FeedQuery) => {
      feedQueries.push(query);
      return Promise.resolve([]);
    },
    count: () => Promise.resolve(0),
  } as unknown as NotificationRepository;
  const recipients = { officialsOf: () => Promise.resolve(options.officials) } as unknown as RecipientService;
  const outbox = {
    add: (type: EventType<object>, organizationId: string, data: object) => {
      events.push({ type: type.name, organizationId, data });
      return Promise.resolve();
    },
  } as unknown as EventOutbox;
  return { service: new NotificationService(uow, repository, recipients, outbox), events, feedQueries };
}

describe('NotificationService.notifyCaseOpened (cl. 4–5: officials route a detected message)', () => {
  it('each official of the organisation gets one notification and one NotificationCreated', async () => {
    const { service, events } = setUp({ officials: [official(1), official(2)] });
    const created = await service.notifyCaseOpened(ORG, opened);
    expect(created.map((n) => [n.userId, n.kind, n.caseId, n.organizationId])).toEqual([
      [official(1).userId, 'CASE_OPENED', CASE, ORG],
      [official(2).userId, 'CASE_OPENED', CASE, ORG],
    ]);
    expect(created[0].text).toBe('Новое обращение: обнаружено критическое сообщение, направьте его до 28.11 17:00');
    expect(events).toEqual(
      created.map((n) => ({
        type: 'notification.created',
        organizationId: ORG,
        data: {
          notificationId: n.id,
          userId: n.userId,
          kind: 'CASE_OPENED',
          text: n.text,
          caseId: CASE,
          createdAt: n.createdAt.toISOString(),
        },
      })),
    );
  });

  it('an official already told about the case is not told again, nor announced', async () => {
    const { service, events } = setUp({ officials: [official(1), official(2)], alreadyNotified: [official(1).userId] });
    const created = await service.notifyCaseOpened(ORG, opened);
    expect(created.map((n) => n.userId)).toEqual([official(2).userId]);
    expect(events.map((e) => (e.data as { userId: string }).userId)).toEqual([official(2).userId]);
  });

  it('no officials: nothing is written and a warning names the organisation and the case', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const { service, events } = setUp({ officials: [] });
      expect(await service.notifyCaseOpened(ORG, opened)).toEqual([]);
      expect(events).toEqual([]);
      expect(warn).toHaveBeenCalledWith(expect.objectContaining({ organizationId: ORG, caseId: CASE }));
    } finally {
      warn.mockRestore();
    }
  });
});

describe('NotificationService.feed: a Relay page of the viewer’s own notifications', () => {
  it('asks for one row more than the page, to know whether another page follows', async () => {
    const { service, feedQueries } = setUp({ officials: [] });
    await service.feed(viewer, {});
    await service.feed(viewer, { first: 5, unreadOnly: true });
    expect(feedQueries).toEqual([
      { userId: viewer.userId, unreadOnly: false, after: undefined, limit: 21 },
      { userId: viewer.userId, unreadOnly: true, after: undefined, limit: 6 },
    ]);
  });

  it('continues after the position the cursor stands for', async () => {
    const { service, feedQueries } = setUp({ officials: [] });
    const position = { createdAt: new Date('2026-11-28T10:00:00.123Z'), id: CASE };
    await service.feed(viewer, { after: encodeCursor(position) });
    expect(feedQueries[0].after).toEqual(position);
  });

  it.each([
    [{ first: 101 }, /first must be between 0 and 100; got 101/],
    [{ first: -1 }, /first must be between 0 and 100; got -1/],
    [{ after: 'nope' }, /after is not a cursor of this list/],
  ])('%o is refused as BAD_USER_INPUT', (args, message) => {
    const { service } = setUp({ officials: [] });
    expect(() => service.feed(viewer, args)).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', message: expect.stringMatching(message) }),
    );
  });

  it('ids that are not notification ids are refused as BAD_USER_INPUT, naming the first', () => {
    const { service } = setUp({ officials: [] });
    expect(() => service.markRead(viewer, [CASE, 'x'])).toThrow(/ids\[1\]: "x" is not a notification id/);
    expect(() =>
      service.markRead(
        viewer,
        Array.from({ length: 501 }, () => CASE),
      ),
    ).toThrow(/at most 500 ids/);
  });
});
