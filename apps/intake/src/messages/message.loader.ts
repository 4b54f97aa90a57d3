import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import type { MessageEntity } from './message.entity';
import { MessageService } from './message.service';

/**
 * Per-request batching of message lookups (STYLE.md §9): every `Message` reference and
 * `message(id)` of one GraphQL request becomes one query per tick. Keyed by the request
 * object, so nothing is cached across requests or viewers.
 */
@Injectable()
export class MessageLoader {
  private readonly loaders = new WeakMap<object, DataLoader<string, MessageEntity | null>>();

  constructor(private readonly messages: MessageService) {}

  forRequest(request: object): DataLoader<string, MessageEntity | null> {
    let loader = this.loaders.get(request);
    if (!loader) {
      loader = new DataLoader((ids: readonly string[]) => this.messages.findByIds(ids), { maxBatchSize: 500 });
      this.loaders.set(request, loader);
    }
    return loader;
  }
}
