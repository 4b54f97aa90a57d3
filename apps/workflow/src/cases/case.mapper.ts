import { encodeCaseCursor } from './case.cursor';
import type { CaseEntity } from './case.entity';
import { PageInfoModel } from '@otklik/service-kit';
import { CaseConnectionModel, CaseEdgeModel, CaseModel, CaseTransitionModel } from './case.model';
import type { CasePage } from './case.service';
import type { CaseTransitionEntity } from './case-transition.entity';

export function toCaseModel(entity: CaseEntity): CaseModel {
  return Object.assign(new CaseModel(), {
    id: entity.id,
    status: entity.status,
    detectedAt: entity.detectedAt,
    organizationId: entity.organizationId,
    messageId: entity.messageId,
  });
}

export function toCaseTransitionModel(entity: CaseTransitionEntity): CaseTransitionModel {
  return Object.assign(new CaseTransitionModel(), {
    from: entity.fromStatus,
    to: entity.toStatus,
    at: entity.at,
    actor: entity.actor,
    reason: entity.reason,
  });
}

export function toCaseConnection(page: CasePage): CaseConnectionModel {
  const edges = page.cases.map((entity) =>
    Object.assign(new CaseEdgeModel(), { cursor: encodeCaseCursor(entity), node: toCaseModel(entity) }),
  );
  const pageInfo = Object.assign(new PageInfoModel(), {
    hasNextPage: page.hasNextPage,
    hasPreviousPage: page.hasPreviousPage,
    startCursor: edges.length > 0 ? edges[0].cursor : null,
    endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : null,
  });
  return Object.assign(new CaseConnectionModel(), { edges, pageInfo, totalCount: page.totalCount });
}
