import { Injectable } from '@nestjs/common';
import { byKeys, requestLoader } from '@otklik/service-kit';
import type { AttachmentEntity } from './attachment.entity';
import { AttachmentService } from './attachment.service';

const BY_ID = Symbol('attachment by id');

/** Attachments by id (the files of the drafts a request reads), batched per request. */
@Injectable()
export class AttachmentLoader {
  constructor(private readonly attachments: AttachmentService) {}

  load(context: object, id: string): Promise<AttachmentEntity | null> {
    return requestLoader<string, AttachmentEntity | null>(context, BY_ID, async (ids) =>
      byKeys(ids, await this.attachments.byIds(ids), (a) => a.id, null),
    ).load(id);
  }
}
