import { screeningOf } from './message.service';
import type { MessageEntity } from './message.entity';
import type { MessageModel } from './message.model';

export function toMessageModel(entity: MessageEntity): MessageModel {
  return {
    id: entity.id,
    platform: entity.platform,
    url: entity.url,
    text: entity.text,
    postedAt: entity.postedAt,
    author: entity.author
      ? { id: entity.author.id ?? null, name: entity.author.name ?? null, url: entity.author.url ?? null }
      : null,
    attachments: entity.attachments.map((a) => ({ type: a.type, url: a.url })),
    receivedAt: entity.receivedAt,
    threadId: entity.threadId,
    // Messages stored before screening existed are screened as they are read.
    screening: entity.screening ?? screeningOf(entity.text),
  };
}
