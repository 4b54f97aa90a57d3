import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@otklik/persistence';
import { MessageImportEntity } from './message-import.entity';

@Injectable()
export class MessageImportRepository {
  constructor(private readonly uow: UnitOfWork) {}

  async insert(record: MessageImportEntity): Promise<void> {
    await this.uow.manager.insert(MessageImportEntity, record);
  }

  findById(id: string): Promise<MessageImportEntity | null> {
    return this.uow.manager.findOne(MessageImportEntity, { where: { id } });
  }

  /** An organisation's imports, newest first, without their reports (read one by one when asked for). */
  listByOrganization(organizationId: string, limit: number): Promise<Array<Omit<MessageImportEntity, 'report'>>> {
    return this.uow.manager.find(MessageImportEntity, {
      select: {
        id: true,
        organizationId: true,
        sourceId: true,
        fileName: true,
        format: true,
        importedBy: true,
        importedByUserId: true,
        importedAt: true,
        totalRows: true,
        accepted: true,
        duplicates: true,
        rejected: true,
        details: true,
      },
      where: { organizationId },
      order: { importedAt: 'DESC', id: 'ASC' },
      take: limit,
    });
  }

  async reportOf(id: string): Promise<MessageImportEntity['report'] | null> {
    const found = await this.uow.manager.findOne(MessageImportEntity, {
      select: { id: true, report: true },
      where: { id },
    });
    return found?.report ?? null;
  }

  /**
   * Runs `work` in a savepoint of the open transaction: when it fails, what it did is undone and
   * the transaction goes on, so one row's failure leaves the rest of its batch standing.
   */
  async inSavepoint<T>(work: () => Promise<T>): Promise<T> {
    const manager = this.uow.manager;
    await manager.query('savepoint import_row');
    try {
      const result = await work();
      await manager.query('release savepoint import_row');
      return result;
    } catch (error) {
      await manager.query('rollback to savepoint import_row');
      throw error;
    }
  }
}
