import { criticalityOf, screeningOf } from './message.service';
import type { MessageVersionEntity } from './message-version.entity';
import type { MessageEntity } from './message.entity';
import type { MessageModel, MessageVersionModel } from './message.model';

export function toMessageModel(entity: MessageEntity): MessageModel {
  return {
    id: entity.id,
    platform: entity.platform,
    url: entity.url,
    text: entity.text,
    postedAt: entity.postedAt,
    author: entity.author
      ? {
          id: entity.author.id ?? null,
          name: entity.author.name ?? null,
          url: entity.author.url ?? null,
          messageId: entity.id,
          organizationId: entity.organizationId,
        }
      : null,
    attachments: entity.attachments.map((a) => ({ type: a.type, url: a.url })),
    receivedAt: entity.receivedAt,
    threadId: entity.threadId,
    // Messages stored before screening existed are screened as they are read.
    screening: entity.screening ?? screeningOf(entity.text),
    // Likewise criticality: assessed as they are read.
    criticality: entity.criticality ?? criticalityOf(entity.text),
    editedAt: entity.editedAt,
    deletedAt: entity.deletedAt,
  };
}

export function toMessageVersionModel(entity: MessageVersionEntity): MessageVersionModel {
  return {
    text: entity.text,
    attachments: entity.attachments.map((a) => ({ type: a.type, url: a.url })),
    replacedAt: entity.replacedAt,
  };
}
