import { Injectable } from '@nestjs/common';
import { requestLoader } from '@otklik/service-kit';
import type { MessageEntity } from './message.entity';
import { MessageService } from './message.service';

const BY_ID = Symbol('message by id');

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
}
