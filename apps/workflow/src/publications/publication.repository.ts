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
   * publication (or one notify left to be published by hand) becomes MANUAL with the address; without one, a MANUAL publication of `kind` (default: that of
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
    // MANUAL without an address: notify left it to be published by hand (no API there).
    const unsettled =
      newest && (['PENDING', 'FAILED'].includes(newest.status) || (newest.status === 'MANUAL' && !newest.url));
    if (newest && unsettled && (!kind || kind === newest.kind)) {
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

  findById(id: string): Promise<PublicationEntity | null> {
    return this.uow.manager.findOne(PublicationEntity, { where: { id } });
  }

  /**
   * notify's outcome of a PENDING publication; null when it is not PENDING (reported before, or
   * recorded by hand meanwhile: the official's record stands).
   */
  async complete(
    id: string,
    outcome: Pick<PublicationEntity, 'status' | 'url' | 'error' | 'at'>,
  ): Promise<PublicationEntity | null> {
    const result = await this.uow.manager.update(PublicationEntity, { id, status: 'PENDING' }, outcome);
    if (result.affected !== 1) return null;
    return this.findById(id);
  }

  /** The publications of these cases, in the order they were asked for. */
  ofCases(caseIds: readonly string[]): Promise<PublicationEntity[]> {
    return this.uow.manager.find(PublicationEntity, {
      where: { caseId: In([...caseIds]) },
      order: { requestedAt: 'ASC', id: 'ASC' },
    });
  }
}
