import 'reflect-metadata';
import { EventType, EventValidationError, validateEventPayload } from '../event';
import { PLATFORMS, ROLES } from '../platform';
import { CaseOpened, CaseOpenedV1 } from './case-opened.event';
import { MessageAccepted, MessageAcceptedV1 } from './message-accepted.event';
import { NotificationCreated, NotificationCreatedV1 } from './notification-created.event';
import { StaffAppointed, StaffAppointedV1 } from './staff-appointed.event';

const UUID_1 = '0b6f4a5e-0000-4000-8000-000000000001';
const UUID_2 = '7d2c9e14-5b3a-4f6e-8c1d-2a9b8e7f6a50';
const WHEN = '2025-03-01T10:15:00.000Z';

/** The problems of an invalid payload; fails when the payload passes. */
function problemsOf<P extends object>(type: EventType<P>, data: unknown): string[] {
  let caught: unknown;
  try {
    validateEventPayload(type, data);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(EventValidationError);
  expect((caught as EventValidationError).type).toBe(type.name);
  return (caught as EventValidationError).problems;
}

/** A copy of `object` without the given keys. */
function without<T extends object>(object: T, ...keys: Array<keyof T>): Partial<T> {
  const copy: Partial<T> = { ...object };
  for (const key of keys) delete copy[key];
  return copy;
}

/** The distinct paths named by the problems, in order. */
const pathsOf = (problems: string[]): string[] => [...new Set(problems.map((p) => p.slice(0, p.indexOf(':'))))];

describe('message.accepted v1 (intake → workflow)', () => {
  const valid = {
    messageId: UUID_1,
    sourceId: 'src-vk-1',
    platform: 'VK',
    externalId: 'wall-1_100',
    url: 'https://vk.com/wall-1_100',
    text: 'Не горит фонарь на ул. Ленина',
    postedAt: WHEN,
    receivedAt: WHEN,
    author: { id: 'id1', name: 'Иван', url: 'https://vk.com/id1' },
    threadId: 'thread-1',
    attachments: [{ type: 'PHOTO', url: 'https://example.org/1.jpg' }],
  };

  it('is named message.accepted, version 1', () => {
    expect([MessageAccepted.name, MessageAccepted.version, MessageAccepted.payload]).toEqual([
      'message.accepted',
      1,
      MessageAcceptedV1,
    ]);
  });

  it('a complete payload passes unchanged', () => {
    expect(validateEventPayload(MessageAccepted, valid)).toEqual(valid);
  });

  it('the optional fields (url, author, threadId) may be left out; attachments may be empty', () => {
    const minimal = without(valid, 'url', 'author', 'threadId');
    expect(validateEventPayload(MessageAccepted, { ...minimal, attachments: [] })).toEqual({
      ...minimal,
      attachments: [],
    });
  });

  it('screening, added after v1 shipped, is optional; its reasons must be those of cl. 11', () => {
    expect(validateEventPayload(MessageAccepted, { ...valid, screening: { reasons: ['THREAT'] } })).toEqual({
      ...valid,
      screening: { reasons: ['THREAT'] },
    });
    expect(pathsOf(problemsOf(MessageAccepted, { ...valid, screening: { reasons: ['RUDE'] } }))).toEqual([
      'screening.reasons',
    ]);
  });

  it('an author with none of its optional fields passes', () => {
    expect(validateEventPayload(MessageAccepted, { ...valid, author: {} }).author).toEqual({});
  });

  it.each(PLATFORMS)('platform %s is accepted', (platform) => {
    expect(validateEventPayload(MessageAccepted, { ...valid, platform }).platform).toBe(platform);
  });

  it('an empty object lists every required field', () => {
    expect(pathsOf(problemsOf(MessageAccepted, {}))).toEqual([
      'messageId',
      'sourceId',
      'platform',
      'externalId',
      'text',
      'postedAt',
      'receivedAt',
      'attachments',
    ]);
  });

  it('every invalid field is listed, each with its own reason', () => {
    const problems = problemsOf(MessageAccepted, {
      ...valid,
      messageId: 'not-a-uuid',
      platform: 'MYSPACE',
      externalId: 'x'.repeat(501),
      postedAt: 'yesterday',
      receivedAt: '2025-13-45',
    });
    expect(problems).toEqual([
      'messageId: messageId must be a UUID',
      `platform: platform must be one of the following values: ${PLATFORMS.join(', ')}`,
      'externalId: externalId must be shorter than or equal to 500 characters',
      'postedAt: postedAt must be a valid ISO 8601 date string',
      'receivedAt: receivedAt must be a valid ISO 8601 date string',
    ]);
  });

  it('a nested author field is named by its path (author.url)', () => {
    const problems = problemsOf(MessageAccepted, { ...valid, author: { ...valid.author, url: 42 } });
    expect(pathsOf(problems)).toEqual(['author.url']);
    expect(problems).toContain('author.url: url must be a string');
  });

  it('an author longer than its limits is named field by field', () => {
    const problems = problemsOf(MessageAccepted, {
      ...valid,
      author: { id: 'i'.repeat(201), name: 'n'.repeat(501), url: 'u'.repeat(2001) },
    });
    expect(problems).toEqual([
      'author.id: id must be shorter than or equal to 200 characters',
      'author.name: name must be shorter than or equal to 500 characters',
      'author.url: url must be shorter than or equal to 2000 characters',
    ]);
  });

  it('an author that is not an object is refused', () => {
    expect(pathsOf(problemsOf(MessageAccepted, { ...valid, author: 'Иван' }))).toEqual(['author']);
  });

  it('an attachment field is named by its index and field (attachments.0.type, attachments.1.url)', () => {
    const problems = problemsOf(MessageAccepted, {
      ...valid,
      attachments: [
        { type: 'HOLOGRAM', url: 'https://example.org/1' },
        { type: 'LINK', url: 7 },
      ],
    });
    expect(problems).toEqual([
      'attachments.0.type: type must be one of the following values: PHOTO, VIDEO, DOCUMENT, LINK, AUDIO',
      'attachments.1.url: url must be shorter than or equal to 2000 characters',
      'attachments.1.url: url must be a string',
    ]);
  });

  it('attachments must be an array', () => {
    expect(pathsOf(problemsOf(MessageAccepted, { ...valid, attachments: 'PHOTO' }))).toEqual(['attachments']);
    expect(problemsOf(MessageAccepted, { ...valid, attachments: 'PHOTO' })).toContain(
      'attachments: attachments must be an array',
    );
  });

  it('optional fields, when present, are still checked (url, threadId)', () => {
    const problems = problemsOf(MessageAccepted, { ...valid, url: 5, threadId: 't'.repeat(501) });
    expect(pathsOf(problems)).toEqual(['url', 'threadId']);
  });
});

describe('case.opened v1 (workflow)', () => {
  const valid = { caseId: UUID_1, messageId: UUID_2, status: 'DETECTED', openedAt: WHEN, routeDueAt: WHEN };

  it('is named case.opened, version 1', () => {
    expect([CaseOpened.name, CaseOpened.version, CaseOpened.payload]).toEqual(['case.opened', 1, CaseOpenedV1]);
  });

  it('a complete payload passes unchanged', () => {
    expect(validateEventPayload(CaseOpened, valid)).toEqual(valid);
  });

  it('an empty object lists every field', () => {
    expect(pathsOf(problemsOf(CaseOpened, {}))).toEqual(['caseId', 'messageId', 'status', 'openedAt', 'routeDueAt']);
  });

  it('every invalid field is listed, each with its own reason', () => {
    expect(
      problemsOf(CaseOpened, { caseId: 'c-1', messageId: 1, status: 3, openedAt: 'now', routeDueAt: WHEN }),
    ).toEqual([
      'caseId: caseId must be a UUID',
      'messageId: messageId must be a UUID',
      'status: status must be a string',
      'openedAt: openedAt must be a valid ISO 8601 date string',
    ]);
  });
});

describe('staff.appointed v1 (workflow → intake, notify)', () => {
  const valid = {
    userId: UUID_1,
    login: 'official',
    displayName: 'Пётр Петров',
    email: 'official@example.org',
    organizationId: UUID_2,
    role: 'OFFICIAL',
  };

  it('is named staff.appointed, version 1', () => {
    expect([StaffAppointed.name, StaffAppointed.version, StaffAppointed.payload]).toEqual([
      'staff.appointed',
      1,
      StaffAppointedV1,
    ]);
  });

  it('a complete payload passes unchanged, and email may be left out', () => {
    expect(validateEventPayload(StaffAppointed, valid)).toEqual(valid);
    const withoutEmail = without(valid, 'email');
    expect(validateEventPayload(StaffAppointed, withoutEmail)).toEqual(withoutEmail);
  });

  it.each(ROLES)('role %s is accepted', (role) => {
    expect(validateEventPayload(StaffAppointed, { ...valid, role }).role).toBe(role);
  });

  it('an empty object lists every required field', () => {
    expect(pathsOf(problemsOf(StaffAppointed, {}))).toEqual([
      'userId',
      'login',
      'displayName',
      'organizationId',
      'role',
    ]);
  });

  it('every invalid field is listed, each with its own reason', () => {
    expect(
      problemsOf(StaffAppointed, {
        ...valid,
        userId: 'u-1',
        login: 'l'.repeat(201),
        email: 'not-an-email',
        organizationId: 'kalmansky',
        role: 'KING',
      }),
    ).toEqual([
      'userId: userId must be a UUID',
      'login: login must be shorter than or equal to 200 characters',
      'email: email must be an email',
      'organizationId: organizationId must be a UUID',
      `role: role must be one of the following values: ${ROLES.join(', ')}`,
    ]);
  });
});

describe('notification.created v1 (notify → gateway)', () => {
  const valid = {
    notificationId: UUID_1,
    userId: UUID_2,
    kind: 'CASE_ASSIGNED',
    text: 'Вам назначено обращение',
    caseId: UUID_1,
    createdAt: WHEN,
  };

  it('is named notification.created, version 1', () => {
    expect([NotificationCreated.name, NotificationCreated.version, NotificationCreated.payload]).toEqual([
      'notification.created',
      1,
      NotificationCreatedV1,
    ]);
  });

  it('a complete payload passes unchanged, and caseId may be left out', () => {
    expect(validateEventPayload(NotificationCreated, valid)).toEqual(valid);
    const withoutCase = without(valid, 'caseId');
    expect(validateEventPayload(NotificationCreated, withoutCase)).toEqual(withoutCase);
  });

  it('an empty object lists every required field', () => {
    expect(pathsOf(problemsOf(NotificationCreated, {}))).toEqual([
      'notificationId',
      'userId',
      'kind',
      'text',
      'createdAt',
    ]);
  });

  it('every invalid field is listed, each with its own reason', () => {
    expect(
      problemsOf(NotificationCreated, {
        ...valid,
        notificationId: 'n-1',
        kind: 'k'.repeat(101),
        text: null,
        caseId: 'case-1',
        createdAt: 'today',
      }),
    ).toEqual([
      'notificationId: notificationId must be a UUID',
      'kind: kind must be shorter than or equal to 100 characters',
      'text: text must be a string',
      'caseId: caseId must be a UUID',
      'createdAt: createdAt must be a valid ISO 8601 date string',
    ]);
  });
});
