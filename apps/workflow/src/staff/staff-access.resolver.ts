import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { AnyViewer, CurrentViewer, Roles, Viewer } from '@otklik/auth';
import { toStaffAccessChangeModel } from './staff-access.mapper';
import { GrantRoleInput, RevokeSessionsInput, StaffAccessChangeModel, WithdrawRoleInput } from './staff-access.model';
import { StaffAccessService } from './staff-access.service';

@Resolver(() => StaffAccessChangeModel)
export class StaffAccessResolver {
  constructor(private readonly access: StaffAccessService) {}

  @Mutation(() => StaffAccessChangeModel, {
    name: 'grantRole',
    description: 'Gives a member of staff a role in an organisation (a COORDINATOR of it or of one above it)',
  })
  @Roles('COORDINATOR')
  async grantRole(
    @Args('input', { type: () => GrantRoleInput }) input: GrantRoleInput,
    @CurrentViewer() viewer: Viewer,
  ): Promise<StaffAccessChangeModel> {
    return toStaffAccessChangeModel(await this.access.grantRole(input, viewer));
  }

  @Mutation(() => StaffAccessChangeModel, {
    name: 'withdrawRole',
    description:
      'Takes a role away (a COORDINATOR of the organisation or of one above it); the person’s open subscriptions stop at once',
  })
  @Roles('COORDINATOR')
  async withdrawRole(
    @Args('input', { type: () => WithdrawRoleInput }) input: WithdrawRoleInput,
    @CurrentViewer() viewer: Viewer,
  ): Promise<StaffAccessChangeModel> {
    return toStaffAccessChangeModel(await this.access.withdrawRole(input, viewer));
  }

  @Mutation(() => StaffAccessChangeModel, {
    name: 'revokeSessions',
    description:
      'Ends every session of a member of staff of the organisations the caller coordinates: their tokens issued until now are refused and their open connections closed',
  })
  @Roles('COORDINATOR')
  async revokeSessions(
    @Args('input', { type: () => RevokeSessionsInput }) input: RevokeSessionsInput,
    @CurrentViewer() viewer: Viewer,
  ): Promise<StaffAccessChangeModel> {
    return toStaffAccessChangeModel(await this.access.revokeSessions(input, viewer));
  }

  @Mutation(() => StaffAccessChangeModel, {
    name: 'signOut',
    description: 'Signs the caller out everywhere: their tokens issued until now are refused',
  })
  @AnyViewer()
  async signOut(@CurrentViewer() viewer: Viewer): Promise<StaffAccessChangeModel> {
    return toStaffAccessChangeModel(await this.access.signOut(viewer));
  }
}
