import { Inject } from '@nestjs/common';
import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentViewer, Roles, Viewer } from '@otklik/auth';
import { groupedByKeys, requestLoader } from '@otklik/service-kit';
import type { SourceChangeEntity } from './source-change.entity';
import type { SourceEntity } from './source.entity';
import { toSourceChangeModel, toSourceModel } from './source.mapper';
import {
  CreateSourceInput,
  RotateSourceSecretInput,
  SetSourceCredentialsInput,
  SourceChangeModel,
  SourceModel,
  SourceSecretPayload,
  UpdateSourceInput,
} from './source.model';
import { SourceRegistryService, SourceWithNewSecret } from './source-registry.service';
import { SOURCES_CONFIG, SourcesConfig } from './sources.config';

const CHANGES = Symbol('source changes');

/**
 * The registry of official accounts (cl. 2–3), for OFFICIAL and COORDINATOR of the organisation
 * or one above it (SourceRegistryService checks the organisation). Secrets go in, and come out
 * once, as `newSecret`; nothing here reads them back.
 */
@Resolver(() => SourceModel)
@Roles('OFFICIAL', 'COORDINATOR')
export class SourceResolver {
  constructor(
    private readonly registry: SourceRegistryService,
    @Inject(SOURCES_CONFIG) private readonly config: SourcesConfig,
  ) {}

  @Query(() => [SourceModel], {
    description: 'The sources of an organisation, or without one of every organisation whose sources you manage',
  })
  async sources(
    @CurrentViewer() viewer: Viewer,
    @Args('organizationId', { type: () => ID, nullable: true }) organizationId?: string | null,
  ): Promise<SourceModel[]> {
    return (await this.registry.list(viewer, organizationId)).map((s) => this.model(s));
  }

  @Query(() => SourceModel, { nullable: true, description: 'null when there is no such source you may see' })
  async source(
    @CurrentViewer() viewer: Viewer,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<SourceModel | null> {
    const found = await this.registry.get(viewer, id);
    return found ? this.model(found) : null;
  }

  @Mutation(() => SourceSecretPayload, {
    description: 'Adds an official account or channel; its webhook secret (made unless given) is returned this once',
  })
  async createSource(
    @CurrentViewer() viewer: Viewer,
    @Args('input') input: CreateSourceInput,
  ): Promise<SourceSecretPayload> {
    return this.payload(await this.registry.create(viewer, input));
  }

  @Mutation(() => SourceModel, { description: 'Renames, reconfigures, turns on or off a source' })
  async updateSource(@CurrentViewer() viewer: Viewer, @Args('input') input: UpdateSourceInput): Promise<SourceModel> {
    return this.model(await this.registry.update(viewer, input));
  }

  @Mutation(() => SourceSecretPayload, {
    description: 'Gives a source a new webhook secret, returned this once; the old one keeps working for overlapHours',
  })
  async rotateSourceSecret(
    @CurrentViewer() viewer: Viewer,
    @Args('input') input: RotateSourceSecretInput,
  ): Promise<SourceSecretPayload> {
    return this.payload(await this.registry.rotateSecret(viewer, input));
  }

  @Mutation(() => SourceModel, { description: 'Sets or removes a source’s secret settings (tokens), stored encrypted' })
  async setSourceCredentials(
    @CurrentViewer() viewer: Viewer,
    @Args('input') input: SetSourceCredentialsInput,
  ): Promise<SourceModel> {
    return this.model(await this.registry.setCredentials(viewer, input.sourceId, input.credentials));
  }

  @ResolveField(() => [SourceChangeModel], { description: 'Every change made to it, oldest first' })
  async changes(@Parent() source: SourceModel, @Context('req') req: object): Promise<SourceChangeModel[]> {
    const changes = await requestLoader<string, SourceChangeEntity[]>(req, CHANGES, async (ids) =>
      groupedByKeys(ids, await this.registry.changesOf(ids), (c) => c.sourceId),
    ).load(source.id);
    return changes.map(toSourceChangeModel);
  }

  private model(source: SourceEntity): SourceModel {
    return toSourceModel(source, this.config.publicUrl, new Date());
  }

  private payload(result: SourceWithNewSecret): SourceSecretPayload {
    return { source: this.model(result.source), newSecret: result.newSecret };
  }
}
