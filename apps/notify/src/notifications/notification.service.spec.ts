import { Logger } from '@nestjs/common';
import type { Viewer } from '@otklik/auth';
import { CASE_ACTIONS } from '@otklik/contracts';
import type {
  CaseAction,
  CaseOpenedV1,
  CaseTransitionedV1,
  DeadlineAtRiskV1,
  EventType,
  Role,
} from '@otklik/contracts';
import type { EventOutbox } from '@otklik/messaging';
import type { UnitOfWork } from '@otklik/persistence';
import type { DeliveryService } from '../delivery/delivery.service';
import { WorkingHours } from '../delivery/working-hours';
import { RecipientEntity } from '../recipients/recipient.entity';
import type { RecipientService } from '../recipients/recipient.service';
import type { CasePathRepository } from './case-path.repository';
import { encodeCursor } from './notification.cursor';
import type { NotificationEntity } from './notification.entity';
import type { FeedQuery, NotificationRepository } from './notification.repository';
import { NotificationService } from './notification.service';
import type { TenantScope } from './tenant.scope';

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
function setUp(options: {
  officials: RecipientEntity[];
  staff?: RecipientEntity[];
  alreadyNotified?: string[];
  /** The cases' paths as their last moves announced them. */
  casePaths?: Record<string, string[]>;
}) {
  const events: Array<{ type: string; organizationId: string; data: object }> = [];
  /** The organisations each piece of work was given to see. */
  const scopes: Array<readonly string[]> = [];
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
  const recipients = {
    officialsOf: () => Promise.resolve(options.officials),
    // What row-level security would show inside the scope: only the organisations asked for.
    holdersIn: (organizationIds: readonly string[], role: string) =>
      Promise.resolve(
        (options.staff ?? []).filter(
          (r) =>
            r.role === role && organizationIds.includes(r.organizationId) && scopes.at(-1)?.includes(r.organizationId),
        ),
      ),
  } as unknown as RecipientService;
  const scope = {
    within: <T>(organizationIds: readonly string[], work: () => Promise<T>) => {
      scopes.push(organizationIds);
      return work();
    },
  } as unknown as TenantScope;
  const outbox = {
    add: (type: EventType<object>, organizationId: string, data: object) => {
      events.push({ type: type.name, organizationId, data });
      return Promise.resolve();
    },
  } as unknown as EventOutbox;
  /** What was handed to delivery: the notifications' ids and their deadline. */
  const enqueued: Array<{ ids: string[]; dueAt?: Date }> = [];
  const deliveries = {
    enqueue: (created: NotificationEntity[], dueAt?: Date) => {
      enqueued.push({ ids: created.map((n) => n.id), dueAt });
      return Promise.resolve();
    },
  } as unknown as DeliveryService;
  const remembered: Array<[string, readonly string[]]> = [];
  const casePaths = {
    remember: (caseId: string, path: readonly string[]) => {
      remembered.push([caseId, path]);
      return Promise.resolve();
    },
    pathOf: (caseId: string) => Promise.resolve(options.casePaths?.[caseId]),
  } as unknown as CasePathRepository;
  const service = new NotificationService(
    uow,
    repository,
    recipients,
    outbox,
    scope,
    casePaths,
    deliveries,
    new WorkingHours(),
  );
  return { service, events, feedQueries, scopes, enqueued, remembered };
}

describe('NotificationService.notifyCaseOpened (cl. 4–5: officials route a detected message)', () => {
  it('each official of the organisation gets one notification and one NotificationCreated', async () => {
    const { service, events, enqueued } = setUp({ officials: [official(1), official(2)] });
    const created = await service.notifyCaseOpened(ORG, opened);
    expect(created.map((n) => [n.userId, n.kind, n.caseId, n.organizationId])).toEqual([
      [official(1).userId, 'CASE_OPENED', CASE, ORG],
      [official(2).userId, 'CASE_OPENED', CASE, ORG],
    ]);
    expect(created[0].text).toBe('Новое обращение: обнаружено критическое сообщение, направьте его до 28.11 17:00');
    // Handed to delivery in the same transaction, with the ROUTE deadline for "due today" and the time left.
    expect(enqueued).toEqual([{ ids: created.map((n) => n.id), dueAt: new Date(opened.routeDueAt) }]);
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

// The demo district in small: kalmansky (the district) above two sel'sovets.
const DISTRICT = '0b6f4a5e-0000-4000-8000-00000000000d';
const BURANOVSKY = '0b6f4a5e-0000-4000-8000-00000000000b';
const SHADRINSKY = '0b6f4a5e-0000-4000-8000-00000000000c';
const person = (name: string) => `0b6f4a5e-0000-4000-8002-${name.padStart(12, '0')}`;
const staffMember = (user: string, organizationId: string, role: Role) =>
  Object.assign(new RecipientEntity(), {
    userId: person(user),
    organizationId,
    role,
    login: user,
    displayName: user,
    email: null,
    updatedAt: new Date(0),
  });
/** buranovsky has an official only; shadrinsky its own reception and coordinator, and no official. */
const STAFF = [
  staffMember('c1', DISTRICT, 'COORDINATOR'),
  staffMember('c2', DISTRICT, 'COORDINATOR'),
  staffMember('d1', DISTRICT, 'OFFICIAL'),
  staffMember('d2', DISTRICT, 'RECEPTION'),
  staffMember('b1', BURANOVSKY, 'OFFICIAL'),
  staffMember('b2', BURANOVSKY, 'EXECUTOR'),
  staffMember('a1', SHADRINSKY, 'RECEPTION'),
  staffMember('a2', SHADRINSKY, 'COORDINATOR'),
  // c1 also coordinates shadrinsky itself: told once, under the nearer organisation.
  staffMember('c1', SHADRINSKY, 'COORDINATOR'),
  staffMember('h1', DISTRICT, 'HEAD'),
];
const EVENT_ID = '5e1f0000-0000-4000-8000-0000000000e1';
const transition = (action: CaseAction, overrides: Partial<CaseTransitionedV1> = {}): CaseTransitionedV1 => ({
  caseId: CASE,
  messageId: opened.messageId,
  action,
  fromStatus: 'ROUTED',
  toStatus: 'REGISTERED',
  actor: 'official',
  at: '2026-11-27T10:00:00.000Z',
  organizationPath: [BURANOVSKY, DISTRICT],
  ...overrides,
});
const EXECUTOR = person('b2');
/** The moves somebody hears of; anything else (OPEN, APPROVE_DRAFT, CLOSE, DISMISS…) tells nobody. */
const TOLD: readonly CaseAction[] = [
  'ROUTE',
  'REGISTER',
  'ASSIGN',
  'REASSIGN',
  'SUBMIT_DRAFT',
  'RETURN_DRAFT',
  'AUTHOR_REPLIED',
  'REOPEN',
  'EXCLUDE',
];

describe('NotificationService.notifyCaseTransitioned: who is told of which move', () => {
  it.each<[string, CaseTransitionedV1, Array<[user: string, organization: string, kind: string]>]>([
    [
      'ROUTE: the reception of the case’s new organisation, or of the nearest above it (buranovsky has none)',
      transition('ROUTE'),
      [[person('d2'), DISTRICT, 'CASE_ROUTED']],
    ],
    [
      'ROUTE: the organisation’s own reception when it has one, not the district’s',
      transition('ROUTE', { organizationPath: [SHADRINSKY, DISTRICT] }),
      [[person('a1'), SHADRINSKY, 'CASE_ROUTED']],
    ],
    [
      'REGISTER: the reception that assigns the executor next (cl. 7)',
      transition('REGISTER'),
      [[person('d2'), DISTRICT, 'CASE_REGISTERED']],
    ],
    ['REGISTER by the only receptionist: nobody (they know)', transition('REGISTER', { actor: 'd2' }), []],
    [
      'ASSIGN: the executor',
      transition('ASSIGN', { executorUserId: EXECUTOR }),
      [[EXECUTOR, BURANOVSKY, 'CASE_ASSIGNED']],
    ],
    [
      'REASSIGN: the new executor (the event does not name the previous one)',
      transition('REASSIGN', { executorUserId: EXECUTOR }),
      [[EXECUTOR, BURANOVSKY, 'CASE_ASSIGNED']],
    ],
    [
      'SUBMIT_DRAFT: the officials of the case’s organisation',
      transition('SUBMIT_DRAFT', { executorUserId: EXECUTOR }),
      [[person('b1'), BURANOVSKY, 'DRAFT_SUBMITTED']],
    ],
    [
      'SUBMIT_DRAFT: the officials of the nearest organisation above when it has none (shadrinsky)',
      transition('SUBMIT_DRAFT', { organizationPath: [SHADRINSKY, DISTRICT] }),
      [[person('d1'), DISTRICT, 'DRAFT_SUBMITTED']],
    ],
    [
      'RETURN_DRAFT: the executor',
      transition('RETURN_DRAFT', { executorUserId: EXECUTOR, reason: 'уточните сроки' }),
      [[EXECUTOR, BURANOVSKY, 'DRAFT_RETURNED']],
    ],
    [
      'AUTHOR_REPLIED: the executor',
      transition('AUTHOR_REPLIED', { executorUserId: EXECUTOR }),
      [[EXECUTOR, BURANOVSKY, 'AUTHOR_REPLIED']],
    ],
    [
      'REOPEN: the executor',
      transition('REOPEN', { executorUserId: EXECUTOR }),
      [[EXECUTOR, BURANOVSKY, 'CASE_REOPENED']],
    ],
    [
      'EXCLUDE for a threat (cl. 11): every coordinator along the path, under their own organisation',
      transition('EXCLUDE', { exclusionReasons: ['OBSCENE', 'THREAT'] }),
      [
        [person('c1'), DISTRICT, 'CASE_THREAT'],
        [person('c2'), DISTRICT, 'CASE_THREAT'],
      ],
    ],
    [
      'EXCLUDE for a threat in shadrinsky: its coordinators first, the district’s after, each person once',
      transition('EXCLUDE', { exclusionReasons: ['THREAT'], organizationPath: [SHADRINSKY, DISTRICT] }),
      [
        [person('a2'), SHADRINSKY, 'CASE_THREAT'],
        [person('c1'), SHADRINSKY, 'CASE_THREAT'],
        [person('c2'), DISTRICT, 'CASE_THREAT'],
      ],
    ],
    [
      'EXCLUDE for anything but a threat: nobody',
      transition('EXCLUDE', { exclusionReasons: ['OBSCENE', 'INSULT'] }),
      [],
    ],
    ['EXCLUDE without reasons: nobody', transition('EXCLUDE'), []],
    ...CASE_ACTIONS.filter((action) => !TOLD.includes(action)).map((action): [string, CaseTransitionedV1, []] => [
      `${action}: nobody`,
      transition(action, { executorUserId: EXECUTOR }),
      [],
    ]),
  ])('%s', async (_rule, moved, expected) => {
    const { service, events } = setUp({ officials: [], staff: STAFF });
    const created = await service.notifyCaseTransitioned(
      { eventId: EVENT_ID, organizationId: moved.organizationPath[0] },
      moved,
    );
    expect(created.map((n) => [n.userId, n.organizationId, n.kind])).toEqual(expected);
    expect(events.map((e) => [(e.data as { userId: string }).userId, e.organizationId, e.type])).toEqual(
      expected.map(([user, organization]) => [user, organization, 'notification.created']),
    );
  });

  it('the recipients are looked up with every organisation of the path visible, the case’s own first', async () => {
    const { service, scopes } = setUp({ officials: [], staff: STAFF });
    await service.notifyCaseTransitioned(
      { eventId: EVENT_ID, organizationId: BURANOVSKY },
      transition('EXCLUDE', { exclusionReasons: ['THREAT'] }),
    );
    expect(scopes).toEqual([[BURANOVSKY, DISTRICT]]);
  });

  it('every move, told or not, keeps where the case now stands (for whom its breaches reach)', async () => {
    const { service, remembered } = setUp({ officials: [], staff: STAFF });
    await service.notifyCaseTransitioned(
      { eventId: EVENT_ID, organizationId: SHADRINSKY },
      transition('APPROVE_DRAFT', { organizationPath: [SHADRINSKY, DISTRICT] }),
    );
    expect(remembered).toEqual([[CASE, [SHADRINSKY, DISTRICT]]]);
  });

  it('each notification names the transition event as its source and carries the case and the text', async () => {
    const { service } = setUp({ officials: [], staff: STAFF });
    const [returned] = await service.notifyCaseTransitioned(
      { eventId: EVENT_ID, organizationId: BURANOVSKY },
      transition('RETURN_DRAFT', { executorUserId: EXECUTOR, reason: 'уточните сроки' }),
    );
    expect(returned).toMatchObject({
      caseId: CASE,
      sourceKey: `case.transitioned:${EVENT_ID}`,
      text: 'Проект ответа возвращён на доработку. Комментарий: уточните сроки',
      readAt: null,
    });
  });

  it('a person already told of this transition is not told again, nor announced', async () => {
    const { service, events } = setUp({ officials: [], staff: STAFF, alreadyNotified: [person('c1')] });
    const created = await service.notifyCaseTransitioned(
      { eventId: EVENT_ID, organizationId: BURANOVSKY },
      transition('EXCLUDE', { exclusionReasons: ['THREAT'] }),
    );
    expect(created.map((n) => n.userId)).toEqual([person('c2')]);
    expect(events).toHaveLength(1);
  });

  it('an empty path stands for the case’s organisation alone', async () => {
    const { service, scopes } = setUp({ officials: [], staff: STAFF });
    const created = await service.notifyCaseTransitioned(
      { eventId: EVENT_ID, organizationId: BURANOVSKY },
      transition('SUBMIT_DRAFT', { organizationPath: [] }),
    );
    expect(created.map((n) => n.userId)).toEqual([person('b1')]);
    expect(scopes).toEqual([[BURANOVSKY]]);
  });

  it('a path that does not start at the event’s organisation is refused as the producer’s bug', () => {
    const { service } = setUp({ officials: [], staff: STAFF });
    expect(() =>
      service.notifyCaseTransitioned(
        { eventId: EVENT_ID, organizationId: SHADRINSKY },
        transition('EXCLUDE', { exclusionReasons: ['THREAT'] }),
      ),
    ).toThrow(
      `CaseTransitioned ${EVENT_ID} was published for organisation ${SHADRINSKY} but its organizationPath starts at ${BURANOVSKY}`,
    );
  });

  it.each([
    [
      'an executor’s move that names no executor',
      transition('RETURN_DRAFT'),
      /RETURN_DRAFT of case .*: nobody to notify \(the event names nobody\)/,
    ],
    [
      'a route where no organisation of the path has a reception',
      transition('ROUTE', { organizationPath: [BURANOVSKY] }),
      /ROUTE of case .*: nobody to notify \(no RECEPTION in organisations /,
    ],
  ])('%s: nobody is told, and a warning names the case', async (_what, moved, message) => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const { service, events } = setUp({ officials: [], staff: STAFF });
      expect(await service.notifyCaseTransitioned({ eventId: EVENT_ID, organizationId: BURANOVSKY }, moved)).toEqual(
        [],
      );
      expect(events).toEqual([]);
      expect(warn).toHaveBeenCalledWith(
        expect.objectContaining({ caseId: CASE, organizationId: BURANOVSKY, msg: expect.stringMatching(message) }),
      );
    } finally {
      warn.mockRestore();
    }
  });
});

describe('NotificationService.notifyDeadline: the person responsible hears of a deadline at risk or breached', () => {
  const DEADLINE = '0d000000-0000-4000-8000-000000000001';
  const deadline = (overrides: Partial<DeadlineAtRiskV1> = {}): DeadlineAtRiskV1 => ({
    deadlineId: DEADLINE,
    caseId: CASE,
    kind: 'DRAFT',
    dueAt: '2026-11-27T10:00:00.000Z',
    firedAt: '2026-11-27T08:00:00.000Z',
    ...overrides,
  });
  const BEFORE_DUE = new Date('2026-11-27T08:00:05.000Z');

  it('an at-risk warning that arrives after the due moment is not sent; the breach still is', async () => {
    const { service } = setUp({ officials: [], staff: STAFF });
    const late = new Date('2026-11-27T10:00:01.000Z');
    expect(
      await service.notifyDeadline('AT_RISK', BURANOVSKY, deadline({ responsibleUserId: EXECUTOR }), late),
    ).toEqual([]);
    expect(
      await service.notifyDeadline('BREACHED', BURANOVSKY, deadline({ responsibleUserId: EXECUTOR }), late),
    ).toHaveLength(2);
  });

  it.each<[string, 'AT_RISK' | 'BREACHED', DeadlineAtRiskV1, Array<[string, string, string, string]>]>([
    [
      'at risk, with a responsible person: that person',
      'AT_RISK',
      deadline({ responsibleUserId: EXECUTOR }),
      [
        [
          EXECUTOR,
          BURANOVSKY,
          'DEADLINE_AT_RISK',
          // Friday 15:00:05 in Barnaul, due at 17:00: the working time left is said too.
          'Срок на исходе: подготовить проект ответа нужно до 27.11 17:00, осталось 1 ч 59 мин рабочего времени',
        ],
      ],
    ],
    [
      'breached, with a responsible person: that person and the case’s officials (no head in buranovsky)',
      'BREACHED',
      deadline({ kind: 'ROUTE', responsibleUserId: EXECUTOR }),
      [
        [EXECUTOR, BURANOVSKY, 'DEADLINE_BREACHED', 'Срок нарушен: направить обращение нужно было до 27.11 17:00'],
        [person('b1'), BURANOVSKY, 'DEADLINE_BREACHED', 'Срок нарушен: направить обращение нужно было до 27.11 17:00'],
      ],
    ],
    [
      'breached, nobody responsible: the officials of the case’s organisation',
      'BREACHED',
      deadline({ kind: 'ANSWER' }),
      [[person('b1'), BURANOVSKY, 'DEADLINE_BREACHED', 'Срок нарушен: опубликовать ответ нужно было до 27.11 17:00']],
    ],
  ])('%s', async (_rule, state, fired, expected) => {
    const { service, scopes } = setUp({ officials: [], staff: STAFF });
    const created = await service.notifyDeadline(state, BURANOVSKY, fired, BEFORE_DUE);
    expect(created.map((n) => [n.userId, n.organizationId, n.kind, n.text])).toEqual(expected);
    expect(scopes).toEqual([[BURANOVSKY]]);
  });

  it('breached: the responsible person, their official and their head, the nearest along the case’s last known path', async () => {
    const { service, scopes, enqueued } = setUp({
      officials: [],
      staff: STAFF,
      casePaths: { [CASE]: [SHADRINSKY, DISTRICT] },
    });
    const created = await service.notifyDeadline(
      'BREACHED',
      SHADRINSKY,
      deadline({ kind: 'DRAFT', responsibleUserId: EXECUTOR }),
    );
    expect(created.map((n) => [n.userId, n.organizationId])).toEqual([
      [EXECUTOR, SHADRINSKY],
      [person('d1'), DISTRICT],
      [person('h1'), DISTRICT],
    ]);
    expect(scopes).toEqual([[SHADRINSKY, DISTRICT]]);
    expect(enqueued).toEqual([{ ids: created.map((n) => n.id), dueAt: new Date(deadline().dueAt) }]);
  });

  it('a known path that starts elsewhere (the case moved since) is not trusted: the event’s organisation alone', async () => {
    const { service, scopes } = setUp({ officials: [], staff: STAFF, casePaths: { [CASE]: [SHADRINSKY, DISTRICT] } });
    await service.notifyDeadline('BREACHED', BURANOVSKY, deadline({ responsibleUserId: EXECUTOR }));
    expect(scopes).toEqual([[BURANOVSKY]]);
  });

  it('at risk and breached are two sources of one deadline: each is told once', async () => {
    const { service } = setUp({ officials: [], staff: STAFF });
    const [atRisk] = await service.notifyDeadline(
      'AT_RISK',
      BURANOVSKY,
      deadline({ responsibleUserId: EXECUTOR }),
      BEFORE_DUE,
    );
    const [breached] = await service.notifyDeadline('BREACHED', BURANOVSKY, deadline({ responsibleUserId: EXECUTOR }));
    expect([atRisk.sourceKey, breached.sourceKey]).toEqual([
      `deadline.at_risk:${DEADLINE}`,
      `deadline.breached:${DEADLINE}`,
    ]);
  });

  it('nobody responsible and no officials in the organisation: nobody is told', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const { service } = setUp({ officials: [], staff: STAFF });
      expect(await service.notifyDeadline('AT_RISK', SHADRINSKY, deadline(), BEFORE_DUE)).toEqual([]);
      expect(warn).toHaveBeenCalledWith(expect.objectContaining({ organizationId: SHADRINSKY, caseId: CASE }));
    } finally {
      warn.mockRestore();
    }
  });
});
