import type { Channel } from '../preferences/preference.rules';
import type { DeliveryEntity } from './delivery.entity';
import type { NotificationDeliveryModel, TelegramLinkModel } from './delivery.model';
import type { TelegramLinkEntity } from './telegram-link.entity';

export function toDeliveryModel(entity: DeliveryEntity): NotificationDeliveryModel {
  return {
    channel: entity.channel as Channel,
    status: entity.status,
    digest: entity.digest,
    attempts: entity.attempts,
    nextAttemptAt: entity.nextAttemptAt,
    lastError: entity.lastError,
    sentAt: entity.sentAt,
  };
}

export function toTelegramLinkModel(entity: TelegramLinkEntity): TelegramLinkModel {
  return { linkedAt: entity.linkedAt };
}
