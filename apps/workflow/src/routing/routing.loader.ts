import { Injectable } from '@nestjs/common';
import { requestLoader } from '@otklik/service-kit';
import { viewerInContext } from '../graphql/viewer.context';
import { toRoutingSuggestionModel } from './routing.mapper';
import { RoutingSuggestionModel, TopicSuggestionModel } from './routing.model';
import { RoutingService } from './routing.service';

const ROUTES = Symbol('routing suggestions');
const TOPICS = Symbol('topic suggestions');

/** Suggestions for a request's cases in one batch: one query for their texts, then ranking in memory. */
@Injectable()
export class RoutingLoader {
  constructor(private readonly routing: RoutingService) {}

  routesOf(context: object, caseId: string): Promise<RoutingSuggestionModel[]> {
    return requestLoader<string, RoutingSuggestionModel[]>(context, ROUTES, async (caseIds) => {
      const suggestions = await this.routing.routingSuggestions(viewerInContext(context), caseIds);
      return caseIds.map((id) => (suggestions.get(id) ?? []).map(toRoutingSuggestionModel));
    }).load(caseId);
  }

  topicsOf(context: object, caseId: string): Promise<TopicSuggestionModel[]> {
    return requestLoader<string, TopicSuggestionModel[]>(context, TOPICS, async (caseIds) => {
      const suggestions = await this.routing.topicSuggestions(caseIds);
      return caseIds.map((id) => (suggestions.get(id) ?? []).map((s) => Object.assign(new TopicSuggestionModel(), s)));
    }).load(caseId);
  }
}
