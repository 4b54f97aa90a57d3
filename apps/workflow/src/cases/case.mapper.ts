import { encodeCaseCursor } from './case.cursor';
import type { CaseEntity } from './case.entity';
import { PageInfoModel } from '@otklik/service-kit';
import type { ExclusionReason } from '@otklik/contracts';
import type { CaseCommentEntity } from './case-comment.entity';
import type { CaseMessageEntity } from './case-message.entity';
import {
  CaseCommentModel,
  CaseConnectionModel,
  CaseEdgeModel,
  CaseModel,
  CaseReplyModel,
  CaseTransitionModel,
} from './case.model';
import type { CasePage } from './case.service';
import type { CaseTransitionEntity } from './case-transition.entity';

export function toCaseModel(entity: CaseEntity): CaseModel {
  return Object.assign(new CaseModel(), {
    id: entity.id,
    status: entity.status,
    detectedAt: entity.detectedAt,
    organizationId: entity.organizationId,
    messageId: entity.messageId,
    platform: entity.platform,
    updatedAt: entity.updatedAt,
    version: entity.version,
    exclusionReasons: (entity.exclusionReasons as ExclusionReason[] | null) ?? null,
    decidedBy: entity.decidedBy,
    decisionReason: entity.decisionReason,
    executorUserId: entity.executorUserId,
    repeatOfId: entity.repeatOfId,
  });
}

export function toCaseCommentModel(entity: CaseCommentEntity): CaseCommentModel {
  return Object.assign(new CaseCommentModel(), { author: entity.authorLogin, text: entity.text, at: entity.at });
}

export function toCaseReplyModel(entity: CaseMessageEntity): CaseReplyModel {
  return Object.assign(new CaseReplyModel(), {
    messageId: entity.messageId,
    text: entity.text,
    url: entity.url,
    postedAt: entity.postedAt,
    joinedAt: entity.joinedAt,
  });
}

export function toCaseTransitionModel(entity: CaseTransitionEntity): CaseTransitionModel {
  return Object.assign(new CaseTransitionModel(), {
    from: entity.fromStatus,
    to: entity.toStatus,
    action: entity.action,
    at: entity.at,
    actor: entity.actor,
    reason: entity.reason,
  });
}

export function toCaseConnection(page: CasePage): CaseConnectionModel {
  const edges = page.cases.map(({ entity, sortKey }) =>
    Object.assign(new CaseEdgeModel(), {
      cursor: encodeCaseCursor({ order: page.order, at: sortKey, id: entity.id }),
      node: toCaseModel(entity),
    }),
  );
  const pageInfo = Object.assign(new PageInfoModel(), {
    hasNextPage: page.hasNextPage,
    hasPreviousPage: page.hasPreviousPage,
    startCursor: edges.length > 0 ? edges[0].cursor : null,
    endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : null,
  });
  return Object.assign(new CaseConnectionModel(), { edges, pageInfo, totalCount: page.totalCount });
}
