import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Viewer } from '@otklik/auth';
import { UnitOfWork } from '@otklik/persistence';
import type { NotificationEntity } from '../notifications/notification.entity';
import { isEnabled, OUTBOUND_CHANNELS, OutboundChannel, PreferenceChoice } from '../preferences/preference.rules';
import { PreferenceService } from '../preferences/preference.service';
import { ChannelSender, describeError, OutboundMessage, SendOutcome } from './channel.sender';
import { DeliveryClock } from './delivery.clock';
import { DELIVERY_CONFIG, DeliveryConfig } from './delivery.config';
import { DeliveryEntity } from './delivery.entity';
import { DeliveryException } from './delivery.exception';
import { ClaimedDelivery, DeliveryRepository } from './delivery.repository';
import { DeliveryPlan, planDelivery } from './delivery.schedule';
import { renderDigest, renderNotification, RenderContext } from './delivery.text';
import { TelegramLinkRepository } from './telegram-link.repository';
import { WorkingHours } from './working-hours';

/** How a failing channel is retried: exponential back-off with jitter, then FAILED. */
export interface RetryPolicy {
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, baseMs: 30_000, maxMs: 60 * 60 * 1000 };

/** One pass of a channel's worker. */
export interface DeliveryPass {
  channel: OutboundChannel;
  batchSize: number;
  leaseMs: number;
  retry: RetryPolicy;
}

/** Why a delivery was not made, as the recipient reads it in the log. */
export const SKIP_REASON = {
  emailOff: 'e-mail выключен на сервере (SMTP_URL не задан)',
  telegramOff: 'Telegram-бот для сотрудников не настроен на сервере',
  disabled: 'выключено в настройках уведомлений',
  noEmail: 'нет адреса e-mail',
  notLinked: 'Telegram не привязан',
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The wait before attempt `attempts + 1`: base · 2^(attempts − 1), capped, jittered down by up to half. */
export function backoffMs(attempts: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}

/**
 * The delivery log: what a notification becomes on each channel (written with it, in its
 * transaction), and the work of sending it — at once, or in the morning digest.
 */
@Injectable()
export class DeliveryService {
  private readonly logger = new Logger(DeliveryService.name);

  constructor(
    @Inject(DELIVERY_CONFIG) private readonly config: DeliveryConfig,
    private readonly uow: UnitOfWork,
    private readonly deliveries: DeliveryRepository,
    private readonly links: TelegramLinkRepository,
    private readonly preferences: PreferenceService,
    private readonly workingHours: WorkingHours,
    private readonly clock: DeliveryClock,
  ) {}

  /**
   * The deliveries of notifications just written, in their transaction: IN_APP is done (the
   * feed and NotificationCreated), each other channel PENDING (at once or for the digest) or
   * SKIPPED with the reason. A notification already there adds nothing (one row per channel).
   */
  enqueue(notifications: readonly NotificationEntity[], dueAt?: Date): Promise<void> {
    if (notifications.length === 0) return Promise.resolve();
    return this.uow.run(async () => {
      const now = this.clock.now();
      const userIds = [...new Set(notifications.map((n) => n.userId))];
      const choices = await this.preferences.choicesOf(userIds);
      const chats = this.config.telegram ? await this.links.chatsOf(userIds) : new Map<string, string>();
      const rows = notifications.flatMap((n) => {
        const plan = this.plan(n, now);
        const row = (channel: string, fields: Partial<DeliveryEntity>) =>
          Object.assign(new DeliveryEntity(), {
            id: randomUUID(),
            notificationId: n.id,
            organizationId: n.organizationId,
            userId: n.userId,
            channel,
            digest: false,
            dueAt: dueAt ?? null,
            attempts: 0,
            nextAttemptAt: null,
            lastError: null,
            sentAt: null,
            createdAt: now,
            ...fields,
          });
        return [
          row('IN_APP', { status: 'SENT', attempts: 1, sentAt: n.createdAt }),
          ...OUTBOUND_CHANNELS.map((channel) => {
            const skipped = this.skipReason(channel, n, choices.get(n.userId) ?? [], chats);
            return skipped
              ? row(channel, { status: 'SKIPPED', lastError: skipped })
              : row(channel, { status: 'PENDING', digest: plan.digest, nextAttemptAt: plan.at });
          }),
        ];
      });
      await this.deliveries.insertNew(rows);
    });
  }

  /** The deliveries of one of the viewer's own notifications; none for anyone else's. */
  ofNotification(viewer: Viewer, notificationId: string): Promise<DeliveryEntity[]> {
    if (!UUID.test(notificationId)) {
      throw new DeliveryException('BAD_USER_INPUT', `notificationId: "${notificationId}" is not a notification id`, {
        argument: 'notificationId',
      });
    }
    return this.uow.run(() => this.deliveries.ofNotification(viewer.userId, notificationId.toLowerCase()));
  }

  /**
   * One pass of a channel: the due single deliveries, then the due digests (one message per
   * person). Each outcome is recorded as soon as it is known. Returns how many deliveries it took.
   */
  async deliverDue(sender: ChannelSender, pass: DeliveryPass): Promise<number> {
    let taken = 0;
    for (const digest of [false, true]) {
      const now = this.clock.now();
      const claimed = await this.uow.run(() =>
        this.deliveries.claim({
          channel: pass.channel,
          digest,
          now,
          leaseUntil: new Date(now.getTime() + pass.leaseMs),
          limit: pass.batchSize,
        }),
      );
      taken += claimed.length;
      if (claimed.length === 0) continue;
      const addresses = await this.addressesOf(pass.channel, claimed);
      const groups = digest ? groupByUser(claimed) : claimed.map((d) => [d]);
      for (const group of groups) {
        const address = addresses.get(group[0].userId);
        if (!address?.to) {
          await this.uow.run(() =>
            this.deliveries.markSkipped(
              group.map((d) => d.id),
              pass.channel === 'EMAIL' ? SKIP_REASON.noEmail : SKIP_REASON.notLinked,
            ),
          );
          continue;
        }
        const message = this.render(group, digest, address.displayName);
        const outcome = await send(sender, address.to, message);
        await this.record(pass, group, outcome);
      }
    }
    return taken;
  }

  private plan(n: NotificationEntity, now: Date): DeliveryPlan {
    if (!this.config.deferOutsideWorkingHours) return { at: now, digest: false };
    try {
      return planDelivery(n.kind, now, this.workingHours.of(n.organizationId));
    } catch (error) {
      // A calendar without the year (not loaded yet): better at once than never.
      this.logger.warn(`notification ${n.id}: working hours unknown (${describeError(error)}); delivered at once`);
      return { at: now, digest: false };
    }
  }

  private skipReason(
    channel: OutboundChannel,
    n: NotificationEntity,
    choices: readonly PreferenceChoice[],
    chats: ReadonlyMap<string, string>,
  ): string | undefined {
    if (channel === 'EMAIL' && !this.config.email) return SKIP_REASON.emailOff;
    if (channel === 'TELEGRAM' && !this.config.telegram) return SKIP_REASON.telegramOff;
    if (!isEnabled(n.kind, channel, choices)) return SKIP_REASON.disabled;
    if (channel === 'TELEGRAM' && !chats.has(n.userId)) return SKIP_REASON.notLinked;
    return undefined;
  }

  /** Where each claimed delivery's person is reached on the channel, and their name for the digest. */
  private addressesOf(
    channel: OutboundChannel,
    claimed: readonly ClaimedDelivery[],
  ): Promise<Map<string, { to: string | undefined; displayName?: string }>> {
    const userIds = [...new Set(claimed.map((d) => d.userId))];
    return this.uow.run(async () => {
      const mailboxes = await this.deliveries.mailboxesOf(userIds);
      const chats = channel === 'TELEGRAM' ? await this.links.chatsOf(userIds) : new Map<string, string>();
      return new Map(
        userIds.map((id) => [
          id,
          {
            to: channel === 'EMAIL' ? (mailboxes.get(id)?.email ?? undefined) : chats.get(id),
            displayName: mailboxes.get(id)?.displayName,
          },
        ]),
      );
    });
  }

  private render(group: readonly ClaimedDelivery[], digest: boolean, displayName?: string): OutboundMessage {
    const context: RenderContext = {
      appUrl: this.config.appUrl,
      time: this.workingHours.of(group[0].organizationId),
      now: this.clock.now(),
    };
    return digest ? renderDigest(group, context, displayName) : renderNotification(group[0], context);
  }

  private async record(pass: DeliveryPass, group: readonly ClaimedDelivery[], outcome: SendOutcome): Promise<void> {
    const ids = group.map((d) => d.id);
    const what = `${pass.channel} ${group.length > 1 ? `digest of ${group.length}` : 'delivery'} to user ${group[0].userId}`;
    if (outcome.outcome === 'SENT') {
      await this.uow.run(() => this.deliveries.markSent(ids, this.clock.now()));
      return;
    }
    // Every delivery of a digest went through the same attempts; the first's count stands for all.
    const attempts = Math.max(...group.map((d) => d.attempts));
    if (outcome.outcome === 'FAILED' || attempts >= pass.retry.maxAttempts) {
      const reason =
        outcome.outcome === 'FAILED' ? outcome.reason : `не доставлено за ${attempts} попыток: ${outcome.reason}`;
      await this.uow.run(() => this.deliveries.markFailed(ids, reason));
      this.logger.warn({ msg: `${what} FAILED: ${reason}`, deliveryIds: ids, userId: group[0].userId });
      return;
    }
    const wait = Math.max(backoffMs(attempts, pass.retry), outcome.retryAfterMs ?? 0);
    const at = new Date(this.clock.now().getTime() + wait);
    await this.uow.run(() => this.deliveries.markRetry(ids, at, outcome.reason));
    this.logger.log(
      `${what}: attempt ${attempts} did not go through (${outcome.reason}); next in ${Math.round(wait / 1000)} s`,
    );
  }
}

function groupByUser(claimed: readonly ClaimedDelivery[]): ClaimedDelivery[][] {
  const byUser = new Map<string, ClaimedDelivery[]>();
  for (const d of claimed) byUser.set(d.userId, [...(byUser.get(d.userId) ?? []), d]);
  return [...byUser.values()];
}

/** A sender that throws instead of answering is a channel's trouble like any other: another attempt. */
async function send(sender: ChannelSender, to: string, message: OutboundMessage): Promise<SendOutcome> {
  try {
    return await sender.send(to, message);
  } catch (error) {
    return { outcome: 'RETRY', reason: describeError(error) };
  }
}
