import { decodeCursor } from './notification.cursor';
import { NotificationEntity } from './notification.entity';
import { toNotificationConnection, toNotificationModel } from './notification.mapper';

const notification = (overrides: Partial<NotificationEntity> = {}): NotificationEntity =>
  Object.assign(new NotificationEntity(), {
    id: '6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f',
    organizationId: '0b6f4a5e-0000-4000-8000-000000000001',
    userId: '0b6f4a5e-0000-4000-8001-000000000002',
    kind: 'CASE_OPENED',
    text: 'Новое обращение',
    caseId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
    createdAt: new Date('2026-11-28T10:00:00.000Z'),
    readAt: null,
    ...overrides,
  });

describe('notification mapper', () => {
  it('Notification.case is a reference to workflow’s Case by id', () => {
    expect(toNotificationModel(notification()).case).toEqual({
      __typename: 'Case',
      id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
    });
  });

  it('a notification about no case has case null', () => {
    expect(toNotificationModel(notification({ caseId: null })).case).toBeNull();
  });

  it('a page becomes a Relay connection whose cursors point at its edges', () => {
    const items = [notification(), notification({ id: '7f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f' })];
    const connection = toNotificationConnection({ items, hasNextPage: true, totalCount: 5 });
    expect(connection.edges.map((e) => decodeCursor(e.cursor)?.id)).toEqual(items.map((i) => i.id));
    expect(connection.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: connection.edges[0].cursor,
      endCursor: connection.edges[1].cursor,
    });
    expect(connection.totalCount).toBe(5);
  });

  it('an empty page has no cursors', () => {
    expect(toNotificationConnection({ items: [], hasNextPage: false, totalCount: 0 }).pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: false,
      startCursor: null,
      endCursor: null,
    });
  });
});
