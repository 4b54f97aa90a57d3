import { Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AnyViewer, CurrentViewer, Viewer } from '@otklik/auth';
import { OrganizationLoader } from '../organizations/organization.loader';
import { OrganizationModel } from '../organizations/organization.model';
import { StaffException } from './staff.exception';
import { viewerToModel } from './viewer.mapper';
import { ViewerModel, ViewerRoleModel } from './viewer.model';

@Resolver(() => ViewerModel)
export class ViewerResolver {
  @Query(() => ViewerModel, { name: 'me', description: 'The caller: login, name and roles' })
  @AnyViewer()
  me(@CurrentViewer() viewer: Viewer): ViewerModel {
    return viewerToModel(viewer);
  }
}

@Resolver(() => ViewerRoleModel)
export class ViewerRoleResolver {
  constructor(private readonly organizations: OrganizationLoader) {}

  @ResolveField('organization', () => OrganizationModel)
  async organization(@Parent() role: ViewerRoleModel, @Context() context: object): Promise<OrganizationModel> {
    const organization = await this.organizations.load(context, role.organizationId);
    if (!organization) throw StaffException.organizationNotVisible(role.organizationId);
    return organization;
  }
}
