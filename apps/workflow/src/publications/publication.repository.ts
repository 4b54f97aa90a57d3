import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { UnitOfWork } from '@otklik/persistence';
import { PublicationEntity } from './publication.entity';

@Injectable()
export class PublicationRepository {
  constructor(private readonly uow: UnitOfWork) {}

  async insert(publication: PublicationEntity): Promise<void> {
    await this.uow.manager.insert(PublicationEntity, publication);
  }

  /**
   * Records that the case's answer was published by hand at `url`: the newest PENDING or FAILED
   * publication becomes MANUAL; without one, a MANUAL publication of `kind` (default: that of
   * the newest publication, else FINAL) is added. Returns it.
   */
  async recordManual(
    kase: { id: string; organizationId: string; platform: PublicationEntity['platform'] },
    url: string,
    kind: PublicationEntity['kind'] | null,
    login: string,
    at: Date,
  ): Promise<PublicationEntity> {
    const newest = await this.uow.manager.findOne(PublicationEntity, {
      where: { caseId: kase.id },
      order: { requestedAt: 'DESC', id: 'DESC' },
    });
    const manual = { status: 'MANUAL' as const, url, error: null, at, recordedBy: login };
    if (newest && (newest.status === 'PENDING' || newest.status === 'FAILED') && (!kind || kind === newest.kind)) {
      await this.uow.manager.update(PublicationEntity, { id: newest.id }, manual);
      return { ...newest, ...manual };
    }
    const added = Object.assign(new PublicationEntity(), {
      id: randomUUID(),
      caseId: kase.id,
      organizationId: kase.organizationId,
      draftId: null,
      kind: kind ?? newest?.kind ?? 'FINAL',
      platform: kase.platform,
      requestedAt: at,
      ...manual,
    } satisfies PublicationEntity);
    await this.insert(added);
    return added;
  }

  /** The publications of these cases, in the order they were asked for. */
  ofCases(caseIds: readonly string[]): Promise<PublicationEntity[]> {
    return this.uow.manager.find(PublicationEntity, {
      where: { caseId: In([...caseIds]) },
      order: { requestedAt: 'ASC', id: 'ASC' },
    });
  }
}
