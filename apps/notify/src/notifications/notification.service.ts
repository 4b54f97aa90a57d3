import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { Viewer } from '@otklik/auth';
import { CaseOpenedV1, NotificationCreated } from '@otklik/contracts';
import { EventOutbox } from '@otklik/messaging';
import { UnitOfWork } from '@otklik/persistence';
import { RecipientService } from '../recipients/recipient.service';
import { decodeCursor } from './notification.cursor';
import { NotificationEntity } from './notification.entity';
import { NotificationException } from './notification.exception';
import { NotificationRepository } from './notification.repository';
import { caseOpenedText, FALLBACK_TIME_ZONE, NotificationKind } from './notification.text';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/** Ids one markNotificationsRead call may name (a few pages' worth). */
export const MAX_IDS_PER_CALL = 500;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface FeedArgs {
  unreadOnly?: boolean | null;
  first?: number | null;
  after?: string | null;
}

export interface NotificationPage {
  items: NotificationEntity[];
  hasNextPage: boolean;
  totalCount: number;
}

@Injectable()
export class NotificationService {
  private readonly logger = new Logger(NotificationService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly notifications: NotificationRepository,
    private readonly recipients: RecipientService,
    private readonly outbox: EventOutbox,
  ) {}

  /**
   * A case was opened (DETECTED) in an organisation: each of its officials is told to route it
   * before the ROUTE deadline (cl. 4–5), and the gateway is told (NotificationCreated) to push it
   * live. Idempotent: a user is told about a case once, whatever the number of deliveries.
   */
  notifyCaseOpened(organizationId: string, opened: CaseOpenedV1): Promise<NotificationEntity[]> {
    return this.uow.run(async () => {
      const officials = await this.recipients.officialsOf(organizationId);
      if (officials.length === 0) {
        // Step 5 escalates this to the coordinator; until then the log is the only trace.
        this.logger.warn({
          msg: `case ${opened.caseId} was opened in organisation ${organizationId}, which has no officials to notify`,
          organizationId,
          caseId: opened.caseId,
        });
        return [];
      }
      const createdAt = new Date();
      const text = caseOpenedText(new Date(opened.routeDueAt), FALLBACK_TIME_ZONE);
      const candidates = officials.map((official) =>
        Object.assign(new NotificationEntity(), {
          id: randomUUID(),
          organizationId,
          userId: official.userId,
          kind: NotificationKind.CASE_OPENED,
          text,
          caseId: opened.caseId,
          createdAt,
          readAt: null,
        }),
      );
      const inserted = await this.notifications.insertNew(candidates);
      const created = candidates.filter((n) => inserted.has(n.id));
      for (const notification of created) {
        await this.outbox.add(NotificationCreated, organizationId, {
          notificationId: notification.id,
          userId: notification.userId,
          kind: notification.kind,
          text: notification.text,
          caseId: opened.caseId,
          createdAt: createdAt.toISOString(),
        });
      }
      this.logger.log(`case ${opened.caseId}: ${created.length} of ${officials.length} official(s) notified`);
      return created;
    });
  }

  /** The viewer's own notifications, newest first, one page. */
  feed(viewer: Viewer, args: FeedArgs): Promise<NotificationPage> {
    const first = args.first ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
      throw new NotificationException('BAD_USER_INPUT', `first must be between 0 and ${MAX_PAGE_SIZE}; got ${first}`, {
        argument: 'first',
      });
    }
    const after = args.after == null ? undefined : decodeCursor(args.after);
    if (args.after != null && !after) {
      throw new NotificationException(
        'BAD_USER_INPUT',
        'after is not a cursor of this list; pass the endCursor of the previous page, or omit it for the first page',
        { argument: 'after' },
      );
    }
    const unreadOnly = args.unreadOnly ?? false;
    return this.uow.run(async () => {
      const rows = await this.notifications.feed({ userId: viewer.userId, unreadOnly, after, limit: first + 1 });
      const totalCount = await this.notifications.count(viewer.userId, unreadOnly);
      return { items: rows.slice(0, first), hasNextPage: rows.length > first, totalCount };
    });
  }

  /** BAD_USER_INPUT unless every id is a notification id (a UUID). */
  assertIds(ids: readonly string[]): void {
    requireIds(ids, 'id');
  }

  /** The viewer's own notifications among `ids` (in no particular order). */
  findOwnMany(viewer: Viewer, ids: readonly string[]): Promise<NotificationEntity[]> {
    requireIds(ids, 'id');
    return this.uow.run(() => this.notifications.findOwn(viewer.userId, ids));
  }

  /**
   * Marks the viewer's own notifications among `ids` read (those read before keep their time);
   * returns them in the order asked. Ids of other users' notifications are skipped silently.
   */
  markRead(viewer: Viewer, ids: readonly string[]): Promise<NotificationEntity[]> {
    requireIds(ids, 'ids');
    const unique = [...new Set(ids.map((id) => id.toLowerCase()))];
    return this.uow.run(async () => {
      await this.notifications.markRead(viewer.userId, unique);
      const found = new Map((await this.notifications.findOwn(viewer.userId, unique)).map((n) => [n.id, n]));
      return unique.flatMap((id) => found.get(id) ?? []);
    });
  }

  /** Marks every unread notification of the viewer read; returns how many were unread. */
  markAllRead(viewer: Viewer): Promise<number> {
    return this.uow.run(() => this.notifications.markRead(viewer.userId));
  }
}

function requireIds(ids: readonly string[], argument: string): void {
  if (ids.length > MAX_IDS_PER_CALL) {
    throw new NotificationException(
      'BAD_USER_INPUT',
      `${argument}: at most ${MAX_IDS_PER_CALL} ids per call; got ${ids.length}`,
      {
        argument,
      },
    );
  }
  const bad = ids.findIndex((id) => !UUID.test(id));
  if (bad >= 0) {
    const where = ids.length === 1 && argument === 'id' ? argument : `${argument}[${bad}]`;
    throw new NotificationException('BAD_USER_INPUT', `${where}: "${ids[bad]}" is not a notification id`, { argument });
  }
}
