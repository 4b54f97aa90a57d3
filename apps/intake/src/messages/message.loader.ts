import { Injectable } from '@nestjs/common';
import { requestLoader } from '@otklik/service-kit';
import type { MessageVersionEntity } from './message-version.entity';
import type { MessageEntity } from './message.entity';
import { MessageService } from './message.service';

const BY_ID = Symbol('message by id');
const VERSIONS = Symbol('message versions');

/**
 * Per-request batching of message lookups (STYLE.md §9): every `Message` reference and
 * `message(id)` of one GraphQL request becomes one query per tick. Keyed by the request
 * object, so nothing is cached across requests or viewers.
 */
@Injectable()
export class MessageLoader {
  constructor(private readonly messages: MessageService) {}

  load(request: object, id: string): Promise<MessageEntity | null> {
    return requestLoader<string, MessageEntity | null>(request, BY_ID, (ids) => this.messages.findByIds(ids)).load(id);
  }

  /** The earlier versions of a message, oldest first: one query for every message of the request. */
  versions(request: object, messageId: string): Promise<MessageVersionEntity[]> {
    return requestLoader<string, MessageVersionEntity[]>(request, VERSIONS, (ids) =>
      this.messages.versionsOf(ids),
    ).load(messageId);
  }
}
