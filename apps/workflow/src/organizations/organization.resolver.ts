import { Context, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { AnyViewer } from '@otklik/auth';
import { isUuid } from '../graphql/uuid';
import { OrganizationLoader } from './organization.loader';
import { toOrganizationModel } from './organization.mapper';
import { OrganizationModel } from './organization.model';
import { OrganizationService } from './organization.service';

@Resolver(() => OrganizationModel)
export class OrganizationResolver {
  constructor(
    private readonly organizations: OrganizationService,
    private readonly loader: OrganizationLoader,
  ) {}

  @Query(() => [OrganizationModel], {
    name: 'organizations',
    description: 'The organisations the viewer may see: their own and everything below them, by code',
  })
  @AnyViewer()
  async list(): Promise<OrganizationModel[]> {
    return (await this.organizations.visible()).map(toOrganizationModel);
  }

  @ResolveField('parent', () => OrganizationModel, {
    nullable: true,
    description: 'The organisation above; null for the district, or when the viewer may not see it',
  })
  parent(
    @Parent() organization: OrganizationModel,
    @Context() context: object,
  ): Promise<OrganizationModel | null> | null {
    return organization.parentId ? this.loader.load(context, organization.parentId) : null;
  }

  /** The gateway fetching organisations other subgraphs point at; batched per request. */
  @ResolveReference()
  resolveReference(reference: { id: unknown }, context: object): Promise<OrganizationModel | null> | null {
    return typeof reference.id === 'string' && isUuid(reference.id) ? this.loader.load(context, reference.id) : null;
  }
}
