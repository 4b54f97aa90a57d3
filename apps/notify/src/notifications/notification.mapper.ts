import { encodeCursor } from './notification.cursor';
import type { NotificationEntity } from './notification.entity';
import { NotificationConnectionModel, NotificationModel } from './notification.model';
import type { NotificationPage } from './notification.service';

export function toNotificationModel(entity: NotificationEntity): NotificationModel {
  return {
    id: entity.id,
    kind: entity.kind,
    text: entity.text,
    case: entity.caseId ? { __typename: 'Case', id: entity.caseId } : null,
    createdAt: entity.createdAt,
    readAt: entity.readAt,
  };
}

export function toNotificationConnection(page: NotificationPage): NotificationConnectionModel {
  const edges = page.items.map((entity) => ({ cursor: encodeCursor(entity), node: toNotificationModel(entity) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      // Forward pagination only (first/after): Relay allows false here.
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount: page.totalCount,
  };
}
