import { Injectable } from '@nestjs/common';
import { Brackets } from 'typeorm';
import { UnitOfWork } from '@otklik/persistence';
import { CaseEntity } from './case.entity';
import { repeatSimilaritySql, RepeatRule } from './case-repeat.similarity';
import type { CaseStatus } from './case.status';

/** A later message, as repeat detection compares it with earlier cases. */
export interface RepeatProbe {
  sourceId: string;
  authorId?: string;
  threadId?: string;
  text: string;
}

export interface SimilarCase {
  entity: CaseEntity;
  similarity: number;
  rule: RepeatRule;
}

/** Most candidates compared per message: one author's (or thread's) cases of a few weeks. */
const MAX_CANDIDATES = 20;

/**
 * Earlier cases a message may repeat (cl. 9). Row-level security limits them to the scope the
 * caller set (the message's organisation and those below it).
 */
@Injectable()
export class CaseRepeatRepository {
  constructor(private readonly uow: UnitOfWork) {}

  /**
   * Cases on the probe's source by its author or in its thread, detected since `since`, among
   * these statuses, whose text is at least `minSimilarity` similar to the probe's: most similar
   * first, then newest. The author and thread indexes bound the rows before the text is compared.
   */
  async findSimilar(
    probe: RepeatProbe,
    statuses: readonly CaseStatus[],
    since: Date,
    minSimilarity: number,
  ): Promise<SimilarCase[]> {
    if (!probe.authorId && !probe.threadId) return [];
    const similarity = repeatSimilaritySql(':text', 'c.message_text');
    const { entities, raw } = await this.uow.manager
      .createQueryBuilder(CaseEntity, 'c')
      .addSelect(similarity, 'similarity')
      .where('c.sourceId = :sourceId', { sourceId: probe.sourceId })
      .andWhere(
        new Brackets((q) => {
          if (probe.authorId) q.orWhere('c.authorId = :authorId', { authorId: probe.authorId });
          if (probe.threadId) q.orWhere('c.threadId = :threadId', { threadId: probe.threadId });
        }),
      )
      .andWhere('c.detectedAt >= :since', { since })
      .andWhere('c.status = any(:statuses)', { statuses: [...statuses] })
      .andWhere('c.messageText is not null')
      .andWhere(`${similarity} >= :minSimilarity`, { minSimilarity })
      .setParameter('text', probe.text)
      .orderBy('similarity', 'DESC')
      .addOrderBy('c.detectedAt', 'DESC')
      .limit(MAX_CANDIDATES)
      .getRawAndEntities();
    const scores = new Map((raw as Array<{ c_id: string; similarity: number }>).map((r) => [r.c_id, r.similarity]));
    return entities.map((entity) => ({
      entity,
      similarity: Number(scores.get(entity.id)),
      rule: probe.authorId && entity.authorId === probe.authorId ? 'same author' : 'same thread',
    }));
  }
}
