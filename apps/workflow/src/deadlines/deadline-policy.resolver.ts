import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AnyViewer, CurrentViewer, Roles, Viewer } from '@otklik/auth';
import { DeadlinePolicySettingsService } from './deadline-policy-settings.service';
import { toDeadlinePolicyModel } from './deadline-policy.mapper';
import { DeadlinePolicyModel, SetDeadlinePolicyInput } from './deadline-policy.model';

@Resolver(() => DeadlinePolicyModel)
export class DeadlinePolicyResolver {
  constructor(private readonly settings: DeadlinePolicySettingsService) {}

  @Query(() => DeadlinePolicyModel, {
    name: 'deadlinePolicy',
    description: 'The deadline policy the organisation’s deadlines follow',
  })
  @AnyViewer()
  async policy(@Args('organizationId', { type: () => ID }) organizationId: string): Promise<DeadlinePolicyModel> {
    return toDeadlinePolicyModel(await this.settings.inEffect(organizationId));
  }

  @Mutation(() => DeadlinePolicyModel, {
    name: 'setDeadlinePolicy',
    description:
      'Sets the organisation’s own deadline policy (a COORDINATOR of it or of one above it); recomputes the open deadlines that follow it',
  })
  @Roles('COORDINATOR')
  async set(
    @Args('input', { type: () => SetDeadlinePolicyInput }) input: SetDeadlinePolicyInput,
    @CurrentViewer() viewer: Viewer,
  ): Promise<DeadlinePolicyModel> {
    const { inEffect, recomputed } = await this.settings.set(input, viewer);
    return toDeadlinePolicyModel(inEffect, recomputed);
  }
}
