import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { Viewer } from '@otklik/auth';
import {
  CaseOpened,
  CaseOpenedV1,
  CaseTransitioned,
  CaseTransitionedV1,
  DeadlineAtRisk,
  DeadlineAtRiskV1,
  DeadlineBreached,
  DeadlineBreachedV1,
  EventEnvelope,
  NotificationCreated,
  PublicationCompleted,
  PublicationCompletedV1,
} from '@otklik/contracts';
import { EventOutbox } from '@otklik/messaging';
import { UnitOfWork } from '@otklik/persistence';
import { DeliveryService } from '../delivery/delivery.service';
import { workingMinutesLeft } from '../delivery/delivery.text';
import { WorkingHours } from '../delivery/working-hours';
import { RecipientService } from '../recipients/recipient.service';
import { CasePathRepository } from './case-path.repository';
import { decodeCursor } from './notification.cursor';
import { NotificationEntity } from './notification.entity';
import { NotificationException } from './notification.exception';
import { NotificationRepository } from './notification.repository';
import {
  Addressee,
  addresseesOf,
  Audience,
  deadlineNotice,
  Notice,
  publicationFailedNotice,
  transitionNotice,
} from './notification.rules';
import { caseOpenedText, FALLBACK_TIME_ZONE, NotificationKind } from './notification.text';
import { TenantScope } from './tenant.scope';

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
    private readonly scope: TenantScope,
    private readonly casePaths: CasePathRepository,
    private readonly deliveries: DeliveryService,
    private readonly workingHours: WorkingHours,
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
      const created = await this.record(
        officials.map((official) =>
          Object.assign(new NotificationEntity(), {
            id: randomUUID(),
            organizationId,
            userId: official.userId,
            kind: NotificationKind.CASE_OPENED,
            text,
            caseId: opened.caseId,
            sourceKey: `${CaseOpened.name}:${opened.caseId}`,
            createdAt,
            readAt: null,
          }),
        ),
        new Date(opened.routeDueAt),
      );
      this.logger.log(`case ${opened.caseId}: ${created.length} of ${officials.length} official(s) notified`);
      return created;
    });
  }

  /**
   * A case moved (notification.rules.ts says who hears of which move). The people told may sit
   * above the case's organisation (a district's coordinator for a sel'sovet's case), so their
   * rows are looked up and written with every organisation of the case's path visible: workflow
   * names the path, and its events reach us signed off over the bus. Idempotent: one
   * notification per person and transition event, whatever the number of deliveries.
   */
  notifyCaseTransitioned(
    event: Pick<EventEnvelope, 'eventId' | 'organizationId'>,
    transition: CaseTransitionedV1,
  ): Promise<NotificationEntity[]> {
    const notice = transitionNotice(transition);
    const path =
      transition.organizationPath.length > 0 ? [...new Set(transition.organizationPath)] : [event.organizationId];
    if (path[0] !== event.organizationId) {
      // The subject (the case's organisation) and the path disagree: a producer bug, not something to guess around.
      throw new Error(
        `CaseTransitioned ${event.eventId} was published for organisation ${event.organizationId} ` +
          `but its organizationPath starts at ${path[0]}`,
      );
    }
    return this.uow.run(async () => {
      // Where the case now stands, for whom its deadlines' breaches reach (their events name only its organisation).
      await this.casePaths.remember(transition.caseId, path, new Date(transition.at));
      if (!notice) return [];
      return this.tell(notice, {
        path,
        caseId: transition.caseId,
        sourceKey: `${CaseTransitioned.name}:${event.eventId}`,
        what: `${transition.action} of case ${transition.caseId}`,
      });
    });
  }

  /**
   * A deadline is at risk or breached (notification.rules.ts says who hears): the people are
   * looked up along the case's path as its last move announced, or in its organisation alone.
   * A warning that arrives once the deadline has passed (a consumer catching up after an outage,
   * or created on a first deploy and reading the stream's past) is not sent: the breach is.
   */
  notifyDeadline(
    state: 'AT_RISK' | 'BREACHED',
    organizationId: string,
    deadline: DeadlineAtRiskV1 | DeadlineBreachedV1,
    now: Date = new Date(),
  ): Promise<NotificationEntity[]> {
    if (state === 'AT_RISK' && new Date(deadline.dueAt) <= now) {
      this.logger.log(
        `${deadline.kind} deadline ${deadline.deadlineId}: at-risk warning skipped, it fell due at ${deadline.dueAt}`,
      );
      return Promise.resolve([]);
    }
    const event = state === 'AT_RISK' ? DeadlineAtRisk : DeadlineBreached;
    const dueAt = new Date(deadline.dueAt);
    const left = state === 'AT_RISK' ? workingMinutesLeft(this.workingHours.of(organizationId), now, dueAt) : undefined;
    return this.uow.run(async () => {
      const known = await this.casePaths.pathOf(deadline.caseId);
      // A path that starts elsewhere is from before the case moved here: its organisation alone is sure.
      const path = known?.[0] === organizationId ? known : [organizationId];
      return this.tell(
        deadlineNotice(state, deadline, left),
        {
          path,
          caseId: deadline.caseId,
          sourceKey: `${event.name}:${deadline.deadlineId}`,
          what: `${deadline.kind} deadline ${state === 'AT_RISK' ? 'at risk' : 'breached'} of case ${deadline.caseId}`,
        },
        dueAt,
      );
    });
  }

  /**
   * An approved answer could not be published (publication.completed FAILED): the nearest
   * officials along the case's path are told, with the reason. Idempotent: one notification per
   * person and publication.
   */
  notifyPublicationFailed(
    event: Pick<EventEnvelope, 'eventId' | 'organizationId'>,
    completed: PublicationCompletedV1,
  ): Promise<NotificationEntity[]> {
    const path =
      completed.organizationPath.length > 0 ? [...new Set(completed.organizationPath)] : [event.organizationId];
    if (path[0] !== event.organizationId) {
      // The subject (the publication's organisation) and the path disagree: a producer bug.
      throw new Error(
        `PublicationCompleted ${event.eventId} was published for organisation ${event.organizationId} ` +
          `but its organizationPath starts at ${path[0]}`,
      );
    }
    return this.tell(publicationFailedNotice(completed.error), {
      path,
      caseId: completed.caseId,
      sourceKey: `${PublicationCompleted.name}:${completed.publicationId}`,
      what: `failed publication ${completed.publicationId} of case ${completed.caseId}`,
    });
  }

  /**
   * Tells a notice's audiences, found along `path` (the case's organisation first), with those
   * organisations visible; `dueAt`, the deadline it is about, goes with its deliveries.
   */
  private tell(
    notice: Notice,
    about: { path: readonly string[]; caseId: string; sourceKey: string; what: string },
    dueAt?: Date,
  ): Promise<NotificationEntity[]> {
    const { path, caseId } = about;
    return this.scope.within(path, async () => {
      const addressees = await this.addresseesOf(notice.audiences, path);
      if (addressees.length === 0) {
        const why = notice.audiences
          .map((a) =>
            a.type === 'user' ? 'the event names nobody' : `no ${a.role} in organisations ${path.join(', ')}`,
          )
          .join('; ');
        const line = { msg: `${about.what}: nobody to notify (${why})`, organizationId: path[0], caseId };
        if (notice.mayReachNobody) this.logger.debug(line);
        else this.logger.warn(line);
        return [];
      }
      const createdAt = new Date();
      const created = await this.record(
        addressees.map((addressee) =>
          Object.assign(new NotificationEntity(), {
            id: randomUUID(),
            organizationId: addressee.organizationId,
            userId: addressee.userId,
            kind: notice.kind,
            text: notice.text,
            caseId,
            sourceKey: about.sourceKey,
            createdAt,
            readAt: null,
          }),
        ),
        dueAt,
      );
      this.logger.log(`${about.what}: ${created.length} of ${addressees.length} ${notice.kind} notified`);
      return created;
    });
  }

  /** Everyone in any of the audiences, once: the responsible executor who is also an official hears it once. */
  private async addresseesOf(audiences: readonly Audience[], path: readonly string[]): Promise<Addressee[]> {
    const seen = new Set<string>();
    const all: Addressee[] = [];
    for (const audience of audiences) {
      const holders = audience.type === 'user' ? [] : await this.recipients.holdersIn(path, audience.role);
      for (const addressee of addresseesOf(audience, path, holders)) {
        if (seen.has(addressee.userId)) continue;
        seen.add(addressee.userId);
        all.push(addressee);
      }
    }
    return all;
  }

  /**
   * Inserts the notifications not there yet (a user is told of each source once), announces each
   * new one (NotificationCreated, under its own organisation) and queues its deliveries by e-mail
   * and Telegram, all in the same transaction. `dueAt`: the deadline they are about, if any.
   */
  private async record(candidates: NotificationEntity[], dueAt?: Date): Promise<NotificationEntity[]> {
    const inserted = await this.notifications.insertNew(candidates);
    const created = candidates.filter((n) => inserted.has(n.id));
    for (const notification of created) {
      await this.outbox.add(NotificationCreated, notification.organizationId, {
        notificationId: notification.id,
        userId: notification.userId,
        kind: notification.kind,
        text: notification.text,
        caseId: notification.caseId ?? undefined,
        createdAt: notification.createdAt.toISOString(),
      });
    }
    await this.deliveries.enqueue(created, dueAt);
    return created;
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
