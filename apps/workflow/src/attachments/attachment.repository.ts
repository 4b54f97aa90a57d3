import { Injectable } from '@nestjs/common';
import { In, IsNull } from 'typeorm';
import { UnitOfWork } from '@otklik/persistence';
import { AttachmentEntity } from './attachment.entity';

/** The attachments table; every call runs in the caller's transaction and row-level-security scope. */
@Injectable()
export class AttachmentRepository {
  constructor(private readonly uow: UnitOfWork) {}

  async insert(attachment: AttachmentEntity): Promise<void> {
    await this.uow.manager.insert(AttachmentEntity, attachment);
  }

  findByIds(ids: readonly string[]): Promise<AttachmentEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.uow.manager.find(AttachmentEntity, { where: { id: In([...ids]) } });
  }

  findByStorageKey(storageKey: string): Promise<AttachmentEntity | null> {
    return this.uow.manager.findOne(AttachmentEntity, { where: { storageKey } });
  }

  /** Records that the store holds the bytes; the first report wins. */
  async markUploaded(id: string, at: Date): Promise<void> {
    await this.uow.manager.update(AttachmentEntity, { id, uploadedAt: IsNull() }, { uploadedAt: at });
  }
}
