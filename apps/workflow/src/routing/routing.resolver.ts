import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentViewer, Roles, Viewer } from '@otklik/auth';
import { CaseModel } from '../cases/case.model';
import { RoutingLoader } from './routing.loader';
import { toRoutingModelModel } from './routing.mapper';
import {
  AppealsArchiveImportModel,
  ImportAppealsArchiveInput,
  ImportTopicTaxonomyInput,
  RoutingModelModel,
  RoutingSuggestionModel,
  TopicSuggestionModel,
  TopicTaxonomyModel,
} from './routing.model';
import { RoutingService } from './routing.service';

/** Topic and routing suggestions on cases, and the archive and taxonomy they come from (docs/routing.md). */
@Resolver(() => CaseModel)
export class RoutingResolver {
  constructor(
    private readonly routing: RoutingService,
    private readonly loader: RoutingLoader,
  ) {}

  @ResolveField('routingSuggestions', () => [RoutingSuggestionModel], {
    description:
      'Up to three organisations to route the case to, best first, among those you may route it to; empty without a trained model',
  })
  routingSuggestions(@Parent() kase: CaseModel, @Context() context: object): Promise<RoutingSuggestionModel[]> {
    return this.loader.routesOf(context, kase.id);
  }

  @ResolveField('topicSuggestions', () => [TopicSuggestionModel], {
    description: 'Up to three topics of the case’s message, best first; empty without a trained model or a taxonomy',
  })
  topicSuggestions(@Parent() kase: CaseModel, @Context() context: object): Promise<TopicSuggestionModel[]> {
    return this.loader.topicsOf(context, kase.id);
  }

  @Query(() => RoutingModelModel, {
    name: 'routingModel',
    nullable: true,
    description:
      'The routing and topic models serving the organisation (its own or the nearest above it); null when none',
  })
  @Roles('COORDINATOR', 'HEAD', 'OFFICIAL')
  async model(
    @CurrentViewer() viewer: Viewer,
    @Args('organizationId', { type: () => ID }) organizationId: string,
  ): Promise<RoutingModelModel | null> {
    const view = await this.routing.modelFor(viewer, organizationId);
    return view ? toRoutingModelModel(view) : null;
  }

  @Mutation(() => AppealsArchiveImportModel, {
    description:
      'Imports an archive of past appeals (text, topic, responsible body) as examples of the organisation’s tree and retrains its models (a COORDINATOR of it or above)',
  })
  @Roles('COORDINATOR')
  async importAppealsArchive(
    @CurrentViewer() viewer: Viewer,
    @Args('input') input: ImportAppealsArchiveInput,
  ): Promise<AppealsArchiveImportModel> {
    const result = await this.routing.importArchive(viewer, input);
    return Object.assign(new AppealsArchiveImportModel(), { ...result, model: toRoutingModelModel(result.model) });
  }

  @Mutation(() => RoutingModelModel, {
    description:
      'Retrains the tree’s models from its archive and the routing decisions since (a COORDINATOR of it or above)',
  })
  @Roles('COORDINATOR')
  async retrainRoutingModel(
    @CurrentViewer() viewer: Viewer,
    @Args('organizationId', { type: () => ID }) organizationId: string,
  ): Promise<RoutingModelModel> {
    return toRoutingModelModel(await this.routing.retrain(viewer, organizationId));
  }

  @Mutation(() => TopicTaxonomyModel, {
    description:
      'Sets the organisation’s own topic taxonomy, e.g. the ЦУР incident classifier (a COORDINATOR of it or above)',
  })
  @Roles('COORDINATOR')
  async importTopicTaxonomy(
    @CurrentViewer() viewer: Viewer,
    @Args('input') input: ImportTopicTaxonomyInput,
  ): Promise<TopicTaxonomyModel> {
    return Object.assign(new TopicTaxonomyModel(), await this.routing.importTaxonomy(viewer, input));
  }
}
