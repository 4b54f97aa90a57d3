import type { TreeNode } from '../organizations/organization.tree';
import { OrganizationModel } from '../organizations/organization.model';
import type { RoutingModelState } from './routing.repository';
import { RoutingModelFiguresModel, RoutingModelModel, RoutingSuggestionModel } from './routing.model';
import type { RoutingModelView, RoutingSuggestion } from './routing.service';

const toOrganization = (node: TreeNode): OrganizationModel =>
  Object.assign(new OrganizationModel(), {
    id: node.id,
    code: node.code,
    name: node.name,
    kind: node.kind,
    timeZone: node.timeZone,
    parentId: node.parentId,
  });

export const toRoutingSuggestionModel = (suggestion: RoutingSuggestion): RoutingSuggestionModel =>
  Object.assign(new RoutingSuggestionModel(), {
    organization: toOrganization(suggestion.organization),
    score: suggestion.score,
  });

const toFigures = (state: RoutingModelState | null): RoutingModelFiguresModel | null =>
  state && state.version > 0
    ? Object.assign(new RoutingModelFiguresModel(), {
        version: state.version,
        trainedAt: state.trainedAt,
        examples: state.examples,
        labels: state.labels,
        features: state.features,
        heldOutSize: state.heldOutSize,
        heldOutTop1: state.heldOutTop1,
        heldOutTop3: state.heldOutTop3,
      })
    : null;

export const toRoutingModelModel = (view: RoutingModelView): RoutingModelModel =>
  Object.assign(new RoutingModelModel(), {
    organizationId: view.organizationId,
    status: view.status,
    routing: toFigures(view.routing),
    topics: toFigures(view.topics),
    correctionsSinceTraining: view.correctionsSinceTraining,
  });
