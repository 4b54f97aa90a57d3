import { Injectable } from '@nestjs/common';
import type { Viewer } from '@otklik/auth';
import { byKeys, requestLoader } from '@otklik/service-kit';
import type { NotificationEntity } from './notification.entity';
import { NotificationService } from './notification.service';

const OWN_BY_ID = Symbol('own notification by id');

/**
 * The viewer's own notifications by id, one query per request's batch: the gateway resolves a
 * burst of `notificationAdded` events as one query with many `notification(id:)` fields.
 */
@Injectable()
export class NotificationLoader {
  constructor(private readonly notifications: NotificationService) {}

  ownById(request: object, viewer: Viewer, id: string): Promise<NotificationEntity | null> {
    return requestLoader<string, NotificationEntity | null>(request, OWN_BY_ID, async (ids) =>
      byKeys(ids, await this.notifications.findOwnMany(viewer, ids), (n) => n.id, null),
    ).load(id);
  }
}
